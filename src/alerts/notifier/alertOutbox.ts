import type { EntityManager } from "typeorm";
import { enqueueWeComMessage, type OutboxMessage } from "../../wecom";
import type { AlertOutboxPayload, OutboxPurpose } from "./outboxPayload";

/** The outbox topic alerts queue under. */
export const ALERTS_TOPIC = "alerts";
/** Robot sections queued while the robot is throttled go out together under this header ("## 风险预警（3条）"). */
const COMBINED_HEADER = "## 风险预警";

/**
 * Queue a notification in the caller's transaction: it exists (and is sent) only if that transaction
 * commits. An alert is never given up: "not now" and an unreachable WeCom are retried until it goes out.
 * App messages carry WeCom's duplicate check; a robot post (WeCom has no such check for robots) whose
 * outcome is unknown is not repeated — HR still has the alert's own card.
 */
export async function enqueueNotification(
  m: EntityManager,
  n: { alertId: string | null; purpose: OutboxPurpose; payload: AlertOutboxPayload },
  now: Date,
): Promise<void> {
  await enqueueWeComMessage(m, { topic: ALERTS_TOPIC, ref: { alertId: n.alertId, purpose: n.purpose }, message: messageFor(n), duplicateCheck: true, giveUpAfter: null }, now);
}

function messageFor(n: { payload: AlertOutboxPayload }): OutboxMessage {
  const p = n.payload;
  switch (p.type) {
    case "markdown":
      return { type: "robot_markdown", webhookKey: p.webhookKey, content: p.content, combineHeader: COMBINED_HEADER };
    case "card":
      return { type: "template_card", touser: p.touser, card: p.card };
    case "text":
      return { type: "text", touser: p.touser, content: p.content };
  }
}
