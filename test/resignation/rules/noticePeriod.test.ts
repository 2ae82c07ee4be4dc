import { WorkingCalendar } from "../../../src/calendar/workingDays";
import { ValidationError } from "../../../src/platform/errors";
import {
  CAVEAT_CALENDAR_UNKNOWN,
  CAVEAT_CC201,
  CAVEAT_CC203,
  CAVEAT_LCL38_FAULT,
  CAVEAT_LCL38_IMMEDIATE,
  CAVEAT_NO_APPROVAL_NEEDED,
  CAVEAT_PROBATION,
  earliestLastDay,
  isInProbationOn,
  validateRequestedLastDay,
  type MutualAgreement,
} from "../../../src/resignation/rules/noticePeriod";

const standard = (noticeDate: string, inProbation = false) =>
  earliestLastDay({ noticeDate, inProbation, basis: "standard" });

const agreement = (lastDay: string): MutualAgreement => ({
  lastDay,
  hrApproverUserId: "hr-wang",
  approvedAt: "2026-03-02T02:00:00Z",
  proposedBy: "employee",
});

describe("earliest last day", () => {
  it.each([
    // notice date, last day (notice day not counted; +30 calendar days)
    ["2026-03-02", "2026-04-01"],
    ["2026-01-31", "2026-03-02"], // across a short February
    ["2026-01-30", "2026-03-01"],
    ["2028-01-30", "2028-02-29"], // lands on the leap day
    ["2028-02-29", "2028-03-30"], // starts on the leap day
    ["2026-12-15", "2027-01-14"], // across the year end
    ["2026-03-31", "2026-04-30"],
  ])("standard notice on %s → last day %s", (noticeDate, lastDay) => {
    const r = standard(noticeDate);
    expect(r.lastDay).toBe(lastDay);
    expect(r.noticeDays).toBe(30);
    expect(r.legalRefs).toEqual(expect.arrayContaining(["LCL 37", "CC 201"]));
    expect(r.caveats).toEqual(expect.arrayContaining([CAVEAT_CC201, CAVEAT_NO_APPROVAL_NEEDED]));
    expect(r.caveats).not.toContain(CAVEAT_PROBATION);
  });

  it.each([
    ["2026-03-02", "2026-03-05"],
    ["2028-02-27", "2028-03-01"], // through the leap day
    ["2026-02-27", "2026-03-02"],
  ])("probation notice on %s → last day %s", (noticeDate, lastDay) => {
    const r = standard(noticeDate, true);
    expect(r.lastDay).toBe(lastDay);
    expect(r.noticeDays).toBe(3);
    expect(r.caveats).toContain(CAVEAT_PROBATION);
  });

  it("probation is judged on the notice date; its last day still counts as probation", () => {
    expect(isInProbationOn("2026-03-31", "2026-03-31")).toBe(true);
    expect(isInProbationOn("2026-04-01", "2026-03-31")).toBe(false);
    expect(isInProbationOn("2026-03-01", null)).toBe(false);
    // Notice on the last probation day: 3 days, even though the period runs past probation.
    const r = earliestLastDay({ noticeDate: "2026-03-31", inProbation: isInProbationOn("2026-03-31", "2026-03-31"), basis: "standard" });
    expect(r.lastDay).toBe("2026-04-03");
  });

  it("flags CC 203 when the last day is a statutory holiday, without moving it", () => {
    // 2026-09-01 + 30 = 2026-10-01 (National Day).
    const r = standard("2026-09-01");
    expect(r.lastDay).toBe("2026-10-01");
    expect(r.caveats).toContain(CAVEAT_CC203);
    expect(standard("2026-03-02").caveats).not.toContain(CAVEAT_CC203); // 04-01 is a Wednesday
  });

  it("flags CC 203 on ordinary weekends too (a rest day is also a day off)", () => {
    expect(standard("2026-03-08").lastDay).toBe("2026-04-07");
    expect(standard("2026-03-05").lastDay).toBe("2026-04-04"); // Saturday + 清明
    expect(standard("2026-03-05").caveats).toContain(CAVEAT_CC203);
  });

  it("says the holiday check is impossible when the year is not published", () => {
    const r = standard("2026-12-15");
    expect(r.caveats).toContain(CAVEAT_CALENDAR_UNKNOWN);
    const withOverride = earliestLastDay(
      { noticeDate: "2026-12-15", inProbation: false, basis: "standard" },
      new WorkingCalendar([{ year: 2027, holidays: ["2027-01-14"], makeUpWorkdays: [] }]),
    );
    expect(withOverride.caveats).toContain(CAVEAT_CC203);
    expect(withOverride.caveats).not.toContain(CAVEAT_CALENDAR_UNKNOWN);
  });

  describe("mutual agreement", () => {
    it("takes the agreed date, even the notice date itself", () => {
      const r = earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "mutual_agreement", agreement: agreement("2026-03-02") });
      expect(r).toMatchObject({ lastDay: "2026-03-02", basis: "mutual_agreement", legalRefs: ["LCL 36"] });
      expect(
        earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "mutual_agreement", agreement: agreement("2026-06-30") }).lastDay,
      ).toBe("2026-06-30");
    });

    it("refuses an agreed date before the notice", () => {
      expect(() =>
        earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "mutual_agreement", agreement: agreement("2026-03-01") }),
      ).toThrow(/不能早于/);
    });

    it.each([
      ["missing", undefined],
      ["no HR approver", { ...agreement("2026-03-10"), hrApproverUserId: "" }],
      ["no approval time", { ...agreement("2026-03-10"), approvedAt: "" }],
      ["bad approval time", { ...agreement("2026-03-10"), approvedAt: "yesterday" }],
    ])("requires an HR-approved record (%s)", (_l, a) => {
      expect(() => earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "mutual_agreement", agreement: a })).toThrow(
        ValidationError,
      );
    });
  });

  it("LCL 38 immediate termination ends on the notice date", () => {
    const r = earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "lcl38_immediate" });
    expect(r).toMatchObject({ lastDay: "2026-03-02", noticeDays: 0 });
    expect(r.legalRefs).toContain("LCL 38");
    expect(r.caveats).toEqual([CAVEAT_LCL38_IMMEDIATE]);
  });

  it("LCL 38 employer fault needs no 30-day period but still a notice", () => {
    const r = earliestLastDay({ noticeDate: "2026-03-02", inProbation: true, basis: "lcl38_employer_fault" });
    expect(r).toMatchObject({ lastDay: "2026-03-02", noticeDays: 0 });
    expect(r.caveats).toEqual([CAVEAT_LCL38_FAULT]);
    expect(CAVEAT_LCL38_FAULT).toContain("无需提前三十日");
  });

  it("rejects malformed input", () => {
    expect(() => standard("2026-02-30")).toThrow(ValidationError);
    expect(() => earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "whim" as never })).toThrow(/未知的离职依据/);
  });
});

