import type { Pool } from "pg";
import { Counter, Gauge } from "prom-client";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import type { Metrics } from "../../platform/metrics";

export type CallbackOutcome = "accepted" | "duplicate" | "rejected";

interface Snapshot {
  pending: number;
  oldestPendingAt: Date | null;
  dead: number;
}

/**
 * From the work table (migration 1767100000000), which holds only the events not done. The oldest pending event is the
 * one with the lowest id (ids are drawn in arrival order), its receipt time read from the event store by primary key:
 * one lookup instead of a join with every pending row.
 */
const snapshotSql = `
  SELECT count(*) FILTER (WHERE w.status = 'pending')::int AS pending,
         (SELECT i.received_at FROM wecom_inbox AS i
          WHERE i.id = (SELECT min(p.id) FROM wecom_inbox_work AS p WHERE p.status = 'pending')) AS oldest_pending_at,
         count(*) FILTER (WHERE w.status = 'dead')::int AS dead
  FROM wecom_inbox_work AS w
  WHERE w.status IN ('pending', 'dead')`;

/**
 * Callback and inbox metrics. The gauges are read from the table when
 * Prometheus scrapes (one shared query per scrape), so they are right across
 * several service instances and need no bookkeeping on the hot path.
 */
export class InboxMetrics {
  readonly callbackEvents: Counter<"outcome">;
  readonly handlerFailures: Counter<"kind">;
  private inFlight: Promise<Snapshot | undefined> | undefined;

  constructor(metrics: Metrics, pool: Pool, clock: Clock, logger: Logger) {
    const registers = [metrics.registry];
    this.callbackEvents = new Counter({
      name: "wecom_callback_events_total",
      help: "WeCom callbacks by outcome: accepted (stored), duplicate (already stored) or rejected (refused, nothing stored)",
      labelNames: ["outcome"] as const,
      registers,
    });
    this.handlerFailures = new Counter({
      name: "wecom_inbox_handler_failures_total",
      help: "Inbox handler failures by event kind",
      labelNames: ["kind"] as const,
      registers,
    });
    const snapshot = () => {
      this.inFlight ??= pool
        .query<{ pending: number; oldest_pending_at: Date | null; dead: number }>(snapshotSql)
        .then(
          ({ rows: [row] }) => ({ pending: row!.pending, oldestPendingAt: row!.oldest_pending_at, dead: row!.dead }),
          (err: unknown) => {
            logger.warn({ err }, "inbox metrics query failed");
            return undefined;
          },
        )
        .finally(() => (this.inFlight = undefined));
      return this.inFlight;
    };
    new Gauge({
      name: "wecom_inbox_depth",
      help: "Inbox rows waiting to be handled",
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.pending);
      },
    });
    new Gauge({
      name: "wecom_inbox_oldest_pending_age_seconds",
      help: "Age of the oldest inbox row waiting to be handled (0 when none)",
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.oldestPendingAt ? Math.max(0, (clock.now().getTime() - s.oldestPendingAt.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: "wecom_inbox_dead_letters",
      help: "Inbox rows parked as dead after too many failed attempts",
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.dead);
      },
    });
  }

  countCallback(outcome: CallbackOutcome): void {
    this.callbackEvents.inc({ outcome });
  }
}
