import type { Pool } from "pg";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import type { WeComEvent } from "../events/types";
import { retryDelayMs } from "./backoff";
import type { InboxDispatcher } from "./dispatcher";
import type { InboxMetrics } from "./inboxMetrics";
import { PollingWorker } from "../../platform/pollingWorker";

export interface InboxWorkerOptions {
  pollMs: number;
  maxAttempts: number;
  /** Rows handled at once by this instance. */
  concurrency: number;
  /** Rows claimed per round trip (default 4 × concurrency); those not started when shutdown begins are handed back. */
  claimBatch?: number;
  /** How long a claim is held; a crashed worker's rows are reclaimed after it. */
  leaseMs?: number;
  random?: () => number;
}

interface ClaimedRow {
  id: string;
  kind: string;
  payload: WeComEvent;
  attempts: number;
}

/**
 * Claim due rows (pending and due, or processing with an expired lease).
 * SKIP LOCKED lets several instances claim side by side; attempts is bumped at
 * claim time so an event that crashes the process still runs out of attempts,
 * and (id, attempts) is the lease token every later write checks.
 */
const claimSql = `
  UPDATE wecom_inbox SET status = 'processing', attempts = attempts + 1, locked_until = $2
  WHERE id IN (
    SELECT id FROM wecom_inbox
    WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'processing' AND locked_until <= $1)
    ORDER BY next_attempt_at
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
  RETURNING id::text AS id, kind, payload, attempts`;

const ownSql = `SELECT 1 FROM wecom_inbox WHERE id = $1 AND attempts = $2 AND status = 'processing' FOR UPDATE`;
const doneSql = `
  UPDATE wecom_inbox SET status = 'done', handled_at = $3, locked_until = NULL, last_error = NULL
  WHERE id = $1 AND attempts = $2 AND status = 'processing'`;
const failedSql = `
  UPDATE wecom_inbox
  SET status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'pending' END,
      next_attempt_at = $4, locked_until = NULL, last_error = $5
  WHERE id = $1 AND attempts = $2 AND status = 'processing'
  RETURNING status`;

/** Shutdown: claimed rows never started go back to pending, as if never claimed (the attempt is not counted). */
const handBackSql = `
  UPDATE wecom_inbox AS i SET status = 'pending', attempts = i.attempts - 1, locked_until = NULL
  FROM unnest($1::bigint[], $2::int[]) AS h(id, attempts)
  WHERE i.id = h.id AND i.attempts = h.attempts AND i.status = 'processing'`;

class LeaseLost extends Error {}

/**
 * Handles inbox rows in the background: each handler runs in one transaction
 * with the row's "done" update, so a handled event is never handled again;
 * failures retry with backoff and end as 'dead' after maxAttempts.
 */
export class InboxWorker extends PollingWorker {
  readonly name = "wecom-inbox-worker";
  private readonly pool: Pool;
  private readonly leaseMs: number;
  private readonly random: () => number;

  constructor(
    private readonly deps: { dataSource: DataSource; pool: Pool; clock: Clock; logger: Logger },
    private readonly dispatcher: InboxDispatcher,
    private readonly metrics: InboxMetrics,
    private readonly options: InboxWorkerOptions,
  ) {
    super(options.pollMs, deps.logger);
    this.pool = deps.pool;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  protected pass(): Promise<number> {
    return this.processDue();
  }

  /** Handle everything due now, pass after pass until one finds nothing; resolves with the rows taken. */
  override async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const taken = await super.drain();
      total += taken;
      if (taken === 0) return total;
    }
  }

  /**
   * Claim a batch, handle it `concurrency` rows at a time, repeat until
   * nothing is due. Once stop() is called no new row is started: the pass
   * finishes the rows in hand, hands the rest of the batch back and returns,
   * so shutdown takes one handler's time whatever the backlog.
   */
  private async processDue(): Promise<number> {
    let total = 0;
    const batch = this.options.claimBatch ?? this.options.concurrency * 4;
    while (!this.stopping) {
      const now = this.deps.clock.now();
      const { rows } = await this.pool.query<ClaimedRow>(claimSql, [now, new Date(now.getTime() + this.leaseMs), batch]);
      if (rows.length === 0) return total;
      const queue = [...rows];
      const lane = async () => {
        for (let row = queue.shift(); row; row = this.stopping ? undefined : queue.shift()) {
          await this.handle(row);
          total += 1;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency, rows.length) }, lane));
      if (queue.length > 0) await this.handBack(queue);
    }
    return total;
  }

  private async handBack(rows: ClaimedRow[]): Promise<void> {
    await this.pool.query(handBackSql, [rows.map((r) => r.id), rows.map((r) => r.attempts)]);
    this.deps.logger.info({ worker: this.name, handedBack: rows.length }, "shutdown: unstarted inbox events handed back");
  }

  private async handle(row: ClaimedRow): Promise<void> {
    const log = this.deps.logger.child({ inboxId: row.id, kind: row.kind, attempt: row.attempts });
    const handler = this.dispatcher.handlerFor(row.kind);
    try {
      if (row.attempts > this.options.maxAttempts) {
        // Only reachable when earlier claims never finished (the process died mid-handler).
        throw new Error(`abandoned ${row.attempts - 1} times without finishing`);
      }
      if (!handler) {
        // Unknown kinds are acknowledged and stored, not errors.
        await this.pool.query(doneSql, [row.id, row.attempts, this.deps.clock.now()]);
        return;
      }
      await this.deps.dataSource.transaction(async (manager) => {
        const owned = await manager.query(ownSql, [row.id, row.attempts]);
        if (owned.length === 0) throw new LeaseLost();
        await handler(row.payload, { manager, inboxId: row.id, log });
        await manager.query(doneSql, [row.id, row.attempts, this.deps.clock.now()]);
      });
    } catch (err) {
      if (err instanceof LeaseLost) return;
      await this.recordFailure(row, err, log);
    }
  }

  private async recordFailure(row: ClaimedRow, err: unknown, log: Logger): Promise<void> {
    this.metrics.handlerFailures.inc({ kind: row.kind });
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2_000) || "handler failed";
    const retryAt = new Date(this.deps.clock.now().getTime() + retryDelayMs(row.attempts, this.random));
    const { rows } = await this.pool.query<{ status: string }>(failedSql, [
      row.id,
      row.attempts,
      this.options.maxAttempts,
      retryAt,
      message,
    ]);
    if (rows[0]?.status === "dead") log.error({ err }, "inbox event is dead after its last attempt");
    else log.warn({ err, retryAt }, "inbox handler failed; will retry");
  }
}
