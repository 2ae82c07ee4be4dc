import {
  addDays,
  assertLocalDate,
  compareDates,
  daysBetween,
  formatDateZh,
  monthsAndDaysBetween,
  yearOf,
  type LocalDate,
} from "../../platform/localDate";
import { ValidationError } from "../../platform/errors";
import type { ResignationBasis } from "./noticePeriod";

/**
 * What the employer owes at the end, split the way the law splits it
 * (labor-law.md §3): final wages and unused-leave pay are due on the last day
 * whatever the state of the handover (WPR 9 — withholding them is unlawful);
 * only economic compensation, where owed, is paid when the handover is done
 * (LCL 50). Money is in fen (integer) so nothing is lost to floating point.
 */

/** Why the contract ends, as LCL 46 sorts the cases into "compensation owed" or not. */
export type CompensationGround =
  | "lcl36_employer_proposed"
  | "lcl36_employee_proposed"
  | "lcl37_resignation"
  | "lcl38_employer_fault"
  | "lcl40_employer_notice"
  | "lcl41_redundancy"
  | "lcl44_expiry"
  | "lcl44_expiry_offer_refused"
  | "lcl44_closure";

interface GroundRule {
  label: string;
  owed: boolean;
  legalRefs: string[];
  /** Why it is (not) owed, in the employee's language. */
  reason: string;
}

export const COMPENSATION_GROUNDS: Record<CompensationGround, GroundRule> = {
  lcl36_employer_proposed: { label: "协商一致解除（用人单位提出）", owed: true, legalRefs: ["LCL 36", "LCL 46(2)"], reason: "用人单位提出并与劳动者协商一致解除劳动合同，应支付经济补偿（《劳动合同法》第四十六条第二项）。" },
  lcl36_employee_proposed: { label: "协商一致解除（劳动者提出）", owed: false, legalRefs: ["LCL 36", "LCL 46(2)"], reason: "由劳动者提出、双方协商一致解除的，用人单位无需支付经济补偿（《劳动合同法》第四十六条第二项反面）。" },
  lcl37_resignation: { label: "劳动者提前通知解除", owed: false, legalRefs: ["LCL 37", "LCL 46"], reason: "劳动者依《劳动合同法》第三十七条主动辞职的，用人单位无需支付经济补偿。" },
  lcl38_employer_fault: { label: "因用人单位过错解除", owed: true, legalRefs: ["LCL 38", "LCL 46(1)"], reason: "劳动者依《劳动合同法》第三十八条解除劳动合同，应支付经济补偿（第四十六条第一项）。" },
  lcl40_employer_notice: { label: "用人单位无过失性辞退", owed: true, legalRefs: ["LCL 40", "LCL 46(3)"], reason: "用人单位依《劳动合同法》第四十条解除劳动合同，应支付经济补偿（第四十六条第三项）；未提前三十日书面通知的，另需额外支付一个月工资。" },
  lcl41_redundancy: { label: "经济性裁员", owed: true, legalRefs: ["LCL 41", "LCL 46(4)"], reason: "依《劳动合同法》第四十一条第一款裁减人员，应支付经济补偿（第四十六条第四项）。" },
  lcl44_expiry: { label: "劳动合同期满终止", owed: true, legalRefs: ["LCL 44(1)", "LCL 46(5)"], reason: "劳动合同期满终止的，除用人单位维持或提高条件续订而劳动者不同意外，应支付经济补偿（第四十六条第五项）。" },
  lcl44_expiry_offer_refused: { label: "合同期满，劳动者拒绝同等或更好条件续订", owed: false, legalRefs: ["LCL 44(1)", "LCL 46(5)"], reason: "用人单位维持或提高劳动合同约定条件续订，劳动者不同意续订的，无需支付经济补偿（第四十六条第五项）。" },
  lcl44_closure: { label: "用人单位破产、被吊销或决定提前解散", owed: true, legalRefs: ["LCL 44(4)(5)", "LCL 46(6)"], reason: "依《劳动合同法》第四十四条第四项、第五项终止劳动合同的，应支付经济补偿（第四十六条第六项）。" },
};

