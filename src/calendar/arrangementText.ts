import { ValidationError } from "../platform/errors";
import { addDays, compareDates, daysBetween, dayOfWeek, isLocalDate, yearOf, type LocalDate } from "../platform/localDate";
import type { CalendarYearOverride } from "./workingDays";

/**
 * The official arrangement typed or pasted as lines, the way the State Council's notice reads
 * (国务院办公厅关于XXXX年部分节假日安排的通知: "春节：2月6日至12日放假调休……2月14日（周日）上班"):
 *
 *   依据：国办发明电〔2026〕7号
 *   元旦 2027-01-01 至 2027-01-03 放假
 *   2027-02-14 上班
 *
 * One line per day or range; a name in front is optional; lines starting with # are notes. Every problem is
 * reported with its line number at once, so a whole pasted notice is corrected in one pass: every date once
 * (a range may not overlap another line), every date inside the year, make-up working days on weekends
 * (the same rules validateOverride applies to a JSON file).
 */
export const ARRANGEMENT_TEXT_EXAMPLE = `# 格式示例，日期以国务院办公厅的通知为准
依据：国办发明电〔2026〕X号
元旦 2027-01-01 至 2027-01-03 放假
春节 2027-02-06 至 2027-02-12 放假
2027-02-14 上班`;

const SOURCE = /^依据\s*[:：]\s*(.*)$/;
const DAY_LINE = /^(?:(\S+?)\s+)?(\d{4}-\d{2}-\d{2})(?:\s*(?:至|到|~|～|-{1,2}|—)\s*(\d{4}-\d{2}-\d{2}))?\s+(放假|休|上班|班)$/;
const MAX_LINES = 400;
const MAX_RANGE_DAYS = 31;
const WEEKDAY = ["日", "一", "二", "三", "四", "五", "六"];

export interface LineProblem {
  line: number | null;
  message: string;
}

export function parseArrangementText(text: string, year: number): CalendarYearOverride {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const problems: LineProblem[] = [];
  const at = (line: number | null, message: string) => problems.push({ line, message });
  if (lines.length > MAX_LINES) throw new ValidationError(`放假安排最多 ${MAX_LINES} 行，这份有 ${lines.length} 行`);

  let source: string | null = null;
  const seen = new Map<LocalDate, number>();
  const holidays: LocalDate[] = [];
  const makeUpWorkdays: LocalDate[] = [];
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim().replace(/\s+/g, " ");
    if (line === "" || line.startsWith("#")) return;
    const src = SOURCE.exec(line);
    if (src) {
      const value = src[1]!.trim();
      if (source !== null) at(n, "依据只能写一行");
      else if (value === "") at(n, "依据不能为空（如：依据：国办发明电〔2026〕X号）");
      else if (value.length > 200) at(n, "依据最多 200 字");
      else source = value;
      return;
    }
    const m = DAY_LINE.exec(line);
    if (!m) {
      at(n, `无法识别“${line.length > 30 ? `${line.slice(0, 30)}…` : line}”，应为“名称 2027-01-01 至 2027-01-03 放假”或“2027-02-14 上班”`);
      return;
    }
    const [, , from, to, kind] = m as unknown as [string, string | undefined, string, string | undefined, string];
    const bad = [from, to].filter((d): d is string => d !== undefined && !isLocalDate(d));
    if (bad.length > 0) {
      at(n, `${bad.join("、")} 不是有效日期`);
      return;
    }
    const last = to ?? from;
    const outside = [from, last].filter((d) => yearOf(d) !== year);
    if (outside.length > 0) {
      at(n, `${outside[0]} 不属于 ${year} 年`);
      return;
    }
    if (compareDates(from, last) > 0) {
      at(n, `结束日期 ${last} 早于开始日期 ${from}`);
      return;
    }
    if (daysBetween(from, last) >= MAX_RANGE_DAYS) {
      at(n, `一段放假最多 ${MAX_RANGE_DAYS} 天`);
      return;
    }
    const workday = kind === "上班" || kind === "班";
    for (let d = from; compareDates(d, last) <= 0; d = addDays(d, 1)) {
      const earlier = seen.get(d);
      if (earlier !== undefined) {
        at(n, `${d} 已在第 ${earlier} 行出现，每个日期只能出现一次`);
        continue;
      }
      seen.set(d, n);
      if (workday && dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6) {
        at(n, `${d} 是星期${WEEKDAY[dayOfWeek(d)]}，本来就要上班，调休上班日应为周六或周日`);
        continue;
      }
      (workday ? makeUpWorkdays : holidays).push(d);
    }
  });
  if (source === null) at(null, "缺少依据行（如：依据：国办发明电〔2026〕X号）");
  if (holidays.length === 0 && problems.length === 0) at(null, "没有任何放假日期");
  if (problems.length > 0) {
    throw new ValidationError(
      `放假安排有 ${problems.length} 处问题，整份安排都没有录入`,
      problems.slice(0, 50).map((p) => ({ path: p.line === null ? "" : `line ${p.line}`, line: p.line, message: p.line === null ? p.message : `第 ${p.line} 行：${p.message}` })),
    );
  }
  return { year, holidays, makeUpWorkdays, source: source! };
}
