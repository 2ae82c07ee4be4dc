import type { SettlementStatement } from "../../../services/types";
import { formatDay, formatInstant } from "../../../utils/format";

/**
 * What the settlement page shows, from the server's statement: every date in
 * Chinese, one status line per item, and the statute behind each in words.
 * Amounts are the server's (¥ strings); the page never does money arithmetic.
 */
export function settlementPageView(s: SettlementStatement) {
  const c = s.economicCompensation;
  const leave = s.unusedAnnualLeave;
  const t = s.archiveTransfer;
  return {
    groundLabel: s.ground.label,
    groundStatutes: s.ground.statutes.join("、"),
    warnings: s.warnings,
    finalWages: {
      label: s.finalWages.label,
      dueText: `${formatDay(s.finalWages.dueOn)}（最后工作日）`,
      status: s.finalWages.releasedAt ? `已发放 · ${formatInstant(s.finalWages.releasedAt)}` : s.finalWages.status,
      released: s.finalWages.releasedAt !== null,
      statutes: s.finalWages.statutes.join("、"),
      note: s.finalWages.note,
    },
    leave: leave
      ? {
          label: leave.label,
          amount: leave.amount,
          formula: `${leave.unusedDays} 天 × 日工资 ${leave.dailyWage} × 200%`,
          // 实施办法 11: the leaver sees that overtime is left out of this rate (compensation keeps it).
          rate: `日工资 = 离职前 ${leave.monthsAveraged} 个月的月平均工资 ${leave.monthlyWage}（不含加班工资）÷ 21.75`,
          dueText: `${formatDay(leave.dueOn)}（与最后工资一并支付）`,
          statutes: leave.statutes.join("、"),
          note: leave.note,
        }
      : null,
    compensation: c.owed
      ? {
          owed: true,
          label: c.label,
          amount: c.amount ?? "待人事核算",
          status: c.releasedAt ? `已支付 · ${formatInstant(c.releasedAt)}` : c.status,
          waiting: !c.payableNow,
          computation: c.computation,
          statutes: c.statutes.join("、"),
          note: c.note,
        }
      : { owed: false, label: c.label, amount: "", status: "", waiting: false, computation: [] as string[], statutes: c.statutes.join("、"), note: c.note },
    transfer: {
      note: t.note,
      status: t.transferred ? `已办理${t.transferredAt ? ` · ${formatInstant(t.transferredAt)}` : ""}` : t.overdue ? "已超过期限，请联系人事" : t.deadline ? `待办理，期限 ${formatDay(t.deadline)}` : "离职证明开具后开始计算",
      late: t.overdue,
      done: t.transferred,
    },
  };
}

export type SettlementPageView = ReturnType<typeof settlementPageView>;
