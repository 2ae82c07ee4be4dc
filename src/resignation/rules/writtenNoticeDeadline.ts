import { formatDateZh, type LocalDate } from "../../platform/localDate";
import type { WorkingCalendar } from "../../calendar";
import { ValidationError } from "../../platform/errors";

/**
 * Seed 004: a resignation that starts from a chat message or the bot is only
 * an intent until the written notice (LCL 37 书面) is e-signed, so the leaver
 * is given a deadline — N working days (3 unless the company set another) on
 * the official calendar: make-up Saturdays count, Spring Festival days do not.
 * The day it is set is not counted (CC 201).
 *
 * A deadline that reaches a year whose official arrangement is not loaded is
 * still computed — on weekends only, so the leaver gets a date — but it is
 * flagged as provisional with the missing years; never a silent guess.
 */

export const DEFAULT_NOTICE_DEADLINE_WORKING_DAYS = 3;
export const MAX_NOTICE_DEADLINE_WORKING_DAYS = 15;

export interface NoticeDeadline {
  setOn: LocalDate;
  workingDays: number;
  deadline: LocalDate;
  /** Years the count crossed without an official arrangement (weekends-only estimate there). */
  uncoveredYears: number[];
}

export function noticeDeadline(calendar: WorkingCalendar, setOn: LocalDate, workingDays: number): NoticeDeadline {
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > MAX_NOTICE_DEADLINE_WORKING_DAYS) {
    throw new ValidationError(`书面通知签署期限应为 1 至 ${MAX_NOTICE_DEADLINE_WORKING_DAYS} 个工作日`);
  }
  const answer = calendar.addWorkingDays(setOn, workingDays, { uncovered: "weekends_only" });
  return { setOn, workingDays, deadline: answer.value, uncoveredYears: answer.warnings.map((w) => w.year) };
}

/** The caveat shown to the leaver and HR whenever the deadline is provisional. */
export function uncoveredCaveat(years: number[]): string {
  return `${years.join("、")}年的法定节假日安排尚未录入，该期限暂按“周一至周五为工作日”估算；安排录入后系统将重新计算并通知您。`;
}

/** What the leaver is told (bot message, mini-program, reminders). */
export function deadlineSentence(d: Pick<NoticeDeadline, "deadline" | "workingDays" | "uncoveredYears">): string {
  const base = `请在${formatDateZh(d.deadline)}（${d.workingDays}个工作日内）前，在“离职办理”小程序中电子签署书面离职通知（《劳动合同法》第三十七条要求书面形式）。`;
  return d.uncoveredYears.length > 0 ? `${base}${uncoveredCaveat(d.uncoveredYears)}` : base;
}
