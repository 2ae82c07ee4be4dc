import { AlertKind, raiseSeverity, Severity } from "./alert";
import { EmploymentPhase, StaffContext } from "./observation";
import { startOfDate, startOfLocalDay } from "../../calendar";

/**
 * The phase that applies to an observation at `at`. The last day, when known,
 * wins over the stored phase: a message archived late from before the last day
 * is not an after-hours message, and a stale "notice_period" must not hide one.
 */
export function phaseAt(staff: StaffContext, at: Date, tz: string): EmploymentPhase {
  if (!staff.lastDay) return staff.employmentPhase;
  const endOfLastDay = startOfLocalDay(startOfDate(staff.lastDay, tz), tz, 1);
  if (at.getTime() >= endOfLastDay.getTime()) return "after_last_day";
  return staff.employmentPhase === "after_last_day" ? "notice_period" : staff.employmentPhase;
}

export function isLeaving(phase: EmploymentPhase): boolean {
  return phase !== "active";
}

/** Leavers get a tighter threshold, never below 2 (one is not a pattern). */
export function countThreshold(base: number, phase: EmploymentPhase, leaverFactor: number): number {
  return isLeaving(phase) ? Math.max(2, Math.ceil(base * leaverFactor)) : base;
}

/** The same act is one level more serious from someone who is leaving. */
export function severityFor(base: Severity, phase: EmploymentPhase, kind: AlertKind): Severity {
  return isLeaving(phase) && kind !== "after_last_day_message" ? raiseSeverity(base) : base;
}
