import type { EventOfKind, InboxDispatcher, InboxHandler } from "../../wecom";
import { advance, saveTransfers, selectTransfers } from "./transferStore";

const open = `successor_userid = $1 AND external_userid = $2 AND superseded_at IS NULL
  AND (status = 'waiting' OR (status = 'failed' AND retryable))`;

/**
 * WeCom sends no "transfer succeeded" event: the successor's
 * add_external_contact for the parent is the success signal. Duplicates and
 * late arrivals are harmless (final rows do not move).
 */
export const onSuccessorAdded: InboxHandler<EventOfKind<"change_external_contact:add_external_contact">> = async (event, ctx) => {
  const at = new Date(event.createTime * 1000);
  const rows = await selectTransfers(ctx.manager, open, [event.userId, event.externalUserId], "wait");
  await saveTransfers(ctx.manager, rows.map((r) => advance(r, { type: "successor_added", byUserId: event.userId, at })));
};

/** transfer_fail names the takeover member, not the original owner, so rows are matched by successor and parent. */
export const onTransferFailed: InboxHandler<EventOfKind<"change_external_contact:transfer_fail">> = async (event, ctx) => {
  const reason = event.failReason;
  if (reason !== "customer_refused" && reason !== "customer_limit_exceed") {
    ctx.log.warn({ reason, externalUserId: event.externalUserId }, "transfer_fail with an unknown reason: left to the result poll");
    return;
  }
  const at = new Date(event.createTime * 1000);
  const rows = await selectTransfers(ctx.manager, open, [event.userId, event.externalUserId], "wait");
  await saveTransfers(ctx.manager, rows.map((r) => advance(r, { type: "transfer_failed", reason, at })));
};

export function registerTransferEvents(dispatcher: InboxDispatcher): void {
  // Both only move transfer rows in the event's transaction: a mass transfer's thousands of events share commits.
  dispatcher.register("change_external_contact:add_external_contact", onSuccessorAdded, { batchable: true });
  dispatcher.register("change_external_contact:transfer_fail", onTransferFailed, { batchable: true });
}
