import type { SettlementStatement } from "../../../miniprogram/services/types";
import { AppError } from "../../platform/errors";
import { compareDates, formatDateZh, type LocalDate } from "../../platform/localDate";
import {
  COMPENSATION_GROUNDS,
  computeSettlement,
  FINAL_WAGES_NOTE,
  paymentsPayable,
  yuan,
  type CompensationGround,
  type Settlement,
} from "../rules/settlement";
import { statuteLabels } from "../rules/statutes";
import type { SettlementInputRow, StoredLocalWage } from "../store/settlementStore";

/** Everything the statement is made of, already loaded (settlementPresenter.ts loads it). */
export interface SettlementFacts {
  today: LocalDate;
  lastDay: LocalDate;
  /** HR's ground, or the one the case's basis implies. */
  ground: CompensationGround;
  input: SettlementInputRow | null;
  local: StoredLocalWage | null;
  hireDate: LocalDate | null;
  handoverComplete: boolean;
  /** The last-day run's row: what was released and the file-transfer deadline (null before the last day). */
  released: { finalWagesAt: Date | null; compensationAt: Date | null; archiveDeadline: LocalDate | null; archivedAt: Date | null } | null;
}

const FINAL_WAGES_REFS = ["WPR 9", "LCL 30", "LL 50"];

/**
 * The settlement statement HR sees and the leaver reads (same facts, same
 * words, contract `SettlementStatement`): final wages due on the last day
 * whatever the handover; unused leave at 200%; compensation where the ground
 * owes it, with its computation and statute, payable when the handover
 * completes; the 15-day personnel-file and social-insurance transfer. Amounts
 * appear once HR has entered the wages. Pure, so the mini-program's page tests
 * are fed exactly what the server sends.
 */
export function settlementView(f: SettlementFacts): SettlementStatement {
  const rule = COMPENSATION_GROUNDS[f.ground];
  const s = f.released;
  let computed: Settlement | null = null;
  let problem: string | null = null;
  if (!f.input) problem = "人事尚未录入离职前12个月工资和年休假天数，金额待核算；最后工资仍须在最后工作日足额支付。";
  else if (!f.hireDate) problem = "缺少入职日期，无法计算工作年限。";
  else {
    try {
      computed = computeSettlement({
        ground: f.ground,
        hireDate: f.hireDate,
        lastDay: f.lastDay,
        monthlyWagesFen: f.input.monthlyWagesFen,
        monthlyOvertimeFen: f.input.monthlyOvertimeFen,
        ...(f.local ? { localWages: f.local } : {}),
        ...(f.input.annualLeave ? { annualLeave: f.input.annualLeave } : {}),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problem = err.message;
    }
  }
  const payable = computed ? paymentsPayable(computed, f.today, f.handoverComplete) : null;
  const reached = compareDates(f.today, f.lastDay) >= 0;
  const c = computed?.economicCompensation;
  const compensationRefs = c?.owed ? c.legalRefs : [...rule.legalRefs, "LCL 47", "LCL 50"];
  const leave = computed?.unusedAnnualLeave;

  return {
    ground: { key: f.ground, label: rule.label, owed: rule.owed, legalRefs: rule.legalRefs, statutes: statuteLabels(rule.legalRefs), reason: rule.reason },
    inputs: f.input ? { monthlyWagesFen: f.input.monthlyWagesFen, monthlyOvertimeFen: f.input.monthlyOvertimeFen, annualLeave: f.input.annualLeave, updatedAt: f.input.updatedAt.toISOString() } : null,
    localWages: f.local
      ? { city: f.local.city, year: f.local.year, averageMonthlyWage: yuan(f.local.averageMonthlyWageFen), minimumMonthlyWage: yuan(f.local.minimumMonthlyWageFen), source: f.local.source }
      : null,
    finalWages: {
      label: "最后工资（结算至最后工作日）",
      dueOn: f.lastDay,
      waitsForHandover: false,
      payableNow: reached,
      releasedAt: s?.finalWagesAt?.toISOString() ?? null,
      status: s?.finalWagesAt ? "已发放" : reached ? "应立即发放" : `应于${formatDateZh(f.lastDay)}发放`,
      legalRefs: FINAL_WAGES_REFS,
      statutes: statuteLabels(FINAL_WAGES_REFS),
      note: FINAL_WAGES_NOTE,
    },
    unusedAnnualLeave: leave
      ? {
          label: leave.label,
          unusedDays: leave.unusedDays,
          monthlyWage: yuan(leave.monthlyWageFen),
          monthsAveraged: leave.monthsAveraged,
          dailyWage: yuan(leave.dailyWageFen),
          amountFen: leave.amountFen,
          amount: yuan(leave.amountFen),
          dueOn: f.lastDay,
          waitsForHandover: false,
          payableNow: reached,
          legalRefs: leave.legalRefs,
          statutes: statuteLabels(leave.legalRefs),
          note: leave.note,
        }
      : null,
    economicCompensation: rule.owed
      ? {
          owed: true,
          label: "经济补偿（办结工作交接时支付）",
          waitsForHandover: true,
          handoverComplete: f.handoverComplete,
          payableNow: f.handoverComplete,
          releasedAt: s?.compensationAt?.toISOString() ?? null,
          status: s?.compensationAt || f.handoverComplete ? "交接已办结，应支付" : "待工作交接办结后支付",
          amountFen: c?.owed ? c.amountFen : null,
          amount: c?.owed ? yuan(c.amountFen) : null,
          months: c?.owed ? c.months : null,
          computation: c?.owed ? c.computation : [],
          legalRefs: compensationRefs,
          statutes: statuteLabels(compensationRefs),
          note: `${rule.reason}在员工办结工作交接时支付（《劳动合同法》第五十条）。`,
        }
      : { owed: false, label: `经济补偿：不适用（${rule.label}）`, waitsForHandover: false, legalRefs: rule.legalRefs, statutes: statuteLabels(rule.legalRefs), note: rule.reason },
    payments: payable,
    archiveTransfer: s?.archiveDeadline
      ? {
          deadline: s.archiveDeadline,
          transferred: s.archivedAt !== null,
          transferredAt: s.archivedAt?.toISOString() ?? null,
          overdue: s.archivedAt === null && compareDates(f.today, s.archiveDeadline) > 0,
          note: `档案和社会保险关系须在${formatDateZh(s.archiveDeadline)}前转移（解除劳动合同后15日内，《劳动合同法》第五十条）。`,
        }
      : { deadline: null, transferred: false, transferredAt: null, overdue: false, note: "离职证明开具后15日内办理档案和社会保险关系转移（《劳动合同法》第五十条）。" },
    warnings: [...(problem ? [problem] : []), ...(computed?.warnings ?? [])],
  };
}
