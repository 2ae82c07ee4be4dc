import type { EntityManager } from "typeorm";
import { appendDossier } from "../../dossier";
import { StaffDirectory } from "../../org";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { ButtonInteractionCard, OutboxOutcome } from "../../wecom";
import { stepCard, type StepRow } from "../commands/approvalSteps";
import type { ResignationDeps } from "../deps";
import type { CaseRow } from "../store/caseStore";
import { approvalChainFor, employeeContext } from "../store/orgContext";
import { decidedInConsoleSentence } from "./approvalCard";
import { enqueueMessage } from "../outbox/outbox";
import { cardUpdateVerdict } from "../../wecom";
import { CONSOLE_DECIDED_LABEL } from "../rules/cardUpdate";
import { keepSendCode, sendCodeOf, spendSendCode } from "../store/cardCodeStore";

const system = { type: "system", id: "resignation" };

/**
 * A step decided in the console: the approvers' cards still show 同意 / 驳回, so they are greyed out with
 * 「已同意（控制台）」/「已驳回（控制台）」 using the code WeCom answered the card's sending with — once, and
 * only within its 72 hours. When it cannot be done (no code yet, used, too old) nothing is tried and the
 * step's record says why; a later click on such a card is answered with the click's own code instead
 * (answerClickAfterConsole). Never throws for WeCom's sake: the update goes through the outbox.
 */
export async function syncCardsAfterConsoleDecision(
  manager: EntityManager,
  caseId: string,
  step: Pick<StepRow, "id" | "step" | "round">,
  decision: "approved" | "rejected",
  now: Date,
): Promise<void> {
  const code = await sendCodeOf(manager, step.id, step.round);
  const verdict = cardUpdateVerdict(code, now);
  const spent = verdict === "usable" && (await spendSendCode(manager, code!.responseCode, `console_${decision}`, now));
  await appendDossier(manager, caseId, now, "approval_card_sync", system, {
    step: step.step,
    round: step.round,
    outcome: spent ? "queued" : verdict === "usable" ? "used" : verdict,
    ...(spent ? { recipients: code!.recipients } : {}),
  });
  if (!spent) return;
  await enqueueMessage(
    manager,
    caseId,
    "card_update",
    { type: "update_card", userids: code!.recipients, responseCode: code!.responseCode, replaceName: CONSOLE_DECIDED_LABEL[decision] },
    now,
    { stepId: step.id, step: step.step, round: step.round, code: "send" },
  );
}

/**
 * An approval card went out: its response_code is kept for the step and round. If the step was already
 * decided in the console while the card waited in the outbox, the card is greyed out at once.
 */
export async function keepApprovalCardCode(manager: EntityManager, o: OutboxOutcome): Promise<void> {
  const responseCode = o.detail?.responseCode;
  const { caseId, stepId, round } = o.ref;
  if (!responseCode || typeof caseId !== "string" || typeof stepId !== "string" || typeof round !== "number") return;
  const rows: { step: string; approver_userids: string[]; round: number; decision: string; decided_via: string | null }[] = await manager.query(
    `SELECT step, approver_userids, round, decision, decided_via FROM approval_step WHERE id = $1`,
    [stepId],
  );
  const step = rows[0];
  if (!step) return;
  await keepSendCode(manager, { stepId, round, responseCode, recipients: step.approver_userids, issuedAt: o.at });
  if (step.round === round && step.decided_via === "console" && (step.decision === "approved" || step.decision === "rejected")) {
    await syncCardsAfterConsoleDecision(manager, caseId, { id: stepId, step: step.step, round }, step.decision, o.at);
  }
}

/**
 * The card a late click is answered with: the step's card as the approvers got it, saying who decided it in
 * the console and when (its buttons greyed out by the update's replace_text). Null when the card cannot be
 * rebuilt (the leaver or the step has left the directory or the chain): the buttons are then greyed out only.
 */
export async function cardAfterConsoleDecision(
  manager: EntityManager,
  deps: Pick<ResignationDeps, "publicBaseUrl">,
  row: CaseRow,
  step: Pick<StepRow, "step" | "cardTaskId">,
  decided: { decision: "approved" | "rejected"; by: string | null; at: Date },
): Promise<ButtonInteractionCard | null> {
  try {
    const ctx = await employeeContext(manager, row.employeeUserid);
    const chainStep = (await approvalChainFor(manager, ctx.branchId)).find((s) => s.key === step.step);
    if (!chainStep || !step.cardTaskId) return null;
    const decider = decided.by ? await new StaffDirectory(manager).find(decided.by) : null;
    const card = stepCard(deps, row, step.cardTaskId, chainStep, ctx);
    return { ...card, sub_title_text: decidedInConsoleSentence(decider?.name ?? null, decided.decision, decided.at) };
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof ValidationError) return null;
    throw err;
  }
}
