/**
 * The exit interview, after Frappe HR's Exit Interview: scheduled within the
 * case, reasons picked from a fixed list (so they can be counted), and an
 * outcome — the employee is retained (the case ends as withdrawn) or the exit
 * is confirmed — plus a rehire recommendation kept for the alumni pool.
 */

export const EXIT_REASONS = {
  compensation: "薪酬福利",
  career_growth: "职业发展空间",
  workload: "工作量与压力",
  management: "与直属上级/管理层的关系",
  culture: "团队氛围与工作环境",
  commute: "工作地点与通勤",
  family: "家庭原因",
  health: "健康原因",
  further_study: "继续深造",
  new_opportunity: "获得其他工作机会",
  other: "其他",
} as const;
export type ExitReason = keyof typeof EXIT_REASONS;

export const EXIT_OUTCOMES = {
  retained: "员工留任（撤回离职）",
  exit_confirmed: "确认离职",
} as const;
export type ExitOutcome = keyof typeof EXIT_OUTCOMES;

export const REHIRE_RECOMMENDATIONS = {
  recommended: "建议返聘",
  with_reservations: "可考虑返聘",
  not_recommended: "不建议返聘",
} as const;
export type RehireRecommendation = keyof typeof REHIRE_RECOMMENDATIONS;

/** The alumni pool's yes/no flag from the recommendation (reservations still allow a rehire). */
export function rehireEligible(r: RehireRecommendation): boolean {
  return r !== "not_recommended";
}
