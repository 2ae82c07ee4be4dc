import { ValidationError } from "./errors";

/**
 * A calendar date as people in China read it: 'YYYY-MM-DD', no time, no zone.
 * Notice periods, last days and holidays are dates, not instants; keeping them
 * as strings means they survive JSON, SQL `date` columns and logs unchanged,
 * and compare correctly with `<`. Arithmetic runs on UTC date parts, so the
 * host's TZ never shifts a day (China has no DST, but servers may run in UTC).
 */
export type LocalDate = string;

export const CHINA_TIME_ZONE = "Asia/Shanghai";

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== "string") return false;
  const m = PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d;
}

export function assertLocalDate(value: unknown, field = "date"): LocalDate {
  if (!isLocalDate(value)) {
    throw new ValidationError(`日期格式无效（${field}），应为 YYYY-MM-DD 的有效日期`, [
      { path: field, message: `invalid local date: ${String(value)}` },
    ]);
  }
  return value;
}

function toUtcMs(date: LocalDate): number {
  assertLocalDate(date);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtcMs(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The local date of an instant in a time zone (default: China). */
export function fromInstant(instant: Date, timeZone: string = CHINA_TIME_ZONE): LocalDate {
  if (Number.isNaN(instant.getTime())) throw new ValidationError("时间无效");
  // en-CA formats as YYYY-MM-DD; formatToParts avoids relying on that layout.
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return assertLocalDate(`${get("year")}-${get("month")}-${get("day")}`);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new ValidationError("天数必须是整数");
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

export function compareDates(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  assertLocalDate(a);
  assertLocalDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function yearOf(date: LocalDate): number {
  assertLocalDate(date);
  return Number(date.slice(0, 4));
}

/**
 * Whole calendar months from `from` up to (not including) `toExclusive`,
 * plus the days left over. A month is complete when the same day-of-month is
 * reached again, clamped to month ends (a month after 01-31 is 02-28/29), the
 * same rule `addMonthsClamped` uses, so the two always agree.
 */
export function monthsAndDaysBetween(from: LocalDate, toExclusive: LocalDate): { months: number; days: number } {
  if (compareDates(toExclusive, from) < 0) throw new ValidationError("结束日期早于开始日期");
  const [fy, fm, fd] = [yearOf(from), Number(from.slice(5, 7)), Number(from.slice(8, 10))];
  const [ty, tm, td] = [yearOf(toExclusive), Number(toExclusive.slice(5, 7)), Number(toExclusive.slice(8, 10))];
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd) months -= 1;
  if (compareDates(addMonthsClamped(from, months + 1), toExclusive) <= 0) months += 1;
  const anchor = addMonthsClamped(from, months);
  return { months, days: daysBetween(anchor, toExclusive) };
}

/** Adds months keeping the day-of-month, clamped to the month's end (01-31 + 1 month = 02-28/29). */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  const y = yearOf(date);
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromUtcMs(Date.UTC(targetYear, targetMonth, Math.min(d, lastDay)));
}

/** '2026年3月2日' — the form used in Chinese documents. */
export function formatDateZh(date: LocalDate): string {
  assertLocalDate(date);
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
