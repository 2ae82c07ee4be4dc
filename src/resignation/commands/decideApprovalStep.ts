import type { EntityManager } from "typeorm";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { enqueueMessage } from "../outbox/outbox";
import { APPROVE_KEY, REJECT_KEY, REJECT_REASONS } from "../cards/approvalCard";
import { TRANSITIONS, transition } from "../rules/caseStateMachine";
import { recordDecision, type StepDecision } from "../rules/approvalChain";
import { getCase, updateCase } from "../store/caseStore";
import { approvalChainFor, employeeContext } from "../store/orgContext";
import { loadSteps, openStep, stepByTaskId, type StepRow } from "./approvalSteps";
import type { ButtonInteractionCard } from "../../wecom";
import { cardAfterConsoleDecision, syncCardsAfterConsoleDecision } from "../cards/cardSync";
import { CONSOLE_DECIDED_LABEL } from "../rules/cardUpdate";
import { clickCodeUsed, spendClickCode } from "../store/cardCodeStore";
import { closeReminders } from "../../schedules";
import { openChecklistReminders } from "./checklist";
import { ReminderKinds } from "../reminders/resignationReminders";

export interface CardClick {
  taskId: string;
  userid: string;
  buttonKey: string;
  /** From the callback: lets us update exactly the card that was clicked, once. */
  responseCode?: string;
  /** The option picked in the card's reason selector. */
  reasonOptionId?: string;
  /** Where the decision was made: the WeCom card, or the case page in the console (recorded in the dossier). */
  via?: "card" | "console";
}

export type ClickOutcome =
  | { outcome: "approved" | "rejected"; caseId: string }
  | { outcome: "duplicate"; caseId: string }
  /** The step had been decided on the console's case page: the card is answered with that decision. */
  | { outcome: "decided_in_console"; caseId: string }
  /** A click whose ResponseCode was used already (a redelivered click): nothing changes. */
  | { outcome: "replayed"; caseId: string }
  | { outcome: "refused"; caseId: string | null; reason: "unknown_task" | "not_approver" | "unknown_button" | "case_not_in_approval" };

const DECIDED_LABEL = { approved: "已同意", rejected: "已驳回" } as const;

/**
 * An approver pressed 同意 or 驳回 on a step card. The task_id must name a
 * step of an open round, the clicker must be one of its approvers, and the
 * step must still be pending: a second click (or a second approver's click)
 * changes nothing but still turns that card's buttons into the result; a
 * click after a decision in the console is answered with that decision (who,
 * when). Each click's ResponseCode is spent once (approval_card_code), so a
 * replayed click changes nothing at all.
 */
