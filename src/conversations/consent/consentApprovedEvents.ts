import type { Clock } from "../../platform/clock";
import type { EventOfKind, InboxBatchHandler } from "../../wecom";
import { recordSingleConsent, type SingleConsent } from "../archive/archiveConsent";

/**
 * msg_audit_approved: the parent agreed to the chat archive. A transaction's
 * events in one upsert, which may name a pair only once: the latest consent
 * of a pair (the later arrival on equal times) is what one by one leaves.
 */
export function consentApprovedHandler(clock: Clock): InboxBatchHandler<EventOfKind<"change_external_contact:msg_audit_approved">> {
  return async (events, ctx) => {
    const latest = new Map<string, SingleConsent>();
    for (const e of events) {
      const consent: SingleConsent = { staffUserid: e.userId, externalUserid: e.externalUserId, status: "agree", changedAt: new Date(e.createTime * 1000), source: "event" };
      const key = `${e.userId}\u0000${e.externalUserId}`;
      const seen = latest.get(key);
      if (!seen || seen.changedAt.getTime() <= consent.changedAt.getTime()) latest.set(key, consent);
    }
    await recordSingleConsent(ctx.manager, [...latest.values()], clock.now());
  };
}
