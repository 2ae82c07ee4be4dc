import type { DataSource } from "typeorm";
import { CHINA_TIME_ZONE } from "../../platform/localDate";
import { startOfLocalDay } from "../../calendar/zonedTime";
import type { Actor } from "../../org/policies/actor";
import { scope } from "../../org/policies/authorize";
import { scopeSql } from "../../org/policies/scopeSql";
import { REASON_CATEGORIES, type ReasonCategory } from "../../resignation/rules/noticeDocument";


export interface DashboardStats {
  /** Resignations (by notice date) per month and branch, last 12 months. */
  byMonth: { month: string; branch: string; count: number }[];
  byReason: { label: string; count: number }[];
  /** Parent transfers of leavers in scope, by outcome. */
  transfers: { label: string; count: number }[];
}

const TRANSFER_LABELS: Record<string, string> = {
  done: "已完成",
  waiting: "等待家长",
  requested: "等待家长",
  refused: "家长拒绝",
  successor_over_limit: "接替人超上限",
  failed: "失败",
};

/**
 * Aggregates for the dashboard's charts, read-only and scoped like the API's
 * case list (the leaver's departments within the caller's subtree).
 */
export async function dashboardStats(dataSource: DataSource, actor: Actor, now: Date): Promise<DashboardStats> {
  // Scoped like the API's case list: the case policy's read scope over the leaver.
  const visible = scopeSql(scope(actor, "read", "case"), 1);
  const inScope = visible.staff("s.userid");
  const [all, departmentIds] = visible.params;
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const byMonth: { month: string; branch: string; count: number }[] = await dataSource.query(
    `SELECT to_char(c.notice_date, 'YYYY-MM') AS month, coalesce(d.name, '未分配') AS branch, count(*)::int AS count
       FROM resignation_case c JOIN staff s ON s.userid = c.employee_userid LEFT JOIN department d ON d.id = s.main_department
      WHERE ${inScope} AND c.state <> 'withdrawn' AND c.notice_date >= $3::date
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [all, departmentIds, since],
  );
  const reasons: { reason: string; count: number }[] = await dataSource.query(
    `SELECT c.reason_category AS reason, count(*)::int AS count FROM resignation_case c JOIN staff s ON s.userid = c.employee_userid
      WHERE ${inScope} AND c.state <> 'withdrawn' GROUP BY 1 ORDER BY 2 DESC`,
    [all, departmentIds],
  );
  const transfers: { status: string; count: number }[] = await dataSource.query(
    `SELECT t.status, count(*)::int AS count FROM customer_transfer t JOIN staff s ON s.userid = t.leaver_userid
      WHERE ${inScope} AND t.superseded_at IS NULL GROUP BY 1`,
    [all, departmentIds],
  );
  const transferTotals = new Map<string, number>();
  for (const t of transfers) {
    const label = TRANSFER_LABELS[t.status] ?? t.status;
    transferTotals.set(label, (transferTotals.get(label) ?? 0) + t.count);
  }
  return {
    byMonth,
    byReason: reasons.map((r) => ({ label: REASON_CATEGORIES[r.reason as ReasonCategory] ?? r.reason, count: r.count })),
    transfers: ["已完成", "等待家长", "家长拒绝", "接替人超上限", "失败"].map((label) => ({ label, count: transferTotals.get(label) ?? 0 })),
  };
}

export interface FollowUps {
  /** Open steps already reminded at least once: their owner has let them wait past the first 24 h. */
  overdue: { subjectKind: string; recipientUserid: string; caseId: string | null; employeeUserid: string | null; openedAt: string; remindersSent: number }[];
  /** Reminders and escalations queued today (China date). */
  today: { subjectKind: string; kind: "reminder" | "escalation"; recipients: string[]; caseId: string | null; employeeUserid: string | null; queuedAt: string }[];
}

const LIST_ROWS = 50;

/**
 * What needs chasing today, scoped like the charts: a reminder belongs to the
 * caller when its case's leaver is in their subtree (or, without a case, its
 * department is).
 */
export async function followUps(dataSource: DataSource, actor: Actor, now: Date): Promise<FollowUps> {
  const visible = scopeSql(scope(actor, "read", "case"), 1);
  const inScope = `(${visible.department("r.department_id")} OR ${visible.staff("c.employee_userid")})`;
  const [all, departmentIds] = visible.params;
  const overdue: { subject_kind: string; recipient_userid: string; case_id: string | null; employee_userid: string | null; opened_at: Date; reminders_sent: number }[] =
    await dataSource.query(
      `SELECT r.subject_kind, r.recipient_userid, r.case_id, c.employee_userid, r.opened_at, r.reminders_sent
         FROM reminder r LEFT JOIN resignation_case c ON c.id = r.case_id
        WHERE r.done_at IS NULL AND r.reminders_sent > 0 AND ${inScope}
        ORDER BY r.opened_at LIMIT $3`,
      [all, departmentIds, LIST_ROWS],
    );
  const today: { subject_kind: string; kind: "reminder" | "escalation"; recipients: string[]; case_id: string | null; employee_userid: string | null; queued_at: Date }[] =
    await dataSource.query(
      `SELECT r.subject_kind, d.kind, d.recipients, r.case_id, c.employee_userid, d.queued_at
         FROM reminder_delivery d JOIN reminder r ON r.id = d.reminder_id LEFT JOIN resignation_case c ON c.id = r.case_id
        WHERE d.queued_at >= $3 AND d.queued_at < $4 AND ${inScope}
        ORDER BY d.queued_at DESC LIMIT $5`,
      [all, departmentIds, startOfLocalDay(now, CHINA_TIME_ZONE), startOfLocalDay(now, CHINA_TIME_ZONE, 1), LIST_ROWS],
    );
  return {
    overdue: overdue.map((r) => ({
      subjectKind: r.subject_kind,
      recipientUserid: r.recipient_userid,
      caseId: r.case_id,
      employeeUserid: r.employee_userid,
      openedAt: r.opened_at.toISOString(),
      remindersSent: r.reminders_sent,
    })),
    today: today.map((r) => ({ subjectKind: r.subject_kind, kind: r.kind, recipients: r.recipients, caseId: r.case_id, employeeUserid: r.employee_userid, queuedAt: r.queued_at.toISOString() })),
  };
}
