import type { EntityManager } from "typeorm";
import { nextReminderAt, type ReminderPolicy } from "../rules/reminderPolicy";
import { reminderPolicyFor } from "./reminderPolicyStore";

export interface ReminderOpening {
  subjectKind: string;
  subjectId: string;
  recipientUserid: string;
  caseId?: string;
  departmentId?: number | null;
  openedAt: Date;
  /** The subject's fixed cadence, if it has one (ReminderSubject.policy). */
  policy?: ReminderPolicy;
  /**
   * A one-off reminder (a date's 90/30/7-day notice): opening it again, even after it was sent and
   * closed, changes nothing, so a daily pass or a re-import never sends it twice.
   */
  once?: boolean;
}

/**
 * Start reminding someone about a step, first after the branch's policy
 * delay; opening an open one again (a retried command) changes nothing, a
 * closed one (a new round) starts over.
 */
export async function openReminder(manager: EntityManager, r: ReminderOpening): Promise<void> {
  const policy = r.policy ?? (await reminderPolicyFor(manager, r.departmentId ?? null));
  const firstDueAt = nextReminderAt({ openedAt: r.openedAt, remindersSent: 0, done: false }, policy);
  await manager.query(
    `INSERT INTO reminder (subject_kind, subject_id, recipient_userid, case_id, department_id, opened_at, next_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (subject_kind, subject_id, recipient_userid) DO ${
       r.once
         ? "NOTHING"
         : `UPDATE
       SET done_at = NULL, opened_at = excluded.opened_at, next_due_at = excluded.next_due_at,
           reminders_sent = 0, last_sent_at = NULL, escalated_at = NULL
       WHERE reminder.done_at IS NOT NULL`
     }`,
    [r.subjectKind, r.subjectId, r.recipientUserid, r.caseId ?? null, r.departmentId ?? null, r.openedAt, firstDueAt],
  );
}

/** Stop reminding about a step (for one recipient, or everyone). */
export async function closeReminders(manager: EntityManager, subjectKind: string, subjectId: string, now: Date, recipientUserid?: string): Promise<void> {
  await manager.query(
    `UPDATE reminder SET done_at = $3, next_due_at = NULL
     WHERE subject_kind = $1 AND subject_id = $2 AND done_at IS NULL AND ($4::text IS NULL OR recipient_userid = $4)`,
    [subjectKind, subjectId, now, recipientUserid ?? null],
  );
}

export interface SentReminder {
  subjectKind: string;
  recipientUserid: string;
  kind: "reminder" | "escalation";
  seq: number;
  recipients: string[];
  queuedAt: Date;
}

/** Every reminder and escalation queued for a case, oldest first (what the case page lists as "reminders sent"). */
export async function remindersSentForCase(manager: EntityManager, caseId: string): Promise<SentReminder[]> {
  const rows: { subject_kind: string; recipient_userid: string; kind: SentReminder["kind"]; seq: number; recipients: string[]; queued_at: Date }[] = await manager.query(
    `SELECT r.subject_kind, r.recipient_userid, d.kind, d.seq, d.recipients, d.queued_at
       FROM reminder r JOIN reminder_delivery d ON d.reminder_id = r.id
      WHERE r.case_id = $1 ORDER BY d.queued_at, d.seq`,
    [caseId],
  );
  return rows.map((r) => ({ subjectKind: r.subject_kind, recipientUserid: r.recipient_userid, kind: r.kind, seq: r.seq, recipients: r.recipients, queuedAt: r.queued_at }));
}
