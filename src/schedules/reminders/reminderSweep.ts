import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { nextReminderAt, shouldEscalate } from "../rules/reminderPolicy";
import { reminderPolicyFor } from "./reminderPolicyStore";
import type { DueReminder, ReminderSubject } from "./reminderSubject";

export interface SweepResult {
  reminded: number;
  escalated: number;
  closed: number;
}

const batchSize = 100;

/**
 * One batch of due reminders ($1 = now), claimed so instances never overlap.
 * Served by the partial index reminder_due (next_due_at WHERE done_at IS
 * NULL): the sweep reads the due rows only, however many idle ones exist.
 * `npm run bench` asserts that plan on 100,000 open cases.
 */
export const CLAIM_DUE_REMINDERS = `SELECT id, subject_kind, subject_id, recipient_userid, case_id, department_id, opened_at, reminders_sent, last_sent_at, escalated_at
         FROM reminder WHERE done_at IS NULL AND next_due_at <= $1
         ORDER BY next_due_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;

/**
 * Send every due reminder once. Due rows are claimed with FOR UPDATE SKIP
 * LOCKED, so instances share the work without overlap; the numbered
 * delivery row, the queued message and the next due time commit together,
 * so a crash either sent nothing (retried) or recorded the send (never
 * repeated).
 */
export async function sweepReminders(
  deps: { dataSource: DataSource; clock: Clock; logger: Logger; afterCommit?: () => void },
  subjects: ReminderSubject[],
): Promise<SweepResult> {
  const byKind = new Map(subjects.map((s) => [s.kind, s]));
  const total: SweepResult = { reminded: 0, escalated: 0, closed: 0 };
  for (;;) {
    const now = deps.clock.now();
    const batch = await deps.dataSource.transaction(async (manager) => {
      const rows = await manager.query(CLAIM_DUE_REMINDERS, [now]);
      const result: SweepResult = { reminded: 0, escalated: 0, closed: 0 };
      for (const row of rows) {
        const reminder = toDue(row);
        const subject = byKind.get(reminder.subjectKind);
        if (!subject) {
          deps.logger.error({ reminder: reminder.id, kind: reminder.subjectKind }, "no reminder subject for this kind; parked");
          await manager.query(`UPDATE reminder SET next_due_at = NULL WHERE id = $1`, [reminder.id]);
          continue;
        }
        if (!(await subject.isOpen(manager, reminder))) {
          await manager.query(`UPDATE reminder SET done_at = $2, next_due_at = NULL WHERE id = $1`, [reminder.id, now]);
          result.closed++;
          continue;
        }
        const escalated = await remindOnce(manager, subject, reminder, now);
        result.reminded++;
        if (escalated) result.escalated++;
      }
      return { rows: rows.length, result };
    });
    total.reminded += batch.result.reminded;
    total.escalated += batch.result.escalated;
    total.closed += batch.result.closed;
    if (batch.result.reminded > 0) deps.afterCommit?.();
    if (batch.rows < batchSize) break;
  }
  if (total.reminded + total.closed > 0) deps.logger.info(total, "reminders swept");
  return total;
}

async function remindOnce(manager: EntityManager, subject: ReminderSubject, r: DueReminder, now: Date): Promise<boolean> {
  const seq = r.remindersSent + 1;
  await manager.query(
    `INSERT INTO reminder_delivery (reminder_id, seq, kind, recipients, queued_at) VALUES ($1, $2, 'reminder', $3, $4)`,
    [r.id, seq, [r.recipientUserid], now],
  );
  await subject.remind(manager, r, seq, now);
  const policy = subject.policy ?? (await reminderPolicyFor(manager, r.departmentId));
  const step = { openedAt: r.openedAt, remindersSent: seq, lastReminderAt: now, done: false };
  let escalatedAt = r.escalatedAt;
  if (!escalatedAt && shouldEscalate(step, policy)) {
    const told = await subject.escalate(manager, r, now);
    await manager.query(
      `INSERT INTO reminder_delivery (reminder_id, seq, kind, recipients, queued_at) VALUES ($1, $2, 'escalation', $3, $4)`,
      [r.id, seq, told, now],
    );
    escalatedAt = now;
  }
  await manager.query(
    `UPDATE reminder SET reminders_sent = $2, last_sent_at = $3, next_due_at = $4, escalated_at = $5 WHERE id = $1`,
    [r.id, seq, now, nextReminderAt(step, policy), escalatedAt],
  );
  return escalatedAt === now;
}

function toDue(r: Record<string, unknown>): DueReminder {
  return {
    id: String(r.id),
    subjectKind: r.subject_kind as string,
    subjectId: r.subject_id as string,
    recipientUserid: r.recipient_userid as string,
    caseId: (r.case_id as string | null) ?? null,
    departmentId: (r.department_id as number | null) ?? null,
    openedAt: r.opened_at as Date,
    remindersSent: r.reminders_sent as number,
    lastSentAt: (r.last_sent_at as Date | null) ?? null,
    escalatedAt: (r.escalated_at as Date | null) ?? null,
  };
}
