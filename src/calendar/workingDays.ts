import chineseDays from "chinese-days/dist/chinese-days.json";
import { AppError, ValidationError } from "../platform/errors";
import { addDays, assertLocalDate, dayOfWeek, yearOf, type LocalDate } from "../platform/localDate";

/**
 * China's working-day calendar: statutory holidays are off, make-up Saturdays
 * and Sundays (调休上班) are working days, other weekends are off.
 *
 * Data comes from the maintained `chinese-days` package. We read its published
 * JSON rather than calling `isWorkday()`, because the package derives the
 * weekday and the 'YYYY-MM-DD' key with the host's local time: west of UTC it
 * answers for the previous day. Our LocalDate arithmetic is zone-free.
 *
 * A year the package does not list (the State Council publishes each year's
 * schedule in November) is never guessed silently: callers get
 * `CalendarNotCovered`, or — only when they opt in — a weekends-only answer
 * carrying a warning. An operator override table for a year replaces the
 * package's data for that whole year, so a late correction or a not-yet-packaged
 * schedule can be entered without a release.
 */

export interface CalendarYearOverride {
  year: number;
  /** Days off (including weekend days inside a holiday block). */
  holidays: LocalDate[];
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: LocalDate[];
  /** Where the operator took it from, e.g. '国办发明电〔2026〕xx号'. */
  source?: string;
}

export type UncoveredYearPolicy = "throw" | "weekends_only";

export interface CalendarQueryOptions {
  /** What to do for a year neither the package nor an override covers. Default: throw. */
  uncovered?: UncoveredYearPolicy;
}

export interface CalendarWarning {
  code: "weekends_only_fallback";
  year: number;
  message: string;
}

export interface CalendarAnswer<T> {
  value: T;
  warnings: CalendarWarning[];
}

export type CoverageSource = "override" | "package" | "none";

export class CalendarNotCovered extends AppError {
  constructor(readonly year: number) {
    super(
      503,
      "calendar_not_covered",
      `${year}年的法定节假日安排尚未收录，无法计算工作日。请管理员录入该年度的放假与调休安排后重试。`,
      { year },
    );
  }
}

interface YearTable {
  holidays: ReadonlySet<LocalDate>;
  workdays: ReadonlySet<LocalDate>;
}

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

function tablesByYear(data: PackageData): Map<number, YearTable> {
  const byYear = new Map<number, { holidays: Set<LocalDate>; workdays: Set<LocalDate> }>();
  const bucket = (date: string) => {
    const year = Number(date.slice(0, 4));
    let t = byYear.get(year);
    if (!t) byYear.set(year, (t = { holidays: new Set(), workdays: new Set() }));
    return t;
  };
  for (const d of Object.keys(data.holidays)) bucket(d).holidays.add(d);
  for (const d of Object.keys(data.workdays)) bucket(d).workdays.add(d);
  return byYear;
}

const PACKAGE_TABLES = tablesByYear(chineseDays as PackageData);

function isWeekend(date: LocalDate): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

/**
 * An official arrangement must list each date once, inside its own year, and
 * a make-up working day must fall on a weekend (a weekday is a working day anyway).
 */
export function validateOverride(o: CalendarYearOverride): YearTable {
  if (!Number.isInteger(o.year) || o.year < 1949 || o.year > 9999) {
    throw new ValidationError(`节假日覆盖表的年份无效：${o.year}`);
  }
  const check = (d: LocalDate, field: string) => {
    assertLocalDate(d, field);
    if (yearOf(d) !== o.year) throw new ValidationError(`${d} 不属于 ${o.year} 年的覆盖表`);
  };
  o.holidays.forEach((d) => check(d, "holidays"));
  o.makeUpWorkdays.forEach((d) => check(d, "makeUpWorkdays"));
  for (const list of [o.holidays, o.makeUpWorkdays]) {
    const seen = new Set<LocalDate>();
    for (const d of list) {
      if (seen.has(d)) throw new ValidationError(`${d} 在 ${o.year} 年的安排中出现了不止一次`);
      seen.add(d);
    }
  }
  const holidays = new Set(o.holidays);
  for (const d of o.makeUpWorkdays) {
    if (holidays.has(d)) throw new ValidationError(`${d} 不能同时是节假日和调休上班日`);
    if (!isWeekend(d)) throw new ValidationError(`${d} 是工作日，无需登记为调休上班日`);
  }
  return { holidays, workdays: new Set(o.makeUpWorkdays) };
}

export class WorkingCalendar {
  private readonly overrides: Map<number, YearTable>;

  constructor(overrides: CalendarYearOverride[] = []) {
    this.overrides = new Map();
    for (const o of overrides) {
      if (this.overrides.has(o.year)) throw new ValidationError(`${o.year} 年的覆盖表重复`);
      this.overrides.set(o.year, validateOverride(o));
    }
  }

  /** The years this calendar answers for without guessing. */
  coveredYears(): number[] {
    return [...new Set([...PACKAGE_TABLES.keys(), ...this.overrides.keys()])].sort((a, b) => a - b);
  }

  coverage(year: number): CoverageSource {
    if (this.overrides.has(year)) return "override";
    return PACKAGE_TABLES.has(year) ? "package" : "none";
  }

  isWorkday(date: LocalDate, options: CalendarQueryOptions = {}): CalendarAnswer<boolean> {
    const warnings = new Warnings();
    return { value: this.workdayOrThrow(date, options, warnings), warnings: warnings.list() };
  }

  /**
   * The n-th working day after `from` (`from` itself is not counted, as with
   * "within 3 working days" in HR rules). n = 0 gives `from` when it is a
   * working day, otherwise the next one; negative n counts backwards.
   */
  addWorkingDays(from: LocalDate, n: number, options: CalendarQueryOptions = {}): CalendarAnswer<LocalDate> {
    if (!Number.isInteger(n)) throw new ValidationError("工作日天数必须是整数");
    const warnings = new Warnings();
    let date = assertLocalDate(from, "from");
    if (n === 0) {
      while (!this.workdayOrThrow(date, options, warnings)) date = addDays(date, 1);
      return { value: date, warnings: warnings.list() };
    }
    const step = n > 0 ? 1 : -1;
    let remaining = Math.abs(n);
    while (remaining > 0) {
      date = addDays(date, step);
      if (this.workdayOrThrow(date, options, warnings)) remaining -= 1;
    }
    return { value: date, warnings: warnings.list() };
  }

  private workdayOrThrow(date: LocalDate, options: CalendarQueryOptions, warnings: Warnings): boolean {
    assertLocalDate(date);
    const year = yearOf(date);
    const table = this.overrides.get(year) ?? PACKAGE_TABLES.get(year);
    if (!table) {
      if ((options.uncovered ?? "throw") === "throw") throw new CalendarNotCovered(year);
      warnings.add(year);
      return !isWeekend(date);
    }
    if (table.workdays.has(date)) return true;
    if (table.holidays.has(date)) return false;
    return !isWeekend(date);
  }
}

class Warnings {
  private readonly years = new Set<number>();

  add(year: number): void {
    this.years.add(year);
  }

  list(): CalendarWarning[] {
    return [...this.years].sort().map((year) => ({
      code: "weekends_only_fallback" as const,
      year,
      message: `${year}年的法定节假日安排尚未收录，已按“周一至周五为工作日”估算，结果可能与实际放假安排不符。`,
    }));
  }
}

/** The calendar with the package's data only. */
export const packageCalendar = new WorkingCalendar();
