import type { EntityManager } from "typeorm";
import { ConflictError } from "../../platform/errors";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { enqueueMessage } from "../outbox/outbox";
import { TRANSITIONS, transition } from "../rules/caseStateMachine";
import { updateCase, type CaseRow } from "../store/caseStore";

/** Whether the employee may still ask to take the resignation back. */
export function canWithdraw(row: CaseRow): boolean {
  return TRANSITIONS[row.state].withdraw_request !== undefined;
}

/**
 * Before signing, the case is simply abandoned. After signing the notice has
 * taken effect, so the request waits for HR (CC 137); HR is told.
 */
export async function requestWithdrawal(manager: EntityManager, deps: ResignationDeps, row: CaseRow, reason: string): Promise<CaseRow> {
  const now = deps.clock.now();
  if (!canWithdraw(row)) throw new ConflictError("当前状态下无法撤回离职申请");
  const state = transition(row.state, "withdraw_request");
  const updated = await updateCase(manager, row, { state, resumeState: state === "withdrawal_requested" ? row.state : null }, now);
  await appendDossier(manager, row.id, now, state === "withdrawn" ? "withdrawn" : "withdraw_requested", { type: "employee", id: row.employeeUserid }, { reason, from: row.state });
  if (state === "withdrawn") await closeOpenSteps(manager, row.id);
  else {
    const hr: { approver_userids: string[] }[] = await manager.query(`SELECT approver_userids FROM approval_step WHERE case_id = $1 AND step = 'hr'`, [row.id]);
    const touser = hr[0]?.approver_userids ?? [];
    if (touser.length > 0) {
      await enqueueMessage(manager, row.id, "hr_notice", { type: "text", touser, content: `员工申请撤回已签署的离职通知（原因：${reason}），请在人事后台确认是否同意。` }, now);
    }
  }
  return updated;
}

/** HR's answer to a withdrawal request after signing: accept ends the case, decline resumes where it was. */
export async function decideWithdrawal(manager: EntityManager, deps: ResignationDeps, row: CaseRow, hrUserid: string, accept: boolean, note: string): Promise<CaseRow> {
  const now = deps.clock.now();
  if (row.state !== "withdrawal_requested") throw new ConflictError("没有待处理的撤回申请");
  const state = accept ? transition(row.state, "withdraw_accept") : transition(row.state, "withdraw_decline", { resumeState: row.resumeState ?? undefined });
  const updated = await updateCase(manager, row, { state, resumeState: null }, now);
  await appendDossier(manager, row.id, now, accept ? "withdrawn" : "withdraw_declined", { type: "hr", id: hrUserid }, { note });
  if (accept) await closeOpenSteps(manager, row.id);
  await enqueueMessage(manager, row.id, "employee_notice", {
    type: "text",
    touser: [row.employeeUserid],
    content: accept ? "公司已同意您撤回离职申请。" : `公司未同意撤回离职申请${note ? `（${note}）` : ""}，离职流程继续。`,
  }, now);
  return updated;
}

/** A withdrawn case's open cards must not count any more: their task ids stop resolving to a pending step. */
async function closeOpenSteps(manager: EntityManager, caseId: string): Promise<void> {
  await manager.query(`UPDATE approval_step SET decision = 'waiting' WHERE case_id = $1 AND decision = 'pending'`, [caseId]);
}
