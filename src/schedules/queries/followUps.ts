import type { DataSource } from "typeorm";
import { startOfLocalDay } from "../../calendar";
import type { Actor } from "../../org";
import { scope } from "../../org";
import { scopeSql } from "../../org";
import { CHINA_TIME_ZONE } from "../../platform/localDate";

export interface FollowUps {
  /** Open steps already reminded at least once: their owner has let them wait past the first 24 h. */
  overdue: { subjectKind: string; recipientUserid: string; caseId: string | null; employeeUserid: string | null; openedAt: string; remindersSent: number }[];
  /** Reminders and escalations queued today (China date). */
  today: { subjectKind: string; kind: "reminder" | "escalation"; recipients: string[]; caseId: string | null; employeeUserid: string | null; queuedAt: string }[];
}

const LIST_ROWS = 50;

/**
 * What needs chasing today, scoped like the dashboard's charts: a reminder belongs to the caller when its
 * case's leaver is in their subtree (or, without a case, its department is). The reminders are this
 * capability's; the leaver of a reminder's case is still read from resignation's case table.
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