export async function decideApprovalStep(manager: EntityManager, deps: ResignationDeps, click: CardClick): Promise<ClickOutcome> {
  const now = deps.clock.now();
  const found = await stepByTaskId(manager, click.taskId);
  if (!found) return { outcome: "refused", caseId: null, reason: "unknown_task" };
  let row = await getCase(manager, found.caseId, { lock: true });
  const step = (await stepByTaskId(manager, click.taskId)) as StepRow;
  if (click.responseCode && (await clickCodeUsed(manager, click.responseCode))) return { outcome: "replayed", caseId: row.id };
  const refuse = async (reason: "not_approver" | "unknown_button" | "case_not_in_approval") => {
    await appendDossier(manager, row.id, now, "card_click_refused", { type: "wecom_user", id: click.userid }, { taskId: click.taskId, step: step.step, reason, buttonKey: click.buttonKey });
    return { outcome: "refused", caseId: row.id, reason } as const;
  };
  if (!step.approverUserids.includes(click.userid)) return refuse("not_approver");
  if (click.buttonKey !== APPROVE_KEY && click.buttonKey !== REJECT_KEY) return refuse("unknown_button");
  /** Changes the clicked card with the click's own code, once: its buttons greyed out with `replaceName`, or the whole card replaced. */
  const updateCard = async (replaceName: string, card?: { userids: string[]; card: ButtonInteractionCard }) => {
    if (!click.responseCode) return;
    const userids = card?.userids ?? step.approverUserids;
    if (!(await spendClickCode(manager, { responseCode: click.responseCode, stepId: step.id, round: step.round, userids, usedFor: replaceName }, now))) return;
    await enqueueMessage(
      manager,
      row.id,
      "card_update",
      { type: "update_card", userids, responseCode: click.responseCode, replaceName, ...(card ? { card: card.card } : {}) },
      now,
      { stepId: step.id, step: step.step, round: step.round, code: "click" },
    );
  };
  if (step.decidedVia === "console" && (step.decision === "approved" || step.decision === "rejected")) {
    const decided = { decision: step.decision, by: step.decidedBy, at: step.decidedAt ?? now };
    const answer = await cardAfterConsoleDecision(manager, deps, row, step, decided);
    await appendDossier(manager, row.id, now, "card_click_after_console", { type: "wecom_user", id: click.userid }, {
      taskId: click.taskId,
      step: step.step,
      round: step.round,
      decision: step.decision,
      decidedBy: step.decidedBy,
      decidedAt: decided.at.toISOString(),
    });
    await updateCard(CONSOLE_DECIDED_LABEL[step.decision], answer ? { userids: [click.userid], card: answer } : undefined);
    return { outcome: "decided_in_console", caseId: row.id };
  }
  if (step.decision !== "pending") {
    await appendDossier(manager, row.id, now, "card_click_duplicate", { type: "wecom_user", id: click.userid }, { taskId: click.taskId, step: step.step, decision: step.decision });
    await updateCard(step.decision === "waiting" ? "已失效" : DECIDED_LABEL[step.decision]);
    return { outcome: "duplicate", caseId: row.id };
  }
  if (row.state !== "in_approval") {
    await updateCard("已失效");
    return refuse("case_not_in_approval");
  }

  const ctx = await employeeContext(manager, row.employeeUserid);
  const chain = await approvalChainFor(manager, ctx.branchId);
  const steps = await loadSteps(manager, row.id);
  const history: StepDecision[] = steps
    .filter((s) => s.decision === "approved")
    .map((s) => ({ stepKey: s.step, decision: "approved", byUserId: s.decidedBy ?? "", at: (s.decidedAt ?? now).toISOString() }));
  const decision: StepDecision["decision"] = click.buttonKey === APPROVE_KEY ? "approved" : "rejected";
  const reason = decision === "rejected" ? (REJECT_REASONS.find((r) => r.id === click.reasonOptionId) ?? REJECT_REASONS[0]).text : undefined;
  const result = recordDecision(chain, history, { stepKey: step.step, decision, reason, byUserId: click.userid, at: now.toISOString() }, step.approverUserids);

  const via = click.via ?? "card";
  await manager.query(`UPDATE approval_step SET decision = $2, decided_by = $3, decided_at = $4, reason = $5, decided_via = $6 WHERE id = $1`, [
    step.id,
    decision,
    click.userid,
    now,
    reason ?? null,
    via,
  ]);
  await closeReminders(manager, ReminderKinds.approvalStep, step.id, now);
  await appendDossier(manager, row.id, now, "approval_decided", { type: "approver", id: click.userid }, { step: step.step, round: step.round, decision, reason: reason ?? null, taskId: click.taskId, via });
  // The approvers' cards show the decision: the clicked card with the click's code, or, decided in the
  // console, every approver's card with the code its sending got (within its 72 hours).
  if (via === "console") await syncCardsAfterConsoleDecision(manager, row.id, step, decision, now);
  else await updateCard(DECIDED_LABEL[decision]);

  if (decision === "rejected") {
    row = await updateCase(manager, row, { state: transition(row.state, "reject_step", { reason }) }, now);
    await enqueueMessage(manager, row.id, "employee_notice", {
      type: "text",
      touser: [row.employeeUserid],
      content: `您的离职交接审批在“${chain.find((c) => c.key === step.step)?.label ?? step.step}”环节被退回：${reason}。补充后由人事重新提交。审批退回不影响您依法离职的日期。`,
    }, now);
    return { outcome: "rejected", caseId: row.id };
  }
  let state = transition(row.state, "approve_step", { chainComplete: result.chainComplete });
  if (result.chainComplete && TRANSITIONS[state].start_handover) state = transition(state, "start_handover");
  row = await updateCase(manager, row, { state }, now);
  const next = result.next;
  if (next.status === "pending") {
    const nextRow = steps.find((s) => s.step === next.step.key);
    if (nextRow) await openStep(manager, deps, row, nextRow, next.step, ctx, now);
  } else {
    await appendDossier(manager, row.id, now, "approval_complete", { type: "system", id: "resignation" }, { state });
    if (state === "handover_in_progress") await openChecklistReminders(manager, row, now);
  }
  return { outcome: "approved", caseId: row.id };
}
