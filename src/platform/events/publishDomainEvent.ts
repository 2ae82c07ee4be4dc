import type { EntityManager } from "typeorm";
import type { DomainEventMap, DomainEventName } from "./eventMap";

/** The channel PostgreSQL announces a published event on, at the commit of the transaction that published it. */
export const DOMAIN_EVENT_WAKE_CHANNEL = "domain_event";

/**
 * Publish an event in the caller's transaction: it exists (and reaches its subscribers) only if that
 * transaction commits, and the commit wakes the event bus on every instance.
 */
export async function publishDomainEvent<N extends DomainEventName>(manager: EntityManager, name: N, payload: DomainEventMap[N], now: Date): Promise<void> {
  await manager.query(
    `WITH published AS (INSERT INTO domain_event (name, payload, created_at) VALUES ($1, $2, $3) RETURNING id)
     SELECT pg_notify($4, '') FROM published`,
    [name, JSON.stringify(payload), now, DOMAIN_EVENT_WAKE_CHANNEL],
  );
}
