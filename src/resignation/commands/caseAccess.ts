import type { EntityManager } from "typeorm";
import { StaffDirectory } from "../../org";
import type { Actor } from "../../org";
import { authorize } from "../../org";
import type { Action, Resource } from "../../org";
import { getCase, type CaseRow } from "../store/caseStore";

/** The case as the policy sees it: whose it is, where they sit, who approves and who receives the handover. */
export async function caseResource(manager: EntityManager, row: CaseRow): Promise<Extract<Resource, { kind: "case" }>> {
  const departmentPaths = await new StaffDirectory(manager).departmentPaths(row.employeeUserid);
  const steps: { approver_userids: string[] }[] = await manager.query(`SELECT approver_userids FROM approval_step WHERE case_id = $1`, [row.id]);
  return {
    kind: "case",
    employeeUserid: row.employeeUserid,
    departmentPaths,
    approverUserids: [...new Set(steps.flatMap((s) => s.approver_userids))],
    receiverUserids: [row.receiverUserid, row.supervisorUserid].filter((u): u is string => !!u),
  };
}

export async function authorizeCase(manager: EntityManager, actor: Actor, action: Action, row: CaseRow): Promise<void> {
  authorize(actor, action, await caseResource(manager, row));
}

/** Load a case and check the actor may act on it: the first step of every route that takes a case id. */
export async function loadAuthorizedCase(manager: EntityManager, actor: Actor, caseId: string, action: Action, options: { lock?: boolean } = {}): Promise<CaseRow> {
  const row = await getCase(manager, caseId, options);
  await authorizeCase(manager, actor, action, row);
  return row;
}