/** The ground a resignation case implies; HR may state another (e.g. a contract that simply expired). */
export function groundFromBasis(basis: ResignationBasis, proposedBy?: "employee" | "employer"): CompensationGround {
  switch (basis) {
    case "lcl38_immediate":
    case "lcl38_employer_fault":
      return "lcl38_employer_fault";
    case "mutual_agreement":
      if (!proposedBy) throw new ValidationError("协商一致解除须注明由哪一方提出，以确定是否支付经济补偿");
      return proposedBy === "employer" ? "lcl36_employer_proposed" : "lcl36_employee_proposed";
    case "standard":
      return "lcl37_resignation";
  }
}

export function economicCompensationOwed(basis: ResignationBasis, proposedBy?: "employee" | "employer"): boolean {
  return COMPENSATION_GROUNDS[groundFromBasis(basis, proposedBy)].owed;
}

/**
 * The city's figures HR enters per branch for one calendar year: the local
 * average monthly wage (the LCL 47 cap is 3× it) and the local minimum
 * monthly wage (实施条例 27 floor).
 */
export interface LocalWageStandard {
  city: string;
  year: number;
  averageMonthlyWageFen: number;
  minimumMonthlyWageFen: number;
}

export interface SettlementInput {
  ground: CompensationGround;
  hireDate: LocalDate;
  lastDay: LocalDate;
  /**
   * The employee's wage of each month before the end (实施条例 27: wages due,
   * overtime included), at most the last 12; fewer when they worked fewer months.
   * Compensation (LCL 47) averages these.
   */
  monthlyWagesFen: number[];
  /**
   * The overtime pay inside each of those months (same order, same length; 0
   * for a month without). Unused-leave pay averages the wages *without* it
   * (企业职工带薪年休假实施办法 11: "剔除加班工资后的月平均工资").
   */
  monthlyOvertimeFen: number[];
  /** The figures for the last day's year in the branch's city; without them neither floor nor cap can be applied. */
  localWages?: LocalWageStandard;
  annualLeave?: { entitlementDays: number; takenDays: number };
}

export interface LineItem {
  label: string;
  dueOn: LocalDate;
  /** False for everything the law says must not wait for the handover. */
  waitsForHandover: boolean;
  legalRefs: string[];
  note: string;
}

export interface MonthlyWageBasis {
  /** Months averaged (12, or the months worked when fewer). */
  monthsAveraged: number;
  averageFen: number;
  /** True when the average was below the local minimum wage and lifted to it. */
  flooredToMinimum: boolean;
  /** True when the wage exceeded 3× the local average: the base is 3× the average and at most 12 years count. */
  capped: boolean;
  baseMonthlyWageFen: number;
}

export type EconomicCompensation =
  | { owed: false; ground: CompensationGround; label: string; legalRefs: string[]; note: string }
  | {
      owed: true;
      ground: CompensationGround;
      label: string;
      months: number;
      serviceMonths: number;
      serviceYearsCounted: number;
      wage: MonthlyWageBasis;
      baseMonthlyWageFen: number;
      capped: boolean;
      amountFen: number;
      waitsForHandover: true;
      /** How the amount was reached, step by step, in Chinese. */
      computation: string[];
      legalRefs: string[];
      note: string;
    };

export interface Settlement {
  finalWages: LineItem;
  unusedAnnualLeave:
    | (LineItem & {
        unusedDays: number;
        /** 实施办法 11: the average monthly wage with overtime pay taken out, over the same months. */
        monthlyWageFen: number;
        monthsAveraged: number;
        dailyWageFen: number;
        amountFen: number;
      })
    | null;
  economicCompensation: EconomicCompensation;
  /** Facts HR still has to supply before the figures can be relied on. */
  warnings: string[];
}

export const FINAL_WAGES_NOTE =
  "最后工资须在最后工作日一次性足额支付，不得以工作交接未完成为由扣发或缓发（《工资支付暂行规定》第九条）。员工造成损失的，可依法另行主张赔偿，或按月工资20%以内扣除（第十六条）。";

