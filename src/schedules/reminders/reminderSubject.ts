import type { EntityManager } from "typeorm";
import type { ReminderPolicy } from "../rules/reminderPolicy";

/** What a reminder is about, as the sweep needs it at send time. */
export interface DueReminder {
  id: string;
  subjectKind: string;
  subjectId: string;
  recipientUserid: string;
  caseId: string | null;
  departmentId: number | null;
  openedAt: Date;
  remindersSent: number;
  lastSentAt: Date | null;
  escalatedAt: Date | null;
}

/**
 * One kind of step that nags its owner (an unsigned notice, a pending
 * approval, an unsigned checklist). The sweep asks the subject, at send time,
 * whether it is still open, so a step closed by any path stops reminding.
 */
export interface ReminderSubject {
  kind: string;
  /** A fixed cadence for this kind (e.g. an urgent IT task); otherwise the branch's reminder policy applies. */
  policy?: ReminderPolicy;
  isOpen(manager: EntityManager, reminder: DueReminder): Promise<boolean>;
  /** Queue the reminder (and record it as evidence) in the sweep's transaction. */
  remind(manager: EntityManager, reminder: DueReminder, seq: number, now: Date): Promise<void>;
  /** Queue the escalation to the people responsible, in the sweep's transaction; returns who was told. */
  escalate(manager: EntityManager, reminder: DueReminder, now: Date): Promise<string[]>;
}
