import type { EntityManager } from "typeorm";
import { formatDateZh, fromInstant } from "../../calendar/localDate";
import { economicCompensationOwed, FINAL_WAGES_NOTE } from "../rules/settlement";
import type { CaseRow } from "../store/caseStore";

/**
 * What HR must see side by side: final wages are due on the last day
 * whatever the handover says; only economic compensation, where owed,
 * waits for the handover (LCL 50, WPR 9).
 */
export async function presentSettlement(manager: EntityManager, row: CaseRow, now: Date) {
  const rows = await manager.query(
    `SELECT final_wages_released_at, compensation_owed, compensation_released_at, to_char(archive_transfer_deadline, 'YYYY-MM-DD') AS deadline,
       archive_transferred_at AS archived FROM settlement WHERE case_id = $1`,
    [row.id],
  );
  const s = rows[0];
  const owed = s ? (s.compensation_owed as boolean) : economicCompensationOwed(row.basis, row.mutualAgreement?.proposedBy);
  const today = fromInstant(now);
  return {
    finalWages: {
      dueOn: row.lastDay,
      waitsForHandover: false,
      releasedAt: s?.final_wages_released_at?.toISOString() ?? null,
      note: FINAL_WAGES_NOTE,
    },
    economicCompensation: owed
      ? { owed: true, waitsForHandover: true, releasedAt: s?.compensation_released_at?.toISOString() ?? null, note: "经济补偿在员工办结工作交接时支付（《劳动合同法》第五十条）。" }
      : { owed: false, waitsForHandover: false, releasedAt: null, note: "员工主动辞职的，公司无需支付经济补偿。" },
    archiveTransfer: s?.deadline
      ? { deadline: s.deadline, transferred: s.archived !== null, overdue: s.archived === null && today > s.deadline, note: `档案和社会保险关系须在${formatDateZh(s.deadline)}前转移（15日内）。` }
      : null,
  };
}
