import type { TemplateCardEvent } from "../../wecom";
import type { InboxHandler } from "../../wecom";
import { decideApprovalStep } from "../commands/decideApprovalStep";
import type { ResignationDeps } from "../deps";
import { REJECT_REASON_QUESTION } from "./approvalCard";

/**
 * Clicks on our approval cards (the dispatcher routes the cards of APPROVAL_CARD_NAMESPACE here). Everything is decided in the
 * inbox row's transaction; refusals (unknown task, not an approver) are
 * logged and, when the case is known, recorded in its dossier.
 */
export function cardClickHandler(deps: ResignationDeps): InboxHandler<TemplateCardEvent> {
  return async (event, { manager, log }) => {
    const result = await decideApprovalStep(manager, deps, {
      taskId: event.taskId,
      userid: event.from,
      buttonKey: event.eventKey,
      responseCode: event.responseCode,
      reasonOptionId: event.selectedItems.find((s) => s.questionKey === REJECT_REASON_QUESTION)?.optionIds[0],
    });
    if (result.outcome === "refused") log.warn({ taskId: event.taskId, userid: event.from, ...result }, "approval card click refused");
    else log.info({ taskId: event.taskId, userid: event.from, ...result }, "approval card click");
  };
}