/**
 * LCL 47: one month per full year; a remainder of six months or more counts as
 * a year, any shorter remainder as half a month. Service runs from the hire
 * date through the last day inclusive.
 */
export function compensationMonths(hireDate: LocalDate, lastDay: LocalDate): { months: number; fullYears: number; remainder: "none" | "half" | "full" } {
  assertLocalDate(hireDate, "hireDate");
  assertLocalDate(lastDay, "lastDay");
  if (compareDates(lastDay, hireDate) < 0) throw new ValidationError("最后工作日早于入职日期");
  const { months, days } = monthsAndDaysBetween(hireDate, addDays(lastDay, 1));
  const fullYears = Math.floor(months / 12);
  const restMonths = months % 12;
  if (restMonths >= 6) return { months: fullYears + 1, fullYears, remainder: "full" };
  if (restMonths > 0 || days > 0) return { months: fullYears + 0.5, fullYears, remainder: "half" };
  return { months: fullYears, fullYears, remainder: "none" };
}

/**
 * LCL 47 and 实施条例 27: the average of the last 12 months (of the months
 * worked, if fewer), never below the local minimum wage; only a wage above 3×
 * the local average is capped, at 3× (the 12-year limit follows the cap).
 */
export function compensationMonthlyWage(monthlyWagesFen: number[], local?: LocalWageStandard): MonthlyWageBasis {
  if (monthlyWagesFen.length === 0) throw new ValidationError("请填写离职前各月工资（至少一个月）");
  if (monthlyWagesFen.length > 12) throw new ValidationError("月工资最多填写离职前12个月");
  monthlyWagesFen.forEach((w, i) => assertFen(w, `monthlyWagesFen[${i}]`));
  if (local) {
    assertFen(local.averageMonthlyWageFen, "averageMonthlyWageFen");
    assertFen(local.minimumMonthlyWageFen, "minimumMonthlyWageFen");
  }
  const averageFen = Math.round(monthlyWagesFen.reduce((a, b) => a + b, 0) / monthlyWagesFen.length);
  const flooredToMinimum = local !== undefined && averageFen < local.minimumMonthlyWageFen;
  const wage = flooredToMinimum ? local.minimumMonthlyWageFen : averageFen;
  const cap = local ? local.averageMonthlyWageFen * 3 : undefined;
  const capped = cap !== undefined && wage > cap;
  return { monthsAveraged: monthlyWagesFen.length, averageFen, flooredToMinimum, capped, baseMonthlyWageFen: capped ? cap : wage };
}

/**
 * 企业职工带薪年休假实施办法 11: the month's wage for unused-leave pay is the
 * average over the 12 months before (the months worked, if fewer) *after
 * taking out overtime pay* — unlike compensation's 实施条例 27 average, which
 * keeps it. `overtimeFen[i]` is the overtime inside `wagesFen[i]`.
 */
export function leaveMonthlyWage(wagesFen: number[], overtimeFen: number[]): { monthsAveraged: number; averageFen: number } {
  if (wagesFen.length === 0) throw new ValidationError("请填写离职前各月工资（至少一个月）");
  if (overtimeFen.length !== wagesFen.length) {
    throw new ValidationError(`各月加班工资须与各月工资一一对应：工资填了 ${wagesFen.length} 个月，加班工资填了 ${overtimeFen.length} 个月（没有加班的月份填 0）`);
  }
  overtimeFen.forEach((o, i) => {
    assertFen(o, `monthlyOvertimeFen[${i}]`);
    if (o > wagesFen[i]!) throw new ValidationError(`第 ${i + 1} 个月的加班工资（${yuan(o)}）超过当月工资（${yuan(wagesFen[i]!)}）：工资应为含加班工资的应发工资`);
  });
  const total = wagesFen.reduce((sum, w, i) => sum + (w - overtimeFen[i]!), 0);
  return { monthsAveraged: wagesFen.length, averageFen: Math.round(total / wagesFen.length) };
}

