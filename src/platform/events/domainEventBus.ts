import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../clock";
import { CommitWake } from "../db/commitWake";
import { pgPool } from "../db/pgPool";
import type { Logger } from "../logger";
import { PollingWorker } from "../pollingWorker";
import type { DomainEventMap, DomainEventName } from "./eventMap";
import { DOMAIN_EVENT_WAKE_CHANNEL } from "./publishDomainEvent";

/**
 * Reacts to one event. It runs in the transaction that marks the delivery done, so its own writes and the
 * delivery commit together; a handler that opens transactions of its own (or calls WeCom) must be
 * idempotent, because a crash between its commit and the delivery's repeats it.
 */
export type DomainEventHandler<N extends DomainEventName> = (manager: EntityManager, payload: DomainEventMap[N], meta: { eventId: string; publishedAt: Date }) => Promise<void>;

interface Subscription {
  event: DomainEventName;
  subscriber: string;
  handler: DomainEventHandler<DomainEventName>;
}

/** A delivery that failed this many times is given up (kept, with its error, for a person to look at). */
const GIVE_UP_AFTER = 10;

/** Retry delay after the n-th failure: 30 s, doubling, at most an hour. */
export function retryAfterMs(failures: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Delivers domain events to the capabilities subscribed to them by name (the way Outline's server runs its
 * event processors): each subscriber gets each event once, on one
 * instance (SKIP LOCKED), retried with backoff when its handler fails; deliveries go in publishing order (the
 * order they were fanned out in), except that a failing one waiting for its retry does not hold up the rest.
 * Deliveries are fanned out when the bus first sees an event, to the subscribers registered then.
 */
export class DomainEventBus extends PollingWorker {
  readonly name = "domain-events";
  private readonly subscriptions: Subscription[] = [];
  private readonly commitWake: CommitWake;

  constructor(
    private readonly deps: { dataSource: DataSource; clock: Clock; logger: Logger },
    pollMs: number,
  ) {
    super(pollMs, deps.logger);
    this.commitWake = new CommitWake(pgPool(deps.dataSource), DOMAIN_EVENT_WAKE_CHANNEL, () => this.wake(), deps.logger);
  }

  /** `subscriber` names the reaction ("handover.start_resigned_transfers"); one handler per event and name. */
  subscribe<N extends DomainEventName>(event: N, subscriber: string, handler: DomainEventHandler<N>): void {
    if (this.subscriptions.some((s) => s.event === event && s.subscriber === subscriber)) throw new Error(`${subscriber} already subscribes to ${event}`);
    this.subscriptions.push({ event, subscriber, handler: handler as DomainEventHandler<DomainEventName> });
  }

  private listening = false;

  override start(): void {
    this.listening = true;
    void this.commitWake.ensure();
    super.start();
  }

  override async stop(): Promise<void> {
    this.listening = false;
    await super.stop();
    await this.commitWake.close();
  }

  protected async pass(): Promise<number> {
    // A lost LISTEN connection is re-opened; a bus only drained by hand (tests, the demo) never listens.
    if (this.listening) void this.commitWake.ensure();
    await this.fanOut();
    let delivered = 0;
    while (!this.stopping && (await this.deliverOne())) delivered++;
    return delivered;
  }

  /** New events get one delivery row per current subscriber. */
  private async fanOut(): Promise<void> {
    await this.deps.dataSource.transaction(async (m) => {
      // In id order through domain_event_new alone, whatever the statistics say (migration 1767020000001).
      const events: { id: string; name: DomainEventName }[] = await m.query(`SELECT id, name FROM domain_event_unfanned(500) ORDER BY id`);
      if (events.length === 0) return;
      const rows = events.flatMap((e) => this.subscriptions.filter((s) => s.event === e.name).map((s) => ({ id: e.id, subscriber: s.subscriber })));
      if (rows.length > 0) {
        await m.query(
          `INSERT INTO domain_event_delivery (event_id, subscriber, next_attempt_at) SELECT id, subscriber, $3 FROM unnest($1::bigint[], $2::text[]) AS r(id, subscriber)
           ON CONFLICT DO NOTHING`,
          [rows.map((r) => r.id), rows.map((r) => r.subscriber), this.deps.clock.now()],
        );
      }
      await m.query(`UPDATE domain_event SET fanned_out_at = $2 WHERE id = ANY($1)`, [events.map((e) => e.id), this.deps.clock.now()]);
    });
  }

  /** Takes the next due delivery and runs its handler in the transaction that marks it done. */
  private async deliverOne(): Promise<boolean> {
    const now = this.deps.clock.now();
    let taken: { event_id: string; subscriber: string; failures: number } | undefined;
    try {
      return await this.deps.dataSource.transaction(async (m) => {
        const [d]: { event_id: string; subscriber: string; failures: number; name: DomainEventName; payload: unknown; created_at: Date }[] = await m.query(
          // The first due delivery in due order, read through domain_event_delivery_due alone and locked
          // (SKIP LOCKED: another instance takes the next one); migration 1767020000001 says why.
          `SELECT event_id, subscriber, failures, name, payload, created_at FROM domain_event_delivery_claim($1)`,
          [now],
        );
        if (!d) return false;
        taken = d;
        const sub = this.subscriptions.find((s) => s.event === d.name && s.subscriber === d.subscriber);
        // A subscriber this version no longer has: nothing here can deliver it; another instance may.
        if (!sub) {
          await m.query(`UPDATE domain_event_delivery SET next_attempt_at = $3 WHERE event_id = $1 AND subscriber = $2`, [d.event_id, d.subscriber, new Date(now.getTime() + 3_600_000)]);
          return true;
        }
        await sub.handler(m, d.payload as DomainEventMap[DomainEventName], { eventId: String(d.event_id), publishedAt: d.created_at });
        await m.query(`UPDATE domain_event_delivery SET done_at = $3, error = NULL WHERE event_id = $1 AND subscriber = $2`, [d.event_id, d.subscriber, this.deps.clock.now()]);
        return true;
      });
    } catch (err) {
      if (!taken) throw err;
      const failures = taken.failures + 1;
      this.deps.logger.error({ err, eventId: taken.event_id, subscriber: taken.subscriber, failures }, "domain event handler failed");
      await this.deps.dataSource.query(
        `UPDATE domain_event_delivery SET failures = $3, error = $4, next_attempt_at = $5, given_up_at = $6 WHERE event_id = $1 AND subscriber = $2`,
        [taken.event_id, taken.subscriber, failures, String(err instanceof Error ? err.message : err).slice(0, 2000), new Date(now.getTime() + retryAfterMs(failures)), failures >= GIVE_UP_AFTER ? now : null],
      );
      return true;
    }
  }
}

