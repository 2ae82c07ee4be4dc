import { performance } from "node:perf_hooks";
import type { Pool } from "pg";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import { parseEvent } from "../events/parseEvent";
import type { WeComEvent } from "../events/types";
import { retryDelayMs } from "./backoff";
import { eventSubjects, handlingStrands } from "./handlingStrands";
import type { InboxDispatcher } from "./dispatcher";
import type { InboxMetrics } from "./inboxMetrics";
import { PollingWorker } from "../../platform/pollingWorker";

export interface InboxWorkerOptions {
  pollMs: number;
  maxAttempts: number;
  /** Transactions run at once by this instance (lanes). */
  concurrency: number;
  /** Events of batchable kinds handled in one transaction (default 25): one commit instead of one per event. */
  eventsPerTransaction?: number;
  /**
   * While the backlog is larger than a claim (a claim came back full), each next claim doubles the events per
   * transaction up to this (default: eventsPerTransaction, no growth); back to eventsPerTransaction once a claim is
   * not full. With batch handlers a transaction costs about the same for 25 events or 400, so a large backlog
   * drains in fewer, larger commits while a trickle keeps small ones.
   */
  maxEventsPerTransaction?: number;
  /** Rows claimed per round trip (default concurrency × the events per transaction); those not started when shutdown begins are handed back. */
  claimBatch?: number;
  /** How long a claim is held; a crashed worker's rows are reclaimed after it. */
  leaseMs?: number;
  /** While busy, rows handed over by the writer are taken at most this often (default 20 ms; see processDue). */
  takeSpacingMs?: number;
  random?: () => number;
}

export interface ClaimedRow {
  id: string;
  kind: string;
  payload: WeComEvent;
  attempts: number;
}

/**
 * How the callback route's writer stores a batch: already claimed by this
 * instance's worker under `leaseUntil` (attempt 1), or pending for any
 * worker's claim. Every ticket offer() gives out is returned through stored().
 */
export type HandoffTicket = { leaseUntil: Date } | { leaseUntil: undefined };

/** The worker side of the writer's handoff (see InboxWorker.offer). */
export interface InboxHandoff {
  offer(): HandoffTicket;
  stored(ticket: HandoffTicket, rows: ClaimedRow[]): void;
}

/**
 * Claim due rows: processing with an expired lease, then pending and due,
 * oldest first (the function is migration 1767100000000 on the work table,
 * after 1766710000000, which says why it reads them by ordered index scans
 * only), with each event's kind and XML read by primary key. SKIP LOCKED lets several
 * instances claim side by side; attempts is bumped at claim time so an event
 * that crashes the process still runs out of attempts, and (id, attempts) is
 * the lease token every later write checks. Parameters: $1 now, $2 the
 * lease's end, $3 the most rows to claim.
 */
export const claimSql = `SELECT id, kind, raw_xml, attempts FROM wecom_inbox_claim($1, $2, $3)`;

/** What names an attempt at an event: the row, its kind, and the attempt (the lease token). */
type RowToken = Pick<ClaimedRow, "id" | "kind" | "attempts">;

/** A claimed row as stored: the callback's XML, parsed by the worker (migration 1767200000000 keeps no parsed copy). */
interface StoredRow {
  id: string;
  kind: string;
  raw_xml: string;
  attempts: number;
}

/*
 * The writes by id: functions on the work table (migration 1767100000000, after 1767000000001) that read the rows they
 * name by primary key whatever the table's size when first planned or its statistics. Each acts only on rows still processing under the
 * (id, attempts) lease token; $1 the ids, $2 their attempts.
 */

/**
 * A handling transaction's first statement: the work rows of its batch still ours are deleted, which locks them until
 * it ends and is their "done" once it commits (a rollback puts them back); resolves with their ids (a row whose lease
 * expired and was reclaimed elsewhere is not among them). Migration 1767100000001.
 */
export const takeSql = `SELECT id FROM wecom_inbox_take($1, $2) AS id`;
/** Done at once (events nobody handles): the work rows still ours are deleted (the event stays as received); how many. */
export const doneSql = `SELECT wecom_inbox_done($1, $2) AS done`;
/** One row's failed attempt ($3 the most attempts, $4 when to retry, $5 the error): its new status, pending or dead. */
export const failedSql = `SELECT wecom_inbox_failed($1, $2, $3, $4, $5) AS status`;
/** Shutdown: claimed rows never started go back to pending, as if never claimed (the attempt is not counted). */
export const handBackSql = `SELECT wecom_inbox_hand_back($1, $2) AS handed_back`;

