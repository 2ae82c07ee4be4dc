import type { EventOfKind, InboxBatchHandler, InboxDispatcher, InboxHandler } from "../../wecom";
import { advance, saveTransfers, selectTransfers } from "./transferStore";

const open = `successor_userid = $1 AND external_userid = $2 AND superseded_at IS NULL
  AND (status = 'waiting' OR (status = 'failed' AND retryable))`;

/**
 * WeCom sends no "transfer succeeded" event: the successor's
 * add_external_contact for the parent is the success signal. A mass transfer
 * sends thousands at once, so a transaction's events are matched in one
 * statement: each open row takes the first event (in arrival order) of its
 * successor and parent. Duplicates and late arrivals are harmless (final rows
 * do not move).
 */
export const onSuccessorsAdded: InboxBatchHandler<EventOfKind<"change_external_contact:add_external_contact">> = async (events, ctx) => {
  const rows = await selectTransfers(
    ctx.manager,
    `(successor_userid, external_userid) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND superseded_at IS NULL
     AND (status = 'waiting' OR (status = 'failed' AND retryable))`,
    [events.map((e) => e.userId), events.map((e) => e.externalUserId)],
    "wait",
  );
  const first = new Map<string, (typeof events)[number]>();
  for (const e of events) if (!first.has(`${e.userId}\u0000${e.externalUserId}`)) first.set(`${e.userId}\u0000${e.externalUserId}`, e);
  const moved = rows.flatMap((r) => {
    const e = first.get(`${r.takeoverUserId}\u0000${r.externalUserId}`);
    return e ? [advance(r, { type: "successor_added", byUserId: e.userId, at: new Date(e.createTime * 1000) })] : [];
  });
  await saveTransfers(ctx.manager, moved);
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
  dispatcher.registerBatch("change_external_contact:add_external_contact", onSuccessorsAdded);
  dispatcher.register("change_external_contact:transfer_fail", onTransferFailed, { batchable: true });
}
