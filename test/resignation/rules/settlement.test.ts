import { ValidationError } from "../../../src/platform/errors";
import {
  compensationMonths,
  computeSettlement,
  dailyWageFen,
  economicCompensationOwed,
  FINAL_WAGES_NOTE,
  paymentsPayable,
  unusedAnnualLeaveDays,
  type SettlementInput,
} from "../../../src/resignation/rules/settlement";

const base: SettlementInput = {
  basis: "standard",
  hireDate: "2022-03-01",
  lastDay: "2026-03-31",
  averageMonthlyWageFen: 800_000,
};

describe("settlement", () => {
  describe("whether compensation is owed (LCL 46)", () => {
    it.each([
      ["standard", undefined, false],
      ["lcl38_immediate", undefined, true],
      ["lcl38_employer_fault", undefined, true],
      ["mutual_agreement", "employer", true],
      ["mutual_agreement", "employee", false],
    ] as const)("%s proposed by %s → %s", (basis, by, owed) => {
      expect(economicCompensationOwed(basis, by)).toBe(owed);
    });

    it("mutual agreement must say who proposed it", () => {
      expect(() => economicCompensationOwed("mutual_agreement")).toThrow(ValidationError);
    });
  });

  describe("compensation months (LCL 47)", () => {
    it.each([
      ["2022-03-01", "2026-02-28", 4, "none"], // exactly 4 years
      ["2022-03-01", "2026-03-01", 4.5, "half"], // 4 years and one day
      ["2022-03-01", "2026-08-31", 5, "full"], // 4 years 6 months
      ["2022-03-01", "2026-08-30", 4.5, "half"], // one day short of 6 months
      ["2026-01-01", "2026-01-01", 0.5, "half"], // a single day
      ["2025-03-01", "2026-02-28", 1, "none"],
      // Leap-day hire: the anniversary is clamped to 02-28 (as addMonthsClamped does), so the
      // first full year runs through 2025-02-27 and 02-28 starts the next one (in the employee's favour).
      ["2024-02-29", "2025-02-27", 1, "none"],
      ["2024-02-29", "2025-02-28", 1.5, "half"],
      ["2024-02-29", "2025-02-26", 1, "full"], // 11 months 29 days: ≥ 6 months counts as a year
    ])("%s … %s → %s months", (hire, last, months, remainder) => {
      expect(compensationMonths(hire, last)).toMatchObject({ months, remainder });
    });

    it("rejects a last day before the hire date", () => {
      expect(() => compensationMonths("2026-03-01", "2026-02-28")).toThrow(ValidationError);
    });
  });

  describe("unused annual leave (带薪年休假实施办法 12)", () => {
    it.each([
      // hire, last day, entitlement, taken, expected
      ["2020-01-01", "2026-06-30", 10, 0, 4], // 181/365×10 = 4.96 → 4
      ["2020-01-01", "2026-12-31", 10, 3, 7],
      ["2020-01-01", "2026-03-31", 5, 2, 0], // 90/365×5 = 1.23 → 1 − 2 → never negative
      ["2026-03-01", "2026-12-31", 5, 0, 4], // hired this year: 306/365×5 = 4.19
      ["2020-01-01", "2028-12-31", 15, 0, 15], // leap year capped at 365
      ["2020-01-01", "2026-01-01", 10, 0, 0],
    ])("%s → %s, %s days, %s taken → %s", (hire, last, ent, taken, expected) => {
      expect(unusedAnnualLeaveDays(hire, last, ent, taken)).toBe(expected);
    });

    it("rejects negative inputs", () => {
      expect(() => unusedAnnualLeaveDays("2020-01-01", "2026-06-30", -1, 0)).toThrow(ValidationError);
    });

    it("daily wage is monthly ÷ 21.75", () => {
      expect(dailyWageFen(870_000)).toBe(40_000);
    });
  });

  it("plain resignation: final wages on the last day, no compensation", () => {
    const s = computeSettlement(base);
    expect(s.finalWages).toMatchObject({ dueOn: "2026-03-31", waitsForHandover: false, note: FINAL_WAGES_NOTE });
    expect(s.finalWages.note).toContain("不得以工作交接未完成为由扣发");
    expect(s.economicCompensation).toMatchObject({ owed: false, label: "经济补偿：不适用" });
    expect(s.unusedAnnualLeave).toBeNull();
  });

  it("annual leave pay is 300% of the daily wage and never waits for the handover", () => {
    const s = computeSettlement({ ...base, lastDay: "2026-06-30", averageMonthlyWageFen: 870_000, annualLeave: { entitlementDays: 10, takenDays: 1 } });
    expect(s.unusedAnnualLeave).toMatchObject({ unusedDays: 3, dailyWageFen: 40_000, amountFen: 360_000, waitsForHandover: false, dueOn: "2026-06-30" });
  });

  it("LCL 38 resignation: compensation owed, waiting for the handover", () => {
    const s = computeSettlement({ ...base, basis: "lcl38_employer_fault", lastDay: "2026-03-01" });
    expect(s.economicCompensation).toMatchObject({
      owed: true,
      months: 4.5,
      baseMonthlyWageFen: 800_000,
      capped: false,
      amountFen: 3_600_000,
      waitsForHandover: true,
    });
    expect(s.economicCompensation.label).toContain("办结工作交接时支付");
    expect(s.finalWages.waitsForHandover).toBe(false);
  });

  it("high earners: base capped at 3× local average and at most 12 years", () => {
    const s = computeSettlement({
      ...base,
      basis: "lcl38_immediate",
      hireDate: "2010-01-01",
      lastDay: "2026-06-30", // 16.5 years → 17 months uncapped
      averageMonthlyWageFen: 5_000_000,
      localAverageMonthlyWageFen: 1_000_000,
    });
    expect(s.economicCompensation).toMatchObject({ owed: true, capped: true, months: 12, baseMonthlyWageFen: 3_000_000, amountFen: 36_000_000 });
  });

  it("the cap does not apply at or below 3× local average", () => {
    const s = computeSettlement({
      ...base,
      basis: "lcl38_immediate",
      hireDate: "2010-01-01",
      lastDay: "2026-06-30",
      averageMonthlyWageFen: 3_000_000,
      localAverageMonthlyWageFen: 1_000_000,
    });
    expect(s.economicCompensation).toMatchObject({ capped: false, months: 17, amountFen: 51_000_000 });
  });

  it.each([[-1], [1.5], [Number.NaN]])("rejects a wage of %p fen", (wage) => {
    expect(() => computeSettlement({ ...base, averageMonthlyWageFen: wage })).toThrow(ValidationError);
    expect(() => computeSettlement({ ...base, localAverageMonthlyWageFen: wage })).toThrow(ValidationError);
  });

  describe("what is payable when", () => {
    const s = computeSettlement({ ...base, basis: "lcl38_employer_fault", annualLeave: { entitlementDays: 5, takenDays: 0 } });

    it("before the last day nothing is due", () => {
      expect(paymentsPayable(s, "2026-03-30", true).map((p) => p.payableNow)).toEqual([false, false, true]);
    });

    it("on the last day wages and leave pay are due even with the handover open; compensation waits", () => {
      const p = paymentsPayable(s, "2026-03-31", false);
      expect(p.map((x) => [x.label, x.payableNow])).toEqual([
        ["最后工资（结算至最后工作日）", true],
        ["未休年休假工资", true],
        ["经济补偿（办结工作交接时支付）", false],
      ]);
      expect(p[0].reason).toContain("与交接进度无关");
      expect(p[2].reason).toBe("待工作交接办结后支付");
    });

    it("compensation is released once the handover completes", () => {
      expect(paymentsPayable(s, "2026-04-10", true)[2]).toMatchObject({ payableNow: true, amountFen: s.economicCompensation.owed ? s.economicCompensation.amountFen : -1 });
    });

    it("a plain resignation lists no compensation line", () => {
      expect(paymentsPayable(computeSettlement(base), "2026-03-31", false)).toHaveLength(1);
    });
  });
});