/** Arrival order: ids are bigserial digits (no sign, no leading zero), so a shorter id is an older one. */
const byId = (a: ClaimedRow, b: ClaimedRow): number => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Rows stored already claimed by this worker, waiting for a pass, with the end of their lease (ms). */
interface Handed {
  row: ClaimedRow;
  leaseUntil: number;
}

/** What one transaction handles: several events of batchable kinds, or one event alone. */
interface Unit {
  rows: ClaimedRow[];
}

/**
 * Handles inbox rows in the background: handlers run in one transaction
 * with the rows' "done" (their work rows deleted, at its start), so a handled event is never handled again;
 * failures retry with backoff and end as 'dead' after maxAttempts. Events of
 * batchable kinds (every handler registered `batchable`) share a transaction,
 * up to eventsPerTransaction of them: one commit (one disk sync) for many
 * events, which is what lets handling keep up with intake (issue 16); kinds
 * nobody handles are marked done together in one statement.
 *
 * Handoff (issue 20): while this worker runs, the callback route's writer
 * stores events already claimed by it (status 'processing', attempt 1, a
 * lease) and hands them over in memory, so an event costs its insert and its
 * "done" and no claim in between (a claim rewrote the event's work row and
 * added index entries for it).
 * Everything else stays as with a claim: the (id, attempts) token guards
 * every later write, a crash leaves the rows to be reclaimed once the lease
 * expires, and stop() hands unstarted rows back as pending. Rows are
 * stored pending instead while the worker is stopped or stopping, while
 * `maxHanded` rows already wait in memory, and while pending rows stored
 * by this instance may still be unclaimed, so a handed event never overtakes
 * an older one of ours (pending rows are claimed oldest first).
 */
