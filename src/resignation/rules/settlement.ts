import {
  addDays,
  assertLocalDate,
  compareDates,
  daysBetween,
  formatDateZh,
  monthsAndDaysBetween,
  yearOf,
  type LocalDate,
} from "../../calendar/localDate";
import { ValidationError } from "../../platform/errors";
import type { ResignationBasis } from "./noticePeriod";

/**
 * What the employer owes at the end, split the way the law splits it
 * (labor-law.md §3): final wages and unused-leave pay are due on the last day
 * whatever the state of the handover (WPR 9 — withholding them is unlawful);
 * only economic compensation, where owed, is paid when the handover is done
 * (LCL 50). Money is in fen (integer) so nothing is lost to floating point.
 */

export interface SettlementInput {
  basis: ResignationBasis;
  /** Needed for mutual agreement: compensation is owed when the employer proposed it (LCL 46(2)). */
  mutualAgreementProposedBy?: "employee" | "employer";
  hireDate: LocalDate;
  lastDay: LocalDate;
  /** Average monthly wage over the last 12 months (or the months worked, if fewer), in fen. */
  averageMonthlyWageFen: number;
  /** Local average monthly wage published for the previous year, in fen; enables the LCL 47 high-earner cap. */
  localAverageMonthlyWageFen?: number;
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

export interface Settlement {
  finalWages: LineItem;
  unusedAnnualLeave: (LineItem & { unusedDays: number; dailyWageFen: number; amountFen: number }) | null;
  economicCompensation:
    | { owed: false; label: string; legalRefs: string[]; note: string }
    | {
        owed: true;
        label: string;
        months: number;
        serviceYearsCounted: number;
        baseMonthlyWageFen: number;
        capped: boolean;
        amountFen: number;
        waitsForHandover: true;
        legalRefs: string[];
        note: string;
      };
}

export const FINAL_WAGES_NOTE =
  "最后工资须在最后工作日一次性足额支付，不得以工作交接未完成为由扣发或缓发（《工资支付暂行规定》第九条）。员工造成损失的，可依法另行主张赔偿，或按月工资20%以内扣除（第十六条）。";

export function economicCompensationOwed(basis: ResignationBasis, proposedBy?: "employee" | "employer"): boolean {
  switch (basis) {
    case "lcl38_immediate":
    case "lcl38_employer_fault":
      return true;
    case "mutual_agreement":
      if (!proposedBy) throw new ValidationError("协商一致解除须注明由哪一方提出，以确定是否支付经济补偿");
      return proposedBy === "employer";
    case "standard":
      return false;
  }
}

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

export function computeSettlement(input: SettlementInput): Settlement {
  const lastDay = assertLocalDate(input.lastDay, "lastDay");
  assertFen(input.averageMonthlyWageFen, "averageMonthlyWageFen");
  if (input.localAverageMonthlyWageFen !== undefined) assertFen(input.localAverageMonthlyWageFen, "localAverageMonthlyWageFen");

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
    const daily = dailyWageFen(input.averageMonthlyWageFen);
    unusedAnnualLeave = {
      label: "未休年休假工资",
      dueOn: lastDay,
      waitsForHandover: false,
      legalRefs: ["企业职工带薪年休假实施办法 10", "企业职工带薪年休假实施办法 12"],
      note: `按当年已工作日历天数折算应休未休 ${unusedDays} 天，按日工资（月工资÷21.75）的300%支付，与最后工资一并发放，不以交接为条件。`,
      unusedDays,
      dailyWageFen: daily,
      amountFen: unusedDays * daily * 3,
    };
  }

  const owed = economicCompensationOwed(input.basis, input.mutualAgreementProposedBy);
  if (!owed) {
    return {
      finalWages,
      unusedAnnualLeave,
      economicCompensation: {
        owed: false,
        label: "经济补偿：不适用",
        legalRefs: ["LCL 46"],
        note: "员工依《劳动合同法》第三十七条主动辞职的，公司无需支付经济补偿。",
      },
    };
  }

  const service = compensationMonths(input.hireDate, lastDay);
  const capBase = input.localAverageMonthlyWageFen === undefined ? undefined : input.localAverageMonthlyWageFen * 3;
  const capped = capBase !== undefined && input.averageMonthlyWageFen > capBase;
  const baseMonthlyWageFen = capped ? capBase : input.averageMonthlyWageFen;
  const months = capped ? Math.min(12, service.months) : service.months;
  return {
    finalWages,
    unusedAnnualLeave,
    economicCompensation: {
      owed: true,
      label: "经济补偿（办结工作交接时支付）",
      months,
      serviceYearsCounted: service.fullYears,
      baseMonthlyWageFen,
      capped,
      amountFen: Math.round(months * baseMonthlyWageFen),
      waitsForHandover: true,
      legalRefs: ["LCL 46", "LCL 47", "LCL 50"],
      note:
        `按工作年限计 ${months} 个月` +
        (capped ? "（月工资高于当地职工月平均工资三倍，按三倍封顶且年限最高12年）" : "") +
        "，在员工办结工作交接时支付（《劳动合同法》第五十条）。",
    },
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
