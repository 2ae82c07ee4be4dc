import type { EntityManager } from "typeorm";
import type { OutboxKind, OutboxMessage } from "./outboxMessage";

/** Queue a message in the caller's transaction: it exists (and is sent) only if that transaction commits. */
export async function enqueueMessage(
  manager: EntityManager,
  caseId: string | null,
  kind: OutboxKind,
  message: OutboxMessage,
  now: Date,
): Promise<void> {
  await manager.query(
    `INSERT INTO resignation_outbox (case_id, kind, message, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)`,
    [caseId, kind, JSON.stringify(message), now],
  );
}
