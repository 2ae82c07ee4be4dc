import {
  addDays,
  addMonthsClamped,
  assertLocalDate,
  compareDates,
  dayOfWeek,
  daysBetween,
  formatDateZh,
  fromInstant,
  isLocalDate,
  monthsAndDaysBetween,
} from "../../src/platform/localDate";
import { ValidationError } from "../../src/platform/errors";

describe("LocalDate", () => {
  it.each(["2026-01-01", "2028-02-29", "2024-12-31", "2000-02-29"])("accepts %s", (d) => {
    expect(isLocalDate(d)).toBe(true);
  });

  it.each(["2027-02-29", "2026-13-01", "2026-04-31", "2026-1-1", "20260101", "", "2026-01-01T00:00", 20260101, null])(
    "rejects %p",
    (d) => {
      expect(isLocalDate(d)).toBe(false);
    },
  );

  it("assertLocalDate throws a ValidationError naming the field", () => {
    expect(() => assertLocalDate("2026-02-30", "lastDay")).toThrow(ValidationError);
    expect(() => assertLocalDate("2026-02-30", "lastDay")).toThrow(/lastDay/);
  });

  it("fromInstant uses China time, not the host zone", () => {
    // 2026-03-01 23:30 in Beijing is still 2026-03-01 15:30 UTC …
    expect(fromInstant(new Date("2026-03-01T15:30:00Z"))).toBe("2026-03-01");
    // … and 16:00 UTC is already the next day in Beijing.
    expect(fromInstant(new Date("2026-03-01T16:00:00Z"))).toBe("2026-03-02");
    expect(fromInstant(new Date("2026-03-01T16:00:00Z"), "UTC")).toBe("2026-03-01");
    expect(() => fromInstant(new Date("nope"))).toThrow(ValidationError);
  });

  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-03-01", 0)).toBe("2026-03-01");
    expect(() => addDays("2026-03-01", 1.5)).toThrow(ValidationError);
  });

  it("diffs and compares", () => {
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
    expect(daysBetween("2028-01-01", "2029-01-01")).toBe(366);
    expect(daysBetween("2026-03-31", "2026-03-01")).toBe(-30);
    expect(compareDates("2026-01-02", "2026-01-10")).toBe(-1);
    expect(compareDates("2026-01-10", "2026-01-10")).toBe(0);
    expect(compareDates("2026-11-01", "2026-02-01")).toBe(1);
  });

  it("knows the weekday", () => {
    expect(dayOfWeek("2026-02-14")).toBe(6); // Saturday
    expect(dayOfWeek("2026-02-15")).toBe(0); // Sunday
    expect(dayOfWeek("2026-03-02")).toBe(1);
  });

  it("adds months clamped to month ends", () => {
    expect(addMonthsClamped("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonthsClamped("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonthsClamped("2026-11-15", 3)).toBe("2027-02-15");
    expect(addMonthsClamped("2026-03-31", -1)).toBe("2026-02-28");
  });

  it("counts whole months and leftover days", () => {
    expect(monthsAndDaysBetween("2020-03-01", "2021-03-01")).toEqual({ months: 12, days: 0 });
    expect(monthsAndDaysBetween("2020-03-15", "2021-03-14")).toEqual({ months: 11, days: 27 });
    expect(monthsAndDaysBetween("2020-01-31", "2020-02-29")).toEqual({ months: 1, days: 0 });
    expect(monthsAndDaysBetween("2020-01-31", "2020-03-01")).toEqual({ months: 1, days: 1 });
    expect(monthsAndDaysBetween("2026-05-05", "2026-05-05")).toEqual({ months: 0, days: 0 });
    expect(() => monthsAndDaysBetween("2026-05-05", "2026-05-04")).toThrow(ValidationError);
  });

  it("formats for Chinese documents", () => {
    expect(formatDateZh("2026-03-02")).toBe("2026年3月2日");
    expect(formatDateZh("2028-12-31")).toBe("2028年12月31日");
  });
});
