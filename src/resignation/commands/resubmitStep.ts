import type { EntityManager } from "typeorm";
import { ConflictError } from "../../platform/errors";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { transition } from "../rules/caseStateMachine";
import { updateCase, type CaseRow } from "../store/caseStore";
import { approvalChainFor, employeeContext } from "../store/orgContext";
import { loadSteps, openStep } from "./approvalSteps";

/** After a returned step was addressed, HR sends it back to the same approvers in a new round (fresh card). */
export async function resubmitStep(manager: EntityManager, deps: ResignationDeps, row: CaseRow, hrUserid: string, note: string): Promise<CaseRow> {
  const now = deps.clock.now();
  if (row.state !== "step_returned") throw new ConflictError("没有被退回的审批环节");
  const returned = (await loadSteps(manager, row.id)).find((s) => s.decision === "rejected");
  if (!returned) throw new ConflictError("没有被退回的审批环节");
  const updated = await updateCase(manager, row, { state: transition(row.state, "resubmit_step") }, now);
  await appendDossier(manager, row.id, now, "approval_resubmitted", { type: "hr", id: hrUserid }, { step: returned.step, note });
  const ctx = await employeeContext(manager, row.employeeUserid);
  const chainStep = (await approvalChainFor(manager, ctx.branchId)).find((s) => s.key === returned.step);
  if (chainStep) await openStep(manager, deps, updated, returned, chainStep, ctx, now, returned.reason ?? undefined);
  return updated;
}
