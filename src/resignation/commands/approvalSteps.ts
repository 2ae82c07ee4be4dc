import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { consolePaths, consoleUrl } from "../../platform/http/consoleLinks";
import { appendDossier } from "../../dossier";
import { approvalTaskId, buildApprovalCard } from "../cards/approvalCard";
import { enqueueMessage } from "../outbox/outbox";
import { approversFor, ApprovalError, type ApprovalStep } from "../rules/approvalChain";
import type { CaseRow } from "../store/caseStore";
import { approvalChainFor, orgSnapshot, type EmployeeContext } from "../store/orgContext";
import type { ResignationDeps } from "../deps";
import type { ButtonInteractionCard } from "../../wecom";
import { openReminder } from "../../schedules";
import { ReminderKinds } from "../reminders/resignationReminders";

export interface StepRow {
  id: string;
  caseId: string;
  step: string;
  position: number;
  approverUserids: string[];
  decision: "waiting" | "pending" | "approved" | "rejected";
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  openedAt: Date | null;
  round: number;
  cardTaskId: string | null;
  /** Where the step was decided: its card, or the console's case page (null: not decided, or before this was kept). */
  decidedVia: "card" | "console" | null;
}

const SELECT = `SELECT id, case_id, step, position, approver_userids, decision, decided_by, decided_at, reason, opened_at, round, card_task_id, decided_via FROM approval_step`;

function toStep(r: Record<string, unknown>): StepRow {
  return {
    id: r.id as string,
    caseId: r.case_id as string,
    step: r.step as string,
    position: r.position as number,
    approverUserids: r.approver_userids as string[],
    decision: r.decision as StepRow["decision"],
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: (r.decided_at as Date | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    openedAt: (r.opened_at as Date | null) ?? null,
    round: r.round as number,
    cardTaskId: (r.card_task_id as string | null) ?? null,
    decidedVia: (r.decided_via as StepRow["decidedVia"]) ?? null,
  };
}

export async function loadSteps(manager: EntityManager, caseId: string): Promise<StepRow[]> {
  return (await manager.query(`${SELECT} WHERE case_id = $1 ORDER BY position`, [caseId])).map(toStep);
}

export async function stepByTaskId(manager: EntityManager, taskId: string): Promise<StepRow | null> {
  const rows = await manager.query(`${SELECT} WHERE card_task_id = $1`, [taskId]);
  return rows[0] ? toStep(rows[0]) : null;
}

/**
 * The case's chain with its approvers, fixed when the case starts so a later
 * directory change cannot move a step to someone else mid-way. A step nobody
 * can decide is recorded and left without approvers for HR to fix; it never
 * holds up the resignation itself.
 */
export async function createSteps(manager: EntityManager, row: CaseRow, ctx: EmployeeContext, now: Date): Promise<void> {
  const chain = await approvalChainFor(manager, ctx.branchId);
  const org = await orgSnapshot(manager, ctx);
  for (const [position, step] of chain.entries()) {
    let approvers: string[] = [];
    try {
      approvers = approversFor(step, { userId: row.employeeUserid, mainDepartmentId: String(ctx.mainDepartmentId), branchId: String(ctx.branchId) }, org);
    } catch (err) {
      if (!(err instanceof ApprovalError)) throw err;
      await appendDossier(manager, row.id, now, "approver_missing", { type: "system", id: "resignation" }, { step: step.key, message: err.message });
    }
    await manager.query(
      `INSERT INTO approval_step (id, case_id, step, position, approver_userids, decision) VALUES ($1, $2, $3, $4, $5, 'waiting')`,
      [randomUUID(), row.id, step.key, position, approvers],
    );
  }
}

/** Opens a step for a (new) round: a fresh task_id, the time it opened (reminders count from it), and a card to each approver. */
export async function openStep(
  manager: EntityManager,
  deps: ResignationDeps,
  row: CaseRow,
  step: StepRow,
  chainStep: ApprovalStep,
  ctx: EmployeeContext,
  now: Date,
  returnedReason?: string,
): Promise<void> {
  const round = step.decision === "waiting" ? step.round : step.round + 1;
  const taskId = approvalTaskId(step.id, round);
  await manager.query(
    `UPDATE approval_step SET decision = 'pending', opened_at = $2, round = $3, card_task_id = $4, decided_by = NULL, decided_at = NULL, decided_via = NULL WHERE id = $1`,
    [step.id, now, round, taskId],
  );
  await appendDossier(manager, row.id, now, "approval_opened", { type: "system", id: "resignation" }, {
    step: step.step,
    round,
    taskId,
    approvers: step.approverUserids,
  });
  if (step.approverUserids.length === 0) return;
  for (const approver of step.approverUserids) {
    await openReminder(manager, { subjectKind: ReminderKinds.approvalStep, subjectId: step.id, recipientUserid: approver, caseId: row.id, departmentId: row.departmentId, openedAt: now });
  }
  const card = stepCard(deps, row, taskId, chainStep, ctx, returnedReason);
  // The step and round come back with the outcome, so the card's response_code is kept for them (cardSync.ts).
  await enqueueMessage(manager, row.id, "approval_card", { type: "template_card", touser: step.approverUserids, card }, now, { stepId: step.id, step: step.step, round });
}

/** The card of a step's round, as its approvers got it (and as it is shown again when a late click is answered). */
export function stepCard(
  deps: Pick<ResignationDeps, "publicBaseUrl">,
  row: CaseRow,
  taskId: string,
  chainStep: Pick<ApprovalStep, "label" | "duties">,
  ctx: EmployeeContext,
  returnedReason?: string,
): ButtonInteractionCard {
  return buildApprovalCard({
    taskId,
    step: chainStep,
    employeeName: ctx.staff.name,
    departmentName: ctx.branchName,
    lastDay: row.lastDay,
    returnedReason,
    detailUrl: consoleUrl(deps.publicBaseUrl, consolePaths.case(row.id)),
  });
}
