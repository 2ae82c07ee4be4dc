import type { EntityManager } from "typeorm";
import type { AlertOutboxPayload, OutboxPurpose } from "./outboxPayload";

export type Channel = "webhook" | "app";

/** Queue a notification in the caller's transaction: it exists (and is sent) only if that transaction commits. */
export async function enqueueNotification(
  m: EntityManager,
  n: { channel: Channel; target: string; alertId: string | null; purpose: OutboxPurpose; payload: AlertOutboxPayload },
  now: Date,
): Promise<void> {
  await m.query(
    `INSERT INTO alert_outbox (channel, target, alert_id, purpose, payload, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [n.channel, n.target, n.alertId, n.purpose, JSON.stringify(n.payload), now],
  );
}
