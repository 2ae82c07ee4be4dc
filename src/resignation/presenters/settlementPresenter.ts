import type { EntityManager } from "typeorm";
import { compareDates, formatDateZh, fromInstant, yearOf } from "../../platform/localDate";
import { StaffDirectory } from "../../org";
import { AppError } from "../../platform/errors";
import {
  COMPENSATION_GROUNDS,
  computeSettlement,
  FINAL_WAGES_NOTE,
  groundFromBasis,
  paymentsPayable,
  yuan,
  type CompensationGround,
  type Settlement,
} from "../rules/settlement";
import type { CaseRow } from "../store/caseStore";
import { loadSettlementInput, localWageFor } from "../store/settlementStore";

/** Handover done = the three signatures are in (the state machine moved past handover_done, or compensation was released). */
const HANDOVER_DONE_STATES = new Set(["handover_done", "closed"]);

/**
 * The settlement statement HR sees and the leaver reads (same facts, same
 * words): final wages due on the last day whatever the handover; unused leave
 * at 200%; compensation where the ground owes it, with its computation and
 * statute, payable when the handover completes; the 15-day personnel-file and
 * social-insurance transfer. Amounts appear once HR has entered the wages.
 */
export async function presentSettlement(manager: EntityManager, row: CaseRow, now: Date) {
  const [s] = await manager.query(
    `SELECT final_wages_released_at, compensation_owed, compensation_released_at, to_char(archive_transfer_deadline, 'YYYY-MM-DD') AS deadline,
       archive_transferred_at AS archived FROM settlement WHERE case_id = $1`,
    [row.id],
  );
  const today = fromInstant(now);
  const input = await loadSettlementInput(manager, row.id);
  const ground: CompensationGround = input?.ground ?? groundFromBasis(row.basis, row.mutualAgreement?.proposedBy);
  const rule = COMPENSATION_GROUNDS[ground];
  const local = await localWageFor(manager, row.departmentId, yearOf(row.lastDay));
  const staff = await new StaffDirectory(manager).find(row.employeeUserid);
  const hireDate = staff?.hireDate ?? row.contractStart;
  const handoverComplete = HANDOVER_DONE_STATES.has(row.state) || Boolean(s?.compensation_released_at) || (await handoverSigned(manager, row.id));

  let computed: Settlement | null = null;
  let problem: string | null = null;
  if (!input) problem = "人事尚未录入离职前12个月工资和年休假天数，金额待核算；最后工资仍须在最后工作日足额支付。";
  else if (!hireDate) problem = "缺少入职日期，无法计算工作年限。";
  else {
    try {
      computed = computeSettlement({
        ground,
        hireDate,
        lastDay: row.lastDay,
        monthlyWagesFen: input.monthlyWagesFen,
        ...(local ? { localWages: local } : {}),
        ...(input.annualLeave ? { annualLeave: input.annualLeave } : {}),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problem = err.message;
    }
  }
  const payable = computed ? paymentsPayable(computed, today, handoverComplete) : null;
  const reached = compareDates(today, row.lastDay) >= 0;
  const c = computed?.economicCompensation;

  return {
    ground: { key: ground, label: rule.label, owed: rule.owed, legalRefs: rule.legalRefs, reason: rule.reason },
    inputs: input
      ? { monthlyWagesFen: input.monthlyWagesFen, annualLeave: input.annualLeave, updatedAt: input.updatedAt.toISOString() }
      : null,
    localWages: local ? { city: local.city, year: local.year, averageMonthlyWage: yuan(local.averageMonthlyWageFen), minimumMonthlyWage: yuan(local.minimumMonthlyWageFen), source: local.source } : null,
    finalWages: {
      label: "最后工资（结算至最后工作日）",
      dueOn: row.lastDay,
      waitsForHandover: false,
      payableNow: reached,
      releasedAt: s?.final_wages_released_at?.toISOString() ?? null,
      status: s?.final_wages_released_at ? "已发放" : reached ? "应立即发放" : `应于${formatDateZh(row.lastDay)}发放`,
      legalRefs: ["WPR 9", "LCL 30", "LL 50"],
      note: FINAL_WAGES_NOTE,
    },
    unusedAnnualLeave: computed?.unusedAnnualLeave
      ? {
          label: computed.unusedAnnualLeave.label,
          unusedDays: computed.unusedAnnualLeave.unusedDays,
          dailyWage: yuan(computed.unusedAnnualLeave.dailyWageFen),
          amountFen: computed.unusedAnnualLeave.amountFen,
          amount: yuan(computed.unusedAnnualLeave.amountFen),
          dueOn: row.lastDay,
          waitsForHandover: false,
          payableNow: reached,
          legalRefs: computed.unusedAnnualLeave.legalRefs,
          note: computed.unusedAnnualLeave.note,
        }
      : null,
    economicCompensation: rule.owed
      ? {
          owed: true,
          label: "经济补偿（办结工作交接时支付）",
          waitsForHandover: true,
          handoverComplete,
          payableNow: handoverComplete,
          releasedAt: s?.compensation_released_at?.toISOString() ?? null,
          status: s?.compensation_released_at ? "交接已办结，应支付" : handoverComplete ? "交接已办结，应支付" : "待工作交接办结后支付",
          amountFen: c?.owed ? c.amountFen : null,
          amount: c?.owed ? yuan(c.amountFen) : null,
          months: c?.owed ? c.months : null,
          computation: c?.owed ? c.computation : [],
          legalRefs: c?.owed ? c.legalRefs : [...rule.legalRefs, "LCL 47", "LCL 50"],
          note: `${rule.reason}在员工办结工作交接时支付（《劳动合同法》第五十条）。`,
        }
      : { owed: false, label: `经济补偿：不适用（${rule.label}）`, waitsForHandover: false, legalRefs: rule.legalRefs, note: rule.reason },
    payments: payable,
    archiveTransfer: s?.deadline
      ? {
          deadline: s.deadline,
          transferred: s.archived !== null,
          transferredAt: s.archived?.toISOString() ?? null,
          overdue: s.archived === null && today > s.deadline,
          note: `档案和社会保险关系须在${formatDateZh(s.deadline)}前转移（解除劳动合同后15日内，《劳动合同法》第五十条）。`,
        }
      : {
          deadline: null,
          transferred: false,
          transferredAt: null,
          overdue: false,
          note: "离职证明开具后15日内办理档案和社会保险关系转移（《劳动合同法》第五十条）。",
        },
    warnings: [...(problem ? [problem] : []), ...(computed?.warnings ?? [])],
  };
}

export type SettlementStatement = Awaited<ReturnType<typeof presentSettlement>>;

async function handoverSigned(manager: EntityManager, caseId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM dossier_entry WHERE case_id = $1 AND kind = 'handover_confirmed' LIMIT 1`, [caseId]);
  return rows.length > 0;
}