describe("requested last day", () => {
  const earliest = standard("2026-03-02"); // 2026-04-01

  it("accepts the earliest day and any later day", () => {
    expect(validateRequestedLastDay("2026-04-01", earliest)).toEqual({ ok: true });
    expect(validateRequestedLastDay("2026-05-31", earliest)).toEqual({ ok: true });
  });

  it("refuses an earlier day without agreement, in Chinese, naming both dates", () => {
    const r = validateRequestedLastDay("2026-03-31", earliest);
    expect(r).toMatchObject({ ok: false, code: "before_earliest_last_day" });
    if (r.ok) throw new Error("unreachable");
    expect(r.message).toContain("2026年3月31日");
    expect(r.message).toContain("2026年4月1日");
    expect(r.message).toContain("协商一致");
  });

  it("with an agreement, the agreed date is the floor", () => {
    const agreed = earliestLastDay({ noticeDate: "2026-03-02", inProbation: false, basis: "mutual_agreement", agreement: agreement("2026-03-10") });
    expect(validateRequestedLastDay("2026-03-10", agreed)).toEqual({ ok: true });
    expect(validateRequestedLastDay("2026-03-09", agreed)).toMatchObject({ ok: false });
  });

  it("rejects a malformed requested day", () => {
    expect(() => validateRequestedLastDay("soon", earliest)).toThrow(ValidationError);
  });
});
