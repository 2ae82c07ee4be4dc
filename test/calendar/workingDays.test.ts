import { CalendarNotCovered, WorkingCalendar, packageCalendar } from "../../src/calendar/workingDays";
import { ValidationError } from "../../src/platform/errors";
import { thrown } from "../support/thrown";

const workday = (d: string) => packageCalendar.isWorkday(d).value;

describe("working days (chinese-days data)", () => {
  it("covers the published years and nothing beyond", () => {
    expect(packageCalendar.coverage(2025)).toBe("package");
    expect(packageCalendar.coverage(2026)).toBe("package");
    expect(packageCalendar.coverage(2027)).toBe("none");
  });

  // The 2025 and 2026 schedules from the State Council notices (labor-law.md §5).
  it.each([
    ["2025-01-01", false], // 元旦
    ["2025-01-26", true], // Sunday make-up day
    ["2025-01-28", false],
    ["2025-02-04", false],
    ["2025-02-08", true], // Saturday make-up day
    ["2025-04-27", true],
    ["2025-05-05", false],
    ["2025-09-28", true],
    ["2025-10-08", false],
    ["2025-10-11", true],
    ["2026-01-02", false],
    ["2026-01-04", true], // Sunday make-up day
    ["2026-02-14", true],
    ["2026-02-23", false], // Monday inside 春节
    ["2026-02-28", true],
    ["2026-05-09", true],
    ["2026-06-19", false],
    ["2026-09-20", true],
    ["2026-10-07", false],
    ["2026-10-10", true],
    ["2026-03-02", true], // ordinary Monday
    ["2026-03-07", false], // ordinary Saturday
    ["2026-03-08", false], // ordinary Sunday
  ])("%s working day = %s", (date, expected) => {
    expect(workday(date)).toBe(expected);
  });

  it("gives the same answer whatever the host time zone", () => {
    // The package's own isWorkday() shifts a day west of UTC; our lookups do not use the host zone at all.
    const original = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(workday("2026-02-14")).toBe(true);
      expect(workday("2026-01-04")).toBe(true);
      expect(workday("2026-01-03")).toBe(false);
    } finally {
      process.env.TZ = original;
    }
  });

  it("adds working days over the Spring Festival, counting make-up Saturdays", () => {
    // Fri 2026-02-13 → Sat 02-14 is a make-up working day.
    expect(packageCalendar.addWorkingDays("2026-02-13", 1).value).toBe("2026-02-14");
    // From 02-14 the next working day is after the holiday block (02-15 … 02-23).
    expect(packageCalendar.addWorkingDays("2026-02-14", 1).value).toBe("2026-02-24");
    expect(packageCalendar.addWorkingDays("2026-02-14", 5).value).toBe("2026-02-28");
    expect(packageCalendar.addWorkingDays("2026-02-24", -1).value).toBe("2026-02-14");
  });

  it("n = 0 means this day if it is a working day, else the next one", () => {
    expect(packageCalendar.addWorkingDays("2026-03-02", 0).value).toBe("2026-03-02");
    expect(packageCalendar.addWorkingDays("2026-10-01", 0).value).toBe("2026-10-08");
  });

  it("answers without warnings inside covered years", () => {
    expect(packageCalendar.addWorkingDays("2026-12-30", 1)).toEqual({ value: "2026-12-31", warnings: [] });
  });

  it("refuses to guess a year nobody has published", () => {
    expect(() => packageCalendar.isWorkday("2027-01-04")).toThrow(CalendarNotCovered);
    // Crossing into the uncovered year is refused too.
    expect(() => packageCalendar.addWorkingDays("2026-12-31", 1)).toThrow(CalendarNotCovered);
    const e = thrown(() => packageCalendar.isWorkday("2027-05-01"));
    expect(e).toBeInstanceOf(CalendarNotCovered);
    expect((e as CalendarNotCovered).code).toBe("calendar_not_covered");
    expect((e as CalendarNotCovered).year).toBe(2027);
    expect((e as Error).message).toContain("2027年");
  });

  it("falls back to weekends only when the caller opts in, with a warning", () => {
    const answer = packageCalendar.addWorkingDays("2026-12-31", 2, { uncovered: "weekends_only" });
    // 2027-01-01 is a Friday; with no schedule it counts, then Mon 01-04.
    expect(answer.value).toBe("2027-01-04");
    expect(answer.warnings).toHaveLength(1);
    expect(answer.warnings[0]).toMatchObject({ code: "weekends_only_fallback", year: 2027 });
    expect(answer.warnings[0].message).toContain("2027年");
    expect(packageCalendar.isWorkday("2027-01-02", { uncovered: "weekends_only" }).value).toBe(false);
  });

  describe("operator overrides", () => {
    const override2027 = new WorkingCalendar([
      {
        year: 2027,
        holidays: ["2027-01-01", "2027-01-02", "2027-01-03"],
        makeUpWorkdays: ["2027-01-09"],
        source: "test schedule",
      },
    ]);

    it("cover a year the package lacks, with no warning", () => {
      expect(override2027.coverage(2027)).toBe("override");
      expect(override2027.isWorkday("2027-01-01")).toEqual({ value: false, warnings: [] });
      expect(override2027.isWorkday("2027-01-09").value).toBe(true); // Saturday make-up
      expect(override2027.addWorkingDays("2026-12-31", 1).value).toBe("2027-01-04");
    });

    it("replace the package's data for that year", () => {
      const corrected = new WorkingCalendar([{ year: 2026, holidays: ["2026-03-02"], makeUpWorkdays: [] }]);
      expect(corrected.coverage(2026)).toBe("override");
      expect(corrected.isWorkday("2026-03-02").value).toBe(false);
      // 02-14 was a make-up day in the package; the override table does not list it.
      expect(corrected.isWorkday("2026-02-14").value).toBe(false);
      expect(corrected.isWorkday("2025-01-26").value).toBe(true); // other years untouched
    });

    it.each([
      [{ year: 2027, holidays: ["2028-01-01"], makeUpWorkdays: [] }, /不属于/],
      [{ year: 2027, holidays: ["2027-02-30"], makeUpWorkdays: [] }, /日期格式无效/],
      [{ year: 2027, holidays: ["2027-01-09"], makeUpWorkdays: ["2027-01-09"] }, /不能同时/],
      [{ year: 2027, holidays: [], makeUpWorkdays: ["2027-01-04"] }, /无需登记/],
      [{ year: 20.5, holidays: [], makeUpWorkdays: [] }, /年份无效/],
    ])("reject malformed tables %#", (table, message) => {
      expect(() => new WorkingCalendar([table])).toThrow(ValidationError);
      expect(() => new WorkingCalendar([table])).toThrow(message);
    });

    it("reject two tables for one year", () => {
      const t = { year: 2027, holidays: [], makeUpWorkdays: [] };
      expect(() => new WorkingCalendar([t, t])).toThrow(/重复/);
    });
  });
});
