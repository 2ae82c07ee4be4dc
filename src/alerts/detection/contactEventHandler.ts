import type { Clock } from "../../platform/clock";
import type { EventOfKind, InboxBatchHandler } from "../../wecom";
import type { ContactEventObservation } from "../rules/observation";
import { detectBatch, type DetectDeps } from "./detectBatch";

/**
 * del_external_contact (the teacher deleted a parent) and del_follow_user (a
 * parent deleted the teacher) go through the rules in the inbox rows'
 * transaction, a transaction's events in one detection (in arrival order,
 * exactly as one by one: detectBatch carries each teacher's state from one
 * observation to the next): a retried event re-runs with the state it left,
 * and the incident merge keeps it from alerting twice.
 */
export function contactEventHandler(deps: DetectDeps & { clock: Clock; onAlerts(ids: string[]): void }): InboxBatchHandler<EventOfKind<"change_external_contact">> {
  return async (events, { manager, afterCommit }) => {
    const observations: ContactEventObservation[] = [];
    for (const event of events) {
      if (event.changeType !== "del_external_contact" && event.changeType !== "del_follow_user") continue;
      observations.push({
        kind: "contact_event",
        at: new Date(event.createTime * 1000),
        staffUserId: event.userId,
        externalUserId: event.externalUserId,
        change: event.changeType,
        ...(event.changeType === "del_external_contact" && event.source ? { source: event.source } : {}),
      });
    }
    const outcome = await detectBatch(manager, observations, deps, deps.clock.now());
    // Woken after the commit: before it the notifier would find no new alert and wait for its next poll.
    if (outcome.newAlertIds.length > 0) afterCommit(() => deps.onAlerts(outcome.newAlertIds));
  };
}
