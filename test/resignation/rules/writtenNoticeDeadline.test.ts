import { nextYearMissingWarning } from "../../../src/calendar/coverageWarning";
import { parseOfficialArrangement } from "../../../src/calendar/officialArrangement";
import { packageCalendar, WorkingCalendar } from "../../../src/calendar/workingDays";
import { ValidationError } from "../../../src/platform/errors";
import { deadlineSentence, noticeDeadline } from "../../../src/resignation/rules/writtenNoticeDeadline";

/** A plausible 2027 arrangement in holiday-cn's shape (not the official one — it is not published in this test's world). */
const year2027 = {
  year: 2027,
  papers: ["https://www.gov.cn/example-2027"],
  days: [
    { name: "元旦", date: "2027-01-01", isOffDay: true },
    { name: "元旦", date: "2027-01-02", isOffDay: true },
    { name: "元旦", date: "2027-01-03", isOffDay: true },
    { name: "春节", date: "2027-02-06", isOffDay: true },
    { name: "春节", date: "2027-02-07", isOffDay: true },
    { name: "春节", date: "2027-02-08", isOffDay: true },
    { name: "春节", date: "2027-02-09", isOffDay: true },
    { name: "春节", date: "2027-02-10", isOffDay: true },
    { name: "春节", date: "2027-02-11", isOffDay: true },
    { name: "春节", date: "2027-02-12", isOffDay: true },
    { name: "春节", date: "2027-02-13", isOffDay: true },
    { name: "春节", date: "2027-02-14", isOffDay: true },
    { name: "春节", date: "2027-02-20", isOffDay: false },
  ],
};

describe("written-notice deadline (seed 004)", () => {
  it("set on Friday 2026-02-13: Sat 02-14 is a make-up working day, Spring Festival 02-15…02-23 is not → Wed 2026-02-25", () => {
    // 02-14 (make-up Saturday) = 1, 02-24 = 2, 02-25 = 3.
    expect(noticeDeadline(packageCalendar, "2026-02-13", 3)).toEqual({ setOn: "2026-02-13", workingDays: 3, deadline: "2026-02-25", uncoveredYears: [] });
  });

  it("set on 2026-02-25: 02-26, 02-27, then Saturday 2026-02-28 (a make-up working day)", () => {
    expect(noticeDeadline(packageCalendar, "2026-02-25", 3).deadline).toBe("2026-02-28");
  });

  it("set on 2026-09-30: the National Day week, then make-up Saturday 10-10 → 10-10", () => {
    // 10-01…10-07 off; 10-08 = 1, 10-09 = 2, 10-10 (make-up Saturday) = 3.
    expect(noticeDeadline(packageCalendar, "2026-09-30", 3).deadline).toBe("2026-10-10");
  });

  it("the company's count applies (5 working days from Friday 2026-02-13 → 2026-02-27)", () => {
    expect(noticeDeadline(packageCalendar, "2026-02-13", 5).deadline).toBe("2026-02-27");
  });

  it.each([[0], [16], [2.5]])("refuses %p working days", (n) => {
    expect(() => noticeDeadline(packageCalendar, "2026-02-13", n)).toThrow(ValidationError);
  });

  it("a deadline reaching an unloaded year is flagged with the year, and the leaver is told so", () => {
    // 2026-12-30 (Wed): 12-31 = 1, then 2027 is not loaded: Fri 01-01 = 2, Mon 01-04 = 3 on weekends only.
    const d = noticeDeadline(packageCalendar, "2026-12-30", 3);
    expect(d).toEqual({ setOn: "2026-12-30", workingDays: 3, deadline: "2027-01-04", uncoveredYears: [2027] });
    expect(deadlineSentence(d)).toContain("2027年的法定节假日安排尚未录入，该期限暂按“周一至周五为工作日”估算");
  });

  it("after loading 2027's file the same deadline is computed on it", () => {
    const calendar = new WorkingCalendar([parseOfficialArrangement(year2027, 2027)]);
    // 12-31 = 1, 01-01…01-03 off, Mon 01-04 = 2, Tue 01-05 = 3.
    expect(noticeDeadline(calendar, "2026-12-30", 3)).toEqual({ setOn: "2026-12-30", workingDays: 3, deadline: "2027-01-05", uncoveredYears: [] });
    // And a make-up Saturday in 2027 counts: set Fri 02-19 → Sat 02-20 = 1, 02-22 = 2, 02-23 = 3.
    expect(noticeDeadline(calendar, "2027-02-19", 3).deadline).toBe("2027-02-23");
  });
});

describe("loading a year's official arrangement", () => {
  it("accepts our own shape", () => {
    expect(parseOfficialArrangement({ year: 2027, holidays: ["2027-01-01"], makeUpWorkdays: [], source: "国办发明电〔2026〕X号" }, 2027)).toEqual({
      year: 2027,
      holidays: ["2027-01-01"],
      makeUpWorkdays: [],
      source: "国办发明电〔2026〕X号",
    });
  });

  it("accepts a holiday-cn year file and splits off days from make-up days", () => {
    const o = parseOfficialArrangement(year2027, 2027);
    expect(o.holidays).toHaveLength(12);
    expect(o.makeUpWorkdays).toEqual(["2027-02-20"]);
    expect(o.source).toBe("https://www.gov.cn/example-2027");
  });

  it.each([
    ["a date listed twice", { ...year2027, days: [...year2027.days, { name: "元旦", date: "2027-01-01", isOffDay: true }] }, /出现了不止一次/],
    ["a make-up day on a weekday", { ...year2027, days: [...year2027.days, { name: "劳动节", date: "2027-04-28", isOffDay: false }] }, /是工作日，无需登记为调休上班日/],
    ["a date of another year", { ...year2027, days: [...year2027.days, { name: "元旦", date: "2026-12-31", isOffDay: true }] }, /不属于 2027 年/],
    ["the same date twice in our shape", { year: 2027, holidays: ["2027-01-01", "2027-01-01"], makeUpWorkdays: [], source: "x" }, /出现了不止一次/],
    ["an impossible date", { year: 2027, holidays: ["2027-02-30"], makeUpWorkdays: [], source: "x" }, /格式无效/],
    ["nothing usable", { hello: 1 }, /格式无效/],
  ])("refuses %s", (_name, body, message) => {
    expect(() => parseOfficialArrangement(body, 2027)).toThrow(message);
  });

  it("refuses a file whose year differs from the address", () => {
    expect(() => parseOfficialArrangement(year2027, 2028)).toThrow(/不一致/);
  });
});

describe("next year's arrangement missing", () => {
  it("is silent before 1 November", () => {
    expect(nextYearMissingWarning("2026-10-31", [2025, 2026])).toBeNull();
  });
  it("warns from 1 November while next year is missing", () => {
    expect(nextYearMissingWarning("2026-11-01", [2025, 2026])).toMatchObject({ year: 2027 });
    expect(nextYearMissingWarning("2026-12-31", [2025, 2026])?.message).toContain("尚未录入2027年的法定节假日安排");
  });
  it("stops once next year is loaded", () => {
    expect(nextYearMissingWarning("2026-11-26", [2026, 2027])).toBeNull();
  });
});