/**
 * 企业职工带薪年休假实施办法 12: (days elapsed this year ÷ 365) × entitlement −
 * days taken, fractions dropped, never negative (leave taken in excess is not
 * clawed back). Elapsed days count from 1 January, or the hire date if later,
 * through the last day.
 */
export function unusedAnnualLeaveDays(hireDate: LocalDate, lastDay: LocalDate, entitlementDays: number, takenDays: number): number {
  if (entitlementDays < 0 || takenDays < 0) throw new ValidationError("年休假天数不能为负数");
  const yearStart = `${yearOf(lastDay)}-01-01`;
  const from = compareDates(hireDate, yearStart) > 0 ? hireDate : yearStart;
  const elapsed = Math.min(365, daysBetween(from, lastDay) + 1);
  return Math.max(0, Math.floor((elapsed / 365) * entitlementDays) - takenDays);
}

/** Monthly wage ÷ 21.75 (the statutory monthly paid days), rounded to the fen. */
export function dailyWageFen(monthlyWageFen: number): number {
  return Math.round(monthlyWageFen / 21.75);
}

/** ¥12,345.67 — how every amount is written for people. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, "0")}`;
}

export function computeSettlement(input: SettlementInput): Settlement {
  const lastDay = assertLocalDate(input.lastDay, "lastDay");
  const ground = COMPENSATION_GROUNDS[input.ground];
  if (!ground) throw new ValidationError(`未知的劳动合同解除/终止事由：${input.ground}`);
  const warnings: string[] = [];
  if (!input.localWages) warnings.push(`尚未设置本校区所在城市${yearOf(lastDay)}年的职工月平均工资和最低工资标准，经济补偿未按最低工资兜底或三倍封顶核对。`);
  else if (input.localWages.year !== yearOf(lastDay)) throw new ValidationError(`当地工资标准的年度（${input.localWages.year}）与最后工作日所在年度（${yearOf(lastDay)}）不一致`);
  // Validates the wages and overtime even when no compensation is owed, so a wrong figure is refused either way.
  const wage = compensationMonthlyWage(input.monthlyWagesFen, input.localWages);
  const leaveWage = leaveMonthlyWage(input.monthlyWagesFen, input.monthlyOvertimeFen);

  const finalWages: LineItem = {
    label: "最后工资（结算至最后工作日）",
    dueOn: lastDay,
    waitsForHandover: false,
    legalRefs: ["WPR 9", "LCL 30", "LL 50"],
    note: FINAL_WAGES_NOTE,
  };

  let unusedAnnualLeave: Settlement["unusedAnnualLeave"] = null;
  if (input.annualLeave) {
    const unusedDays = unusedAnnualLeaveDays(input.hireDate, lastDay, input.annualLeave.entitlementDays, input.annualLeave.takenDays);
    // 实施办法 11: the daily wage is the 12-month average *without overtime pay* ÷ 21.75
    // (no minimum-wage floor applies here; that floor is 实施条例 27's, for compensation).
    const daily = dailyWageFen(leaveWage.averageFen);
    unusedAnnualLeave = {
      label: "未休年休假工资",
      dueOn: lastDay,
      waitsForHandover: false,
      legalRefs: ["企业职工带薪年休假实施办法 10", "企业职工带薪年休假实施办法 11", "企业职工带薪年休假实施办法 12"],
      note:
        `按当年已工作日历天数折算应休未休 ${unusedDays} 天，日工资 ${yuan(daily)}（离职前 ${leaveWage.monthsAveraged} 个月剔除加班工资后的月平均工资 ${yuan(leaveWage.averageFen)} ÷ 21.75），` +
        `按日工资的200%另行支付 ${yuan(unusedDays * daily * 2)}（法定300%中含已随工资发放的100%），与最后工资一并发放，不以交接为条件。`,
      unusedDays,
      monthlyWageFen: leaveWage.averageFen,
      monthsAveraged: leaveWage.monthsAveraged,
      dailyWageFen: daily,
      amountFen: unusedDays * daily * 2,
    };
  }

  if (!ground.owed) {
    return {
      finalWages,
      unusedAnnualLeave,
      economicCompensation: { owed: false, ground: input.ground, label: `经济补偿：不适用（${ground.label}）`, legalRefs: ground.legalRefs, note: ground.reason },
      warnings,
    };
  }

  const service = compensationMonths(input.hireDate, lastDay);
  const months = wage.capped ? Math.min(12, service.months) : service.months;
  const amountFen = Math.round(months * wage.baseMonthlyWageFen);
  const computation = [
    `工作年限：${formatDateZh(input.hireDate)}至${formatDateZh(lastDay)}，计 ${service.months} 个月工资（满一年计一个月，六个月以上不满一年按一年，不满六个月按半个月）。`,
    `月工资：离职前 ${wage.monthsAveraged} 个月平均工资 ${yuan(wage.averageFen)}（含加班工资，《劳动合同法实施条例》第二十七条）。`,
  ];
  if (wage.flooredToMinimum && input.localWages) computation.push(`低于${input.localWages.city}${input.localWages.year}年最低工资标准 ${yuan(input.localWages.minimumMonthlyWageFen)}，按最低工资标准计算（《劳动合同法实施条例》第二十七条）。`);
  if (wage.capped && input.localWages) {
    computation.push(
      `高于${input.localWages.city}职工月平均工资 ${yuan(input.localWages.averageMonthlyWageFen)} 的三倍，按三倍 ${yuan(wage.baseMonthlyWageFen)} 计算，年限最高不超过十二年（${service.months} → ${months} 个月，《劳动合同法》第四十七条第二款）。`,
    );
  }
  computation.push(`经济补偿 = ${yuan(wage.baseMonthlyWageFen)} × ${months} = ${yuan(amountFen)}。`);
  return {
    finalWages,
    unusedAnnualLeave,
    economicCompensation: {
      owed: true,
      ground: input.ground,
      label: "经济补偿（办结工作交接时支付）",
      months,
      serviceMonths: service.months,
      serviceYearsCounted: service.fullYears,
      wage,
      baseMonthlyWageFen: wage.baseMonthlyWageFen,
      capped: wage.capped,
      amountFen,
      waitsForHandover: true,
      computation,
      legalRefs: [...ground.legalRefs, "LCL 47", "实施条例 27", "LCL 50"],
      note: `${ground.reason}在员工办结工作交接时支付（《劳动合同法》第五十条）。`,
    },
    warnings,
  };
}

export interface PaymentStatus {
  label: string;
  amountFen: number | null;
  payableNow: boolean;
  reason: string;
}

/**
 * What HR may and must release on a given day. Final wages and leave pay are
 * payable from the last day even if the handover is unfinished; compensation
 * only once the handover is complete.
 */
export function paymentsPayable(settlement: Settlement, today: LocalDate, handoverComplete: boolean): PaymentStatus[] {
  const reached = compareDates(today, settlement.finalWages.dueOn) >= 0;
  const due = `应于 ${formatDateZh(settlement.finalWages.dueOn)} 支付`;
  const out: PaymentStatus[] = [
    {
      label: settlement.finalWages.label,
      amountFen: null,
      payableNow: reached,
      reason: reached ? `${due}，与交接进度无关` : `${due}（尚未到期）`,
    },
  ];
  if (settlement.unusedAnnualLeave) {
    out.push({ label: settlement.unusedAnnualLeave.label, amountFen: settlement.unusedAnnualLeave.amountFen, payableNow: reached, reason: reached ? `${due}，与交接进度无关` : `${due}（尚未到期）` });
  }
  const c = settlement.economicCompensation;
  if (c.owed) {
    out.push({
      label: c.label,
      amountFen: c.amountFen,
      payableNow: handoverComplete,
      reason: handoverComplete ? "工作交接已办结，应支付" : "待工作交接办结后支付",
    });
  }
  return out;
}

function assertFen(v: number, field: string): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new ValidationError(`${field} 必须是以分为单位的非负整数`);
}
