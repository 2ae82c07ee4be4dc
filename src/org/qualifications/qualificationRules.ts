import { addDays, addMonthsClamped, compareDates, daysBetween, type LocalDate } from "../../platform/localDate";

/**
 * Teachers' qualifications (seed 001 "教师资质管理: 提醒证书有效期（如教师资格证每5年注册）"). Pure rules: when
 * something falls due, which reminder is due today, who counts as qualified for a subject.
 *
 * A 教师资格证 itself does not expire, but it must be registered every five years (教师资格定期注册暂行办法,
 * 教师〔2013〕1号, art. 2: 定期注册每5年一周期); without a valid registration the holder may not teach. Other
 * certificates (普通话水平测试等级证书, first-aid, …) carry their own expiry date, or none.
 */

export type QualificationKind = "teacher_certificate" | "other";

/** The teaching levels a 教师资格证 is issued for (教师资格条例 art. 4). */
export const TEACHING_LEVELS = [
  "幼儿园",
  "小学",
  "初级中学",
  "高级中学",
  "中等职业学校",
  "中等职业学校实习指导",
  "高等学校",
] as const;
export type TeachingLevel = (typeof TEACHING_LEVELS)[number];

export const KIND_LABELS: Record<QualificationKind, string> = { teacher_certificate: "教师资格证", other: "其他证书" };

export const REGISTRATION_CYCLE_YEARS = 5;

/** Days before a registration or expiry at which the teacher and their campus HR are reminded, each once. */
export const REMINDER_DAYS = [90, 30, 7] as const;
export type ReminderDay = (typeof REMINDER_DAYS)[number];

export interface QualificationDates {
  kind: QualificationKind;
  registeredOn: LocalDate | null;
  expiresOn: LocalDate | null;
}

/** The next 5-yearly registration after a registration date (29 February registers again on 28 February). */
export function nextRegistrationOn(registeredOn: LocalDate): LocalDate {
  return addMonthsClamped(registeredOn, REGISTRATION_CYCLE_YEARS * 12);
}

/**
 * The date that needs action: a teacher certificate's next registration, another certificate's expiry;
 * null when nothing is due (a teacher certificate never registered yet, a certificate without expiry).
 */
export function dueDateOf(q: QualificationDates): LocalDate | null {
  if (q.kind === "teacher_certificate") return q.registeredOn ? nextRegistrationOn(q.registeredOn) : null;
  return q.expiresOn;
}

/**
 * The reminder that is due today for a date, or null: the nearest threshold already reached, while the date
 * is still ahead (or today). A record imported 20 days before its date gets the 30-day reminder now and the
 * 7-day one later, never the 90-day one after the fact; each (date, threshold) is sent once by its caller.
 */
export function reminderDueToday(dueOn: LocalDate, today: LocalDate): ReminderDay | null {
  const left = daysBetween(today, dueOn);
  if (left < 0) return null;
  const reached = REMINDER_DAYS.filter((d) => left <= d);
  return reached.length > 0 ? (Math.min(...reached) as ReminderDay) : null;
}

/** The first day on which the earliest reminder of a date is due (for the "next reminder" column). */
export function firstReminderOn(dueOn: LocalDate): LocalDate {
  return addDays(dueOn, -Math.max(...REMINDER_DAYS));
}

export type QualificationStatus = "valid" | "due_soon" | "lapsed" | "no_date";

export const STATUS_LABELS: Record<QualificationStatus, string> = {
  valid: "有效",
  due_soon: "即将到期",
  lapsed: "已过期",
  no_date: "无到期日",
};

/** Where a record stands today: lapsed after its date, due soon within the first reminder's 90 days. */
export function qualificationStatus(dueOn: LocalDate | null, today: LocalDate): QualificationStatus {
  if (dueOn === null) return "no_date";
  if (compareDates(dueOn, today) < 0) return "lapsed";
  return daysBetween(today, dueOn) <= Math.max(...REMINDER_DAYS) ? "due_soon" : "valid";
}

/** What a reminder says the date is: the registration for a teacher certificate, the expiry otherwise. */
export function dueActionLabel(kind: QualificationKind): string {
  return kind === "teacher_certificate" ? "完成定期注册" : "办理续期";
}

/** Subject names as HR types them ("数学 ", "Ｍath") compare equal after trimming and NFKC. */
export function normaliseSubject(subject: string): string {
  return subject.normalize("NFKC").trim();
}

/** A record as successor choice weighs it: what it is, its subject, and the date by which it lapses. */
export interface SubjectCertificate {
  kind: QualificationKind;
  subject: string | null;
  /** The next 5-yearly registration (教师资格证) or the expiry (others); null: no date known. */
  dueOn: LocalDate | null;
}

/**
 * The subjects a teacher is certified for today: their 教师资格证 whose registration has not lapsed. A
 * certificate whose 5-yearly registration date has passed no longer lets its holder teach (教师资格定期注册暂行办法:
 * 每5年申请一次定期注册…逾期不注册的教师，不得从事教育教学工作), so it stops counting the day after that date;
 * a certificate of another kind never certifies a subject, and one that expired certainly not. A certificate
 * without a registration date on record counts: nothing says it lapsed, and successor choice only prefers.
 * `today` comes from the caller's injected clock.
 */
export function certifiedSubjectsOn(records: SubjectCertificate[], today: LocalDate): string[] {
  const subjects = records
    .filter((r) => r.kind === "teacher_certificate" && r.subject !== null && qualificationStatus(r.dueOn, today) !== "lapsed")
    .map((r) => r.subject as string);
  return [...new Set(subjects)].sort();
}

/**
 * The subjects of a leaver that a teacher holds a 教师资格证 for. Any level counts: a certificate for a
 * higher level qualifies for lower ones (教师资格条例 art. 5), and successor choice only prefers, never
 * excludes, so a level mismatch is left to HR's review of the plan.
 */
export function qualifiedSubjects(certificateSubjects: string[], leaverSubjects: string[]): string[] {
  const held = new Set(certificateSubjects.map(normaliseSubject));
  return leaverSubjects.filter((s) => held.has(normaliseSubject(s)));
}
