import type { EntityManager } from "typeorm";
import type { Actor } from "../../org";
import { scope } from "../../org";
import { scopeSql } from "../../org";
import { REASON_CATEGORIES, type ReasonCategory } from "../rules/noticeDocument";

export interface CaseStatistics {
  /** Resignations (by notice date) per month and branch since `since`. */
  byMonth: { month: string; branch: string; count: number }[];
  /** Reasons in Chinese, most frequent first. */
  byReason: { label: string; count: number }[];
}

/**
 * Counts of resignations the actor may read (the case policy's read scope over the leaver), withdrawn
 * cases left out: what the console's dashboard charts. Resignation owns its cases, so the console asks here.
 */
export async function caseStatistics(manager: EntityManager, actor: Actor, since: Date): Promise<CaseStatistics> {
  const visible = scopeSql(scope(actor, "read", "case"), 1);
  const inScope = visible.staff("s.userid");
  const [all, departmentIds] = visible.params;
  const byMonth: CaseStatistics["byMonth"] = await manager.query(
    `SELECT to_char(c.notice_date, 'YYYY-MM') AS month, coalesce(d.name, '未分配') AS branch, count(*)::int AS count
       FROM resignation_case c JOIN staff s ON s.userid = c.employee_userid LEFT JOIN department d ON d.id = s.main_department
      WHERE ${inScope} AND c.state <> 'withdrawn' AND c.notice_date >= $3::date
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [all, departmentIds, since],
  );
  const reasons: { reason: string; count: number }[] = await manager.query(
    `SELECT c.reason_category AS reason, count(*)::int AS count FROM resignation_case c JOIN staff s ON s.userid = c.employee_userid
      WHERE ${inScope} AND c.state <> 'withdrawn' GROUP BY 1 ORDER BY 2 DESC`,
    [all, departmentIds],
  );
  return { byMonth, byReason: reasons.map((r) => ({ label: REASON_CATEGORIES[r.reason as ReasonCategory] ?? r.reason, count: r.count })) };
}