export class InboxWorker extends PollingWorker implements InboxHandoff {
  readonly name = "wecom-inbox-worker";
  private readonly pool: Pool;
  private readonly leaseMs: number;
  private readonly random: () => number;
  private readonly perTransaction: number;
  private readonly maxPerTransaction: number;
  private readonly maxHanded: number;
  private handed: Handed[] = [];
  private accepting = false;
  /** Offers still to be returned through stored(): with a lease, and without one while running. */
  private offeredLeases = 0;
  private offeredPending = 0;
  /** Bumped when a pending batch stored while running comes back: a claim that started before it may have missed it. */
  private pendingStored = 0;
  /** Pending rows of ours may be unclaimed (set at start and by each pending batch stored while running). */
  private pendingOwed = true;
  private leasesReturned: (() => void) | undefined;
  /** performance.now() of the last claim (pacing, not business time: the poll timer is real time too). */
  private lastClaimAt = -Infinity;
  private readonly takeSpacingMs: number;
  /** performance.now() of the last take of handed rows (pacing, as lastClaimAt). */
  private lastTakeAt = -Infinity;

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
    this.perTransaction = Math.max(1, options.eventsPerTransaction ?? 25);
    this.maxPerTransaction = Math.max(this.perTransaction, options.maxEventsPerTransaction ?? this.perTransaction);
    this.maxHanded = options.claimBatch ?? options.concurrency * this.maxPerTransaction;
    this.takeSpacingMs = options.takeSpacingMs ?? 20;
  }

  override start(): void {
    if (!this.accepting) this.pendingOwed = true;
    this.accepting = true;
    super.start();
  }

  /**
   * Stops claiming and handing over; rows handed over and not started (also those whose insert was in flight,
   * waited for up to the group commit's own bound) go back to pending, so another instance or the next start
   * takes them at once rather than after their lease.
   */
  override async stop(): Promise<void> {
    this.accepting = false;
    await super.stop();
    if (this.offeredLeases > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        this.leasesReturned = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.leasesReturned = undefined;
    }
    const left = this.handed.splice(0).map((h) => h.row);
    if (left.length > 0) await this.handBack(left);
  }

  /**
   * Called by the writer before it stores a batch: a lease when the rows may be stored claimed by this worker
   * (see the class comment for when they may not).
   */
  offer(): HandoffTicket {
    if (this.accepting && !this.pendingOwed && this.handed.length < this.maxHanded) {
      this.offeredLeases++;
      return { leaseUntil: new Date(this.deps.clock.now().getTime() + this.leaseMs) };
    }
    this.offeredPending++;
    return { leaseUntil: undefined };
  }

  /**
   * The rows a ticket's insert stored (none when it failed). Leased rows join the next pass, or go straight back to
   * pending when the worker stopped meanwhile; pending rows stored while running make the next claim come first.
   */
  stored(ticket: HandoffTicket, rows: ClaimedRow[]): void {
    if (ticket.leaseUntil === undefined) {
      this.offeredPending--;
      if (rows.length > 0) {
        this.pendingOwed = true;
        this.pendingStored++;
        // Once per stored batch (not once per request): the next pass claims them.
        this.wake();
      }
      return;
    }
    this.offeredLeases--;
    const leaseUntil = ticket.leaseUntil.getTime();
    if (this.accepting || this.leasesReturned) {
      // Running: the next pass takes them. Stopping: stop() is waiting for this insert and hands them back.
      for (const row of rows) this.handed.push({ row, leaseUntil });
      if (rows.length > 0) this.wake();
    } else if (rows.length > 0) {
      // Stopped and no longer waiting (the insert outlasted stop's wait): back to pending now, not after the lease.
      this.handBack(rows).catch((err: unknown) => this.deps.logger.error({ err, worker: this.name }, "handing back inbox events failed; they are reclaimed when their lease ends"));
    }
    if (this.offeredLeases === 0) this.leasesReturned?.();
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
   * Claim a batch, handle it `concurrency` transactions at a time, repeat
   * until nothing is due. Once stop() is called no new transaction is
   * started: the pass finishes those in hand, hands the rest of the batch
   * back and returns, so shutdown takes one transaction's time whatever the
   * backlog. Past half the lease the rest is handed back too, so a slow
   * WeCom never lets a claim expire under a row still waiting its turn.
   */
  private async processDue(): Promise<number> {
    let total = 0;
    let perTransaction = this.perTransaction;
    let tookHanded = false;
    while (!this.stopping) {
      const now = this.deps.clock.now();
      const batch = this.options.claimBatch ?? this.options.concurrency * perTransaction;
      let rows: ClaimedRow[];
      let leaseUntil = now.getTime() + this.leaseMs;
      if (this.handed.length > 0) {
        // While busy, handed rows are taken at most every takeSpacingMs, so those that arrive meanwhile share the
        // next statements: the done of kinds nobody handles is one statement and one commit per take whatever its
        // size, and batchable handlers share a transaction. Taken after every insert (~5 ms apart under load), that
        // done cost PostgreSQL 15-40 us of CPU a callback, a third of all it spent on one (issue 20's ingress load,
        // rounds alternated in one process with the done skipped). Taken every 20 ms, PostgreSQL's CPU per callback
        // fell from 43-70 to 34-55 us (every 50 ms: 40-53 to 32-41 us), the same rounds alternated with no spacing.
        // Handling waits at most 20 ms more, of a lease of a minute; a lone row after a quiet spell is taken at once.
        const wait = this.lastTakeAt + this.takeSpacingMs - performance.now();
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        this.lastTakeAt = performance.now();
        const taken = this.handed.splice(0, batch);
        rows = taken.map((h) => h.row);
        for (const h of taken) leaseUntil = Math.min(leaseUntil, h.leaseUntil);
        tookHanded = true;
      } else {
        // After handed rows the pass ends without a claim unless one is owed or a poll interval has passed since the
        // last: retries, expired leases and other instances' pending rows are still claimed at least once per
        // pollMs (a steady stream of wakes resets the poll timer, so passes alone would never get to them).
        if (tookHanded && !this.pendingOwed && performance.now() - this.lastClaimAt < this.options.pollMs) return total;
        this.lastClaimAt = performance.now();
        const pendingStored = this.pendingStored;
        // Named: parsed once per connection (the function keeps its statement's plan for the session).
        const claimed = await this.pool.query<StoredRow>({
          name: "wecom_inbox_claim",
          text: claimSql,
          values: [now, new Date(leaseUntil), batch],
        });
        // A claim that was not full took every pending row of ours stored before it began: handing over may resume.
        if (claimed.rows.length < batch && pendingStored === this.pendingStored && this.offeredPending === 0) this.pendingOwed = false;
        if (claimed.rows.length === 0) return total;
        rows = await this.parseClaimed(claimed.rows);
        total += claimed.rows.length - rows.length;
        if (rows.length === 0) continue;
      }
      const handOverAt = leaseUntil - this.leaseMs / 2;
      const { unhandled, strands } = this.plan(rows, perTransaction);
      // A full claim means more is waiting: the next one takes larger transactions (fewer commits per event).
      perTransaction = rows.length >= batch ? Math.min(this.maxPerTransaction, perTransaction * 2) : this.perTransaction;
      if (unhandled.length > 0) {
        // Unknown kinds are acknowledged and stored, not errors: done together.
        await this.pool.query({
          name: "wecom_inbox_done",
          text: doneSql,
          values: [unhandled.map((r) => r.id), unhandled.map((r) => r.attempts)],
        });
        total += unhandled.length;
      }
      const memo = new Map<string, Promise<unknown>>();
      const left: ClaimedRow[] = [];
      const lane = async (units: Unit[]) => {
        for (const [i, unit] of units.entries()) {
          if (this.stopping || this.deps.clock.now().getTime() > handOverAt) {
            left.push(...units.slice(i).flatMap((u) => u.rows));
            return;
          }
          const notStarted = await this.handleUnit(unit, memo);
          left.push(...notStarted);
          total += unit.rows.length - notStarted.length;
        }
      };
      await Promise.all(strands.map(lane));
      if (left.length > 0) await this.handBack(left);
    }
    return total;
  }

  /**
   * Claimed rows in arrival order (UPDATE … RETURNING keeps none; ids grow
   * with arrival): kinds nobody handles apart, the rest in one strand per
   * lane (events naming the same member or parent in the same strand), each
   * strand cut into transactions: consecutive batchable events together, any
   * other event alone.
   */
  private plan(rows: ClaimedRow[], perTransaction: number): { unhandled: ClaimedRow[]; strands: Unit[][] } {
    const byArrival = [...rows].sort(byId);
    // What the dispatcher says about a kind, asked once per kind of the batch rather than once per row.
    const kinds = new Map<string, { handled: boolean; choosy: boolean; batchable: boolean }>();
    const kindOf = (kind: string) => {
      let known = kinds.get(kind);
      if (!known) {
        const d = this.dispatcher;
        kinds.set(kind, (known = { handled: d.handlerFor(kind) !== undefined, choosy: d.choosy(kind), batchable: d.batchable(kind) }));
      }
      return known;
    };
    // An event of a handled kind that none of its handlers wants (see HandlerOptions.wants) is done like an unhandled one.
    const handledRow = (row: ClaimedRow) => {
      const kind = kindOf(row.kind);
      return kind.handled && (!kind.choosy || this.dispatcher.wanted(row.kind, row.payload));
    };
    const unhandled: ClaimedRow[] = [];
    const handled: ClaimedRow[] = [];
    for (const row of byArrival) {
      // A row past its attempts (earlier claims never finished) is kept to be parked, handler or not.
      if (row.attempts <= this.options.maxAttempts && !handledRow(row)) unhandled.push(row);
      else handled.push(row);
    }
    const strands = handlingStrands(handled, (r) => eventSubjects(r.payload, `inbox:${r.id}`), this.options.concurrency);
    return {
      unhandled,
      strands: strands.map((strand) => {
        const units: Unit[] = [];
        let open: Unit | undefined;
        for (const row of strand) {
          if (row.attempts <= this.options.maxAttempts && kindOf(row.kind).batchable) {
            if (!open || open.rows.length >= perTransaction) units.push((open = { rows: [] }));
            open.rows.push(row);
          } else {
            units.push({ rows: [row] });
            open = undefined;
          }
        }
        return units;
      }),
    };
  }

  /**
   * The claimed rows' events, parsed from their XML by the route's parser. The route stored only XML that parsed, so
   * a row that no longer does (a parser changed by a deploy) is a failed attempt of that event: retried, then dead with
   * the parser's reason for an operator, never a stop of the pass.
   */
  private async parseClaimed(stored: StoredRow[]): Promise<ClaimedRow[]> {
    const rows: ClaimedRow[] = [];
    for (const s of stored) {
      const row = { id: s.id, kind: s.kind, attempts: s.attempts };
      let payload: WeComEvent;
      try {
        payload = parseEvent(s.raw_xml);
      } catch (err) {
        await this.recordFailure(row, new Error(`stored XML does not parse: ${(err as Error).message}`), this.rowLog(row));
        continue;
      }
      rows.push({ ...row, payload });
    }
    return rows;
  }

  private async handBack(rows: ClaimedRow[]): Promise<void> {
    await this.pool.query(handBackSql, [rows.map((r) => r.id), rows.map((r) => r.attempts)]);
    this.deps.logger.info({ worker: this.name, handedBack: rows.length }, "unstarted inbox events handed back");
  }

  /**
   * One transaction for the unit's events. When a batch fails (one event's
   * handler threw, a deadlock, a lost connection) nothing of it is kept and
   * each event is handled again alone, so one bad event costs the others a
   * retry, never an attempt. Once shutdown has begun, the events not yet
   * handled alone are returned to be handed back (a 400-event batch handled
   * one by one would outlast the shutdown deadline).
   */
  private async handleUnit(unit: Unit, memo: Map<string, Promise<unknown>>): Promise<ClaimedRow[]> {
    if (unit.rows.length === 1) {
      const row = unit.rows[0]!;
      const log = this.rowLog(row);
      try {
        if (row.attempts > this.options.maxAttempts) {
          // Only reachable when earlier claims never finished (the process died mid-handler).
          throw new Error(`abandoned ${row.attempts - 1} times without finishing`);
        }
        await this.inTransaction(unit.rows, memo);
      } catch (err) {
        await this.recordFailure(row, err, log);
      }
      return [];
    }
    try {
      await this.inTransaction(unit.rows, memo);
    } catch (err) {
      this.deps.logger.debug({ err, worker: this.name, events: unit.rows.length }, "inbox batch failed; handling its events one by one");
      for (const [i, row] of unit.rows.entries()) {
        if (this.stopping) return unit.rows.slice(i);
        await this.handleUnit({ rows: [row] }, memo);
      }
    }
    return [];
  }

  private async inTransaction(rows: ClaimedRow[], memo: Map<string, Promise<unknown>>): Promise<void> {
    const afterCommit: (() => void)[] = [];
    const shared = <T>(key: string, load: () => Promise<T>): Promise<T> => {
      let result = memo.get(key) as Promise<T> | undefined;
      if (!result) {
        result = load();
        memo.set(key, result);
        // A failed read is not shared: the event is retried and reads again.
        result.catch(() => memo.delete(key));
      }
      return result;
    };
    await this.deps.dataSource.transaction(async (manager) => {
      // Taken (and so done, once this commits) before the handlers run, locked meanwhile: only these are handled.
      const owned = new Set((await manager.query(takeSql, [rows.map((r) => r.id), rows.map((r) => r.attempts)]) as { id: string }[]).map((r) => r.id));
      const mine = rows.filter((r) => owned.has(r.id));
      const common = { manager, afterCommit: (fn: () => void) => void afterCommit.push(fn), shared };
      await this.dispatcher.handleTogether(
        mine.map((row) => ({ kind: row.kind, event: row.payload, ctx: { ...common, inboxId: row.id, log: this.rowLog(row) } })),
        { ...common, log: mine.length === 1 ? this.rowLog(mine[0]!) : this.deps.logger.child({ worker: this.name, events: mine.length }) },
      );
    });
    for (const fn of afterCommit) {
      try {
        fn();
      } catch (err) {
        this.deps.logger.error({ err, worker: this.name }, "an after-commit step of an inbox handler failed");
      }
    }
  }

  private rowLog(row: RowToken): Logger {
    return this.deps.logger.child({ inboxId: row.id, kind: row.kind, attempt: row.attempts });
  }

  private async recordFailure(row: RowToken, err: unknown, log: Logger): Promise<void> {
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
