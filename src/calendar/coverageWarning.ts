import { yearOf, type LocalDate } from "../platform/localDate";

/**
 * The State Council publishes next year's arrangement in November; from
 * 1 November on, a service that still lacks it must say so every day, or
 * deadlines computed in December quietly run into a guessed January.
 */
export function nextYearMissingWarning(today: LocalDate, coveredYears: readonly number[]): { year: number; message: string } | null {
  const month = Number(today.slice(5, 7));
  if (month < 11) return null;
  const next = yearOf(today) + 1;
  if (coveredYears.includes(next)) return null;
  return {
    year: next,
    message:
      `【节假日安排待录入】系统尚未录入${next}年的法定节假日安排（国务院办公厅通常于11月发布）。` +
      `在录入前，跨入${next}年的工作日期限（如书面离职通知签署期限）只能按周末估算，并会向员工注明。` +
      "请集团管理员在人事台「设置 → 法定节假日安排」中上传或粘贴官方安排。",
  };
}
