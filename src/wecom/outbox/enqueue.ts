import type { EntityManager } from "typeorm";
import { channelOf, type OutboxMessage } from "./outboxMessage";

/** The channel PostgreSQL announces a queued message on, at the commit of the transaction that queued it. */
export const OUTBOX_WAKE_CHANNEL = "wecom_outbox";

export interface QueuedMessage {
  /** Who queued it and hears its outcome (a capability's name, as registered with onOutcome). */
  topic: string;
  /** The owner's own reference, given back with the outcome. */
  ref: Record<string, string | number | null>;
  message: OutboxMessage;
  /**
   * Send with WeCom's duplicate check (message/send only), so a resend after a lost answer is dropped by
   * WeCom. Off for a reply that answers a question (asking twice must get two answers) and for channels
   * that have no such check (card updates, the robot): those are never resent after an unknown outcome.
   */
  duplicateCheck: boolean;
  /** Attempts before a message that never reached WeCom is given up (null: keep trying, e.g. alerts). */
  giveUpAfter: number | null;
}

/**
 * Queue a message in the caller's transaction: it exists (and is sent) only if that transaction commits,
 * and the commit itself wakes the outbox on every instance (NOTIFY is delivered at commit, never on
 * rollback), so no caller wires a wake-up.
 */
export async function enqueueWeComMessage(manager: EntityManager, queued: QueuedMessage, now: Date): Promise<void> {
  const channel = channelOf(queued.message);
  const duplicateCheck = channel === "app" && queued.duplicateCheck;
  const target = queued.message.type === "robot_markdown" ? queued.message.webhookKey : null;
  // One round trip: the row and its wake-up (NOTIFY is delivered when the transaction commits).
  await manager.query(
    `WITH queued AS (
       INSERT INTO wecom_outbox (topic, ref, channel, target, message, duplicate_check, give_up_after, created_at, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id)
     SELECT pg_notify($9, '') FROM queued`,
    [queued.topic, JSON.stringify(queued.ref), channel, target, JSON.stringify(queued.message), duplicateCheck, queued.giveUpAfter, now, OUTBOX_WAKE_CHANNEL],
  );
}
