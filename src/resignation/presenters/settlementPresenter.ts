import type { EntityManager } from "typeorm";
import type { SettlementStatement } from "../../../miniprogram/services/types";
import { StaffDirectory } from "../../org";
import { fromInstant, yearOf } from "../../platform/localDate";
import { groundFromBasis, type CompensationGround } from "../rules/settlement";
import type { CaseRow } from "../store/caseStore";
import { loadSettlementInput, localWageFor } from "../store/settlementStore";
import { settlementView } from "./settlementView";

export type { SettlementStatement };

/** Handover done = the three signatures are in (the state machine moved past handover_done, or compensation was released). */
const HANDOVER_DONE_STATES = new Set(["handover_done", "closed"]);

/** Loads a case's settlement facts and writes the statement (settlementView.ts). */
export async function presentSettlement(manager: EntityManager, row: CaseRow, now: Date): Promise<SettlementStatement> {
  const [s] = await manager.query(
    `SELECT final_wages_released_at, compensation_released_at, to_char(archive_transfer_deadline, 'YYYY-MM-DD') AS deadline,
       archive_transferred_at AS archived FROM settlement WHERE case_id = $1`,
    [row.id],
  );
  const input = await loadSettlementInput(manager, row.id);
  const local = await localWageFor(manager, row.departmentId, yearOf(row.lastDay));
  const staff = await new StaffDirectory(manager).find(row.employeeUserid);
  const handoverComplete = HANDOVER_DONE_STATES.has(row.state) || Boolean(s?.compensation_released_at) || (await handoverSigned(manager, row.id));
  return settlementView({
    today: fromInstant(now),
    lastDay: row.lastDay,
    ground: input?.ground ?? groundFromBasis(row.basis, row.mutualAgreement?.proposedBy),
    input,
    local,
    hireDate: staff?.hireDate ?? row.contractStart,
    handoverComplete,
    released: s
      ? { finalWagesAt: s.final_wages_released_at ?? null, compensationAt: s.compensation_released_at ?? null, archiveDeadline: s.deadline ?? null, archivedAt: s.archived ?? null }
      : null,
  });
}

async function handoverSigned(manager: EntityManager, caseId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM dossier_entry WHERE case_id = $1 AND kind = 'handover_confirmed' LIMIT 1`, [caseId]);
  return rows.length > 0;
}

/** The ground the statement uses: HR's, or the one the case's basis implies. */
export async function currentGround(manager: EntityManager, row: CaseRow): Promise<CompensationGround> {
  return (await loadSettlementInput(manager, row.id))?.ground ?? groundFromBasis(row.basis, row.mutualAgreement?.proposedBy);
}
