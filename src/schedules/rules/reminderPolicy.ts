import { deferPastQuietHours, QuietHours } from "./quietHours";

/** A checklist step or approval that nags its owner until done. */
export interface RemindableStep {
  openedAt: Date;
  remindersSent: number;
  lastReminderAt?: Date;
  done: boolean;
}

export interface ReminderPolicy {
  firstAfterHours: number;
  everyHours: number;
  /** After this many reminders the step goes to the owner's manager as well. */
  escalateAfter: number;
  quietHours: QuietHours;
}

const HOUR_MS = 3_600_000;

/**
 * When the next reminder is due, or null once the step is done.
 * The interval counts from the reminder actually sent (it may itself have been
 * pushed past quiet hours), so one night never collapses two reminders into one morning.
 */
export function nextReminderAt(step: RemindableStep, policy: ReminderPolicy): Date | null {
  if (step.done) return null;
  if (!(policy.everyHours > 0) || !(policy.firstAfterHours >= 0)) {
    throw new RangeError("reminder intervals must be positive");
  }
  const due =
    step.remindersSent === 0
      ? new Date(step.openedAt.getTime() + policy.firstAfterHours * HOUR_MS)
      : new Date(lastSentAt(step, policy).getTime() + policy.everyHours * HOUR_MS);
  return deferPastQuietHours(due, policy.quietHours);
}

/** A step whose sent-time was not recorded is assumed to follow the nominal schedule. */
function lastSentAt(step: RemindableStep, policy: ReminderPolicy): Date {
  if (step.lastReminderAt) return step.lastReminderAt;
  const nominalHours = policy.firstAfterHours + (step.remindersSent - 1) * policy.everyHours;
  return new Date(step.openedAt.getTime() + nominalHours * HOUR_MS);
}

export function shouldEscalate(step: RemindableStep, policy: ReminderPolicy): boolean {
  return !step.done && step.remindersSent >= policy.escalateAfter;
}
