import { ValidationError } from "../../../src/platform/errors";
import {
  compensationMonths,
  computeSettlement,
  dailyWageFen,
  economicCompensationOwed,
  leaveMonthlyWage,
  FINAL_WAGES_NOTE,
  paymentsPayable,
  unusedAnnualLeaveDays,
  COMPENSATION_GROUNDS,
  type LocalWageStandard,
  type SettlementInput,
} from "../../../src/resignation/rules/settlement";

/** Wages without any overtime: both averages are the same. */
const noOvertime = (monthlyWagesFen: number[]) => ({ monthlyWagesFen, monthlyOvertimeFen: monthlyWagesFen.map(() => 0) });

const base: SettlementInput = {
  ground: "lcl37_resignation",
  hireDate: "2022-03-01",
  lastDay: "2026-03-31",
  ...noOvertime(Array(12).fill(800_000)),
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

    it.each([
      ["lcl36_employer_proposed", true],
      ["lcl36_employee_proposed", false],
      ["lcl37_resignation", false],
      ["lcl38_employer_fault", true],
      ["lcl40_employer_notice", true],
      ["lcl41_redundancy", true],
      ["lcl44_expiry", true],
      ["lcl44_expiry_offer_refused", false],
      ["lcl44_closure", true],
    ] as const)("ground %s → owed %s", (ground, owed) => {
      expect(COMPENSATION_GROUNDS[ground].owed).toBe(owed);
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

  // Figures for the tests below (illustrative, not a real city's): average ¥10,000, minimum ¥2,690.
  const city: LocalWageStandard = { city: "示例市", year: 2026, averageMonthlyWageFen: 1_000_000, minimumMonthlyWageFen: 269_000 };

  it("plain resignation: final wages on the last day, no compensation", () => {
    const s = computeSettlement(base);
    expect(s.finalWages).toMatchObject({ dueOn: "2026-03-31", waitsForHandover: false, note: FINAL_WAGES_NOTE });
    expect(s.finalWages.note).toContain("不得以工作交接未完成为由扣发");
    expect(s.economicCompensation).toMatchObject({ owed: false, label: "经济补偿：不适用（劳动者提前通知解除）" });
    expect(s.unusedAnnualLeave).toBeNull();
  });

  it("unused annual leave is paid at 200% of the daily wage on top of final wages, never waiting for the handover", () => {
    // 2026-01-01 … 06-30 = 181 days; 181/365 × 10 = 4.96 → 4, minus 1 taken = 3 days.
    // Daily wage ¥8,700 ÷ 21.75 = ¥400; 3 × ¥400 × 200% = ¥2,400.
    const s = computeSettlement({ ...base, hireDate: "2020-01-01", lastDay: "2026-06-30", ...noOvertime(Array(12).fill(870_000)), annualLeave: { entitlementDays: 10, takenDays: 1 } });
    expect(s.unusedAnnualLeave).toMatchObject({ unusedDays: 3, dailyWageFen: 40_000, amountFen: 240_000, waitsForHandover: false, dueOn: "2026-06-30" });
    expect(s.unusedAnnualLeave!.note).toContain("200%");
  });

  describe("overtime: in compensation's month (实施条例 27), out of leave pay's (带薪年休假实施办法 11)", () => {
    // Hired 2020-01-01, last day 2026-06-30 (LCL 40). Twelve months before: six at ¥9,900 of which
    // ¥1,200 overtime, six at ¥8,700 without overtime.
    //   compensation month = (6 × ¥9,900 + 6 × ¥8,700) ÷ 12 = ¥9,300 (overtime included);
    //   6 years 6 months → 7 months × ¥9,300 = ¥65,100.
    //   leave month = (6 × ¥8,700 + 6 × ¥8,700) ÷ 12 = ¥8,700 (overtime taken out) → daily ¥8,700 ÷ 21.75 = ¥400;
    //   181/365 × 10 = 4.96 → 4 days − 1 taken = 3 days × ¥400 × 200% = ¥2,400.
    //   (With overtime left in, the daily wage would be ¥9,300 ÷ 21.75 = ¥427.59 and leave pay ¥2,565.54.)
    const input: SettlementInput = {
      ground: "lcl40_employer_notice",
      hireDate: "2020-01-01",
      lastDay: "2026-06-30",
      monthlyWagesFen: [...Array(6).fill(990_000), ...Array(6).fill(870_000)],
      monthlyOvertimeFen: [...Array(6).fill(120_000), ...Array(6).fill(0)],
      localWages: city,
      annualLeave: { entitlementDays: 10, takenDays: 1 },
    };

    it("the two averages differ, each by its own article", () => {
      const s = computeSettlement(input);
      expect(s.economicCompensation).toMatchObject({ owed: true, months: 7, wage: { monthsAveraged: 12, averageFen: 930_000 }, baseMonthlyWageFen: 930_000, amountFen: 6_510_000 });
      expect(s.unusedAnnualLeave).toMatchObject({ unusedDays: 3, monthlyWageFen: 870_000, monthsAveraged: 12, dailyWageFen: 40_000, amountFen: 240_000 });
      expect(s.unusedAnnualLeave!.note).toBe(
        "按当年已工作日历天数折算应休未休 3 天，日工资 ¥400.00（离职前 12 个月剔除加班工资后的月平均工资 ¥8,700.00 ÷ 21.75），" +
          "按日工资的200%另行支付 ¥2,400.00（法定300%中含已随工资发放的100%），与最后工资一并发放，不以交接为条件。",
      );
      if (s.economicCompensation.owed) expect(s.economicCompensation.computation[1]).toBe("月工资：离职前 12 个月平均工资 ¥9,300.00（含加班工资，《劳动合同法实施条例》第二十七条）。");
    });

    it("short service averages the months worked, overtime out of leave pay only", () => {
      // Three months: ¥9,000 (¥600 overtime), ¥9,000 (¥0), ¥12,000 (¥2,400) → leave month (8,400 + 9,000 + 9,600) ÷ 3 = ¥9,000.
      expect(leaveMonthlyWage([900_000, 900_000, 1_200_000], [60_000, 0, 240_000])).toEqual({ monthsAveraged: 3, averageFen: 900_000 });
    });

    it("refuses overtime that does not line up with the wages", () => {
      expect(() => computeSettlement({ ...input, monthlyOvertimeFen: Array(11).fill(0) })).toThrow(
        "各月加班工资须与各月工资一一对应：工资填了 12 个月，加班工资填了 11 个月（没有加班的月份填 0）",
      );
      expect(() => computeSettlement({ ...input, monthlyOvertimeFen: [1_000_000, ...Array(11).fill(0)] })).toThrow(
        "第 1 个月的加班工资（¥10,000.00）超过当月工资（¥9,900.00）：工资应为含加班工资的应发工资",
      );
      expect(() => computeSettlement({ ...input, monthlyOvertimeFen: [-1, ...Array(11).fill(0)] })).toThrow(ValidationError);
      expect(() => computeSettlement({ ...input, monthlyOvertimeFen: [0.5, ...Array(11).fill(0)] })).toThrow(ValidationError);
    });

    it("overtime equal to the whole month is allowed (a month of overtime only)", () => {
      expect(leaveMonthlyWage([100_000, 870_000], [100_000, 0])).toEqual({ monthsAveraged: 2, averageFen: 435_000 });
    });
  });

  it("LCL 38 resignation: compensation owed, waiting for the handover", () => {
    // 2022-03-01 … 2026-03-01 = 4 years and a day → 4.5 months × ¥8,000 = ¥36,000.
    const s = computeSettlement({ ...base, ground: "lcl38_employer_fault", lastDay: "2026-03-01", localWages: city });
    expect(s.economicCompensation).toMatchObject({ owed: true, months: 4.5, baseMonthlyWageFen: 800_000, capped: false, amountFen: 3_600_000, waitsForHandover: true });
    expect(s.economicCompensation.label).toContain("办结工作交接时支付");
    expect(s.finalWages.waitsForHandover).toBe(false);
    expect(s.warnings).toEqual([]);
  });

  it("the monthly wage is the average of the last 12 months", () => {
    // Six months at ¥6,000 and six at ¥10,000: average ¥8,000; 4.5 months → ¥36,000.
    const s = computeSettlement({ ...base, ground: "lcl38_employer_fault", lastDay: "2026-03-01", ...noOvertime([...Array(6).fill(600_000), ...Array(6).fill(1_000_000)]), localWages: city });
    expect(s.economicCompensation).toMatchObject({ owed: true, wage: { monthsAveraged: 12, averageFen: 800_000, flooredToMinimum: false }, amountFen: 3_600_000 });
  });

  it("short service: the average over the months worked, half a month for under six months", () => {
    // Hired 2026-03-01, last day 2026-06-15 = 3 months 15 days → 0.5 month.
    // Wages of the 3 full months worked: ¥9,000 + ¥9,000 + ¥12,000 = ¥30,000 ÷ 3 = ¥10,000; 0.5 × ¥10,000 = ¥5,000.
    const s = computeSettlement({ ground: "lcl36_employer_proposed", hireDate: "2026-03-01", lastDay: "2026-06-15", ...noOvertime([900_000, 900_000, 1_200_000]), localWages: city });
    expect(s.economicCompensation).toMatchObject({ owed: true, months: 0.5, wage: { monthsAveraged: 3, averageFen: 1_000_000 }, amountFen: 500_000 });
  });

  it("a wage below the local minimum is lifted to it", () => {
    // Hired 2024-01-01, last day 2026-06-30 = 2 years 6 months → 3 months.
    // Average ¥2,000 < minimum ¥2,690 → 3 × ¥2,690 = ¥8,070.
    const s = computeSettlement({ ground: "lcl40_employer_notice", hireDate: "2024-01-01", lastDay: "2026-06-30", ...noOvertime(Array(12).fill(200_000)), localWages: city });
    expect(s.economicCompensation).toMatchObject({ owed: true, months: 3, wage: { averageFen: 200_000, flooredToMinimum: true }, baseMonthlyWageFen: 269_000, capped: false, amountFen: 807_000 });
    if (s.economicCompensation.owed) expect(s.economicCompensation.computation.join("")).toContain("最低工资标准 ¥2,690.00");
  });

  it("above 3× the local average: base capped at 3× and at most 12 years", () => {
    // Hired 2010-01-01, last day 2026-06-30 = 16 years 6 months → 17 months uncapped.
    // ¥50,000 > 3 × ¥10,000: base ¥30,000 × min(17, 12) = ¥360,000.
    const s = computeSettlement({ ground: "lcl41_redundancy", hireDate: "2010-01-01", lastDay: "2026-06-30", ...noOvertime(Array(12).fill(5_000_000)), localWages: city });
    expect(s.economicCompensation).toMatchObject({ owed: true, capped: true, serviceMonths: 17, months: 12, baseMonthlyWageFen: 3_000_000, amountFen: 36_000_000 });
  });

  it("above 3× with fewer than 12 years: only the base is capped", () => {
    // 2020-01-01 … 2026-06-30 = 6 years 6 months → 7 months; ¥30,000 × 7 = ¥210,000.
    const s = computeSettlement({ ground: "lcl44_expiry", hireDate: "2020-01-01", lastDay: "2026-06-30", ...noOvertime(Array(12).fill(5_000_000)), localWages: city });
    expect(s.economicCompensation).toMatchObject({ capped: true, months: 7, amountFen: 21_000_000 });
  });

  it("exactly 3× the local average is not capped: all 17 months count", () => {
    // ¥30,000 is not above 3 × ¥10,000 → 17 × ¥30,000 = ¥510,000.
    const s = computeSettlement({ ground: "lcl38_employer_fault", hireDate: "2010-01-01", lastDay: "2026-06-30", ...noOvertime(Array(12).fill(3_000_000)), localWages: city });
    expect(s.economicCompensation).toMatchObject({ capped: false, months: 17, amountFen: 51_000_000 });
  });

  it("without the city's figures the statement says neither floor nor cap was checked", () => {
    const s = computeSettlement({ ...base, ground: "lcl38_employer_fault" });
    expect(s.warnings).toEqual(["尚未设置本校区所在城市2026年的职工月平均工资和最低工资标准，经济补偿未按最低工资兜底或三倍封顶核对。"]);
  });

  it("refuses another year's city figures", () => {
    expect(() => computeSettlement({ ...base, localWages: { ...city, year: 2025 } })).toThrow(ValidationError);
  });

  it.each([[-1], [1.5], [Number.NaN]])("rejects a wage of %p fen", (wage) => {
    expect(() => computeSettlement({ ...base, ...noOvertime([wage]) })).toThrow(ValidationError);
    expect(() => computeSettlement({ ...base, localWages: { ...city, averageMonthlyWageFen: wage } })).toThrow(ValidationError);
  });

  it("needs between 1 and 12 months of wages", () => {
    expect(() => computeSettlement({ ...base, ...noOvertime([]) })).toThrow(ValidationError);
    expect(() => computeSettlement({ ...base, ...noOvertime(Array(13).fill(800_000)) })).toThrow(ValidationError);
  });

  describe("what is payable when", () => {
    const s = computeSettlement({ ...base, ground: "lcl38_employer_fault", annualLeave: { entitlementDays: 5, takenDays: 0 } });

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
