import type { Pool } from "pg";
import type { Clock } from "../../platform/clock";
import type { OpenedCallback } from "../callback/openCallback";
import { GroupCommit, type GroupCommitOptions } from "./groupCommit";
import type { ClaimedRow, HandoffTicket, InboxHandoff } from "./inboxWorker";

export type InsertOutcome = "accepted" | "duplicate";

/**
 * One prepared statement for any batch size. The batch is one jsonb array of
 * [dedupe key, kind, raw XML] (issue 20): Node serialises it in one
 * native JSON.stringify and PostgreSQL parses it once, where four text arrays
 * cost pg's per-element escaping in Node and array_in plus a jsonb parse per
 * row in PostgreSQL (both sides about a quarter less CPU per event, measured
 * at 20 events a batch).
 *
 * Ids are drawn in arrival order (the array's), so they still grow with
 * arrival; the events are then inserted in dedupe-key order. Two writes with
 * keys in common (two instances, or two writes in flight, each holding a
 * redelivery of the other's event) otherwise take the keys' unique-index
 * entries in opposite orders and each waits for the other's uncommitted one:
 * a deadlock that fails both batches (seen in inboxWriter.test.ts). In one
 * order, the second simply waits and finds the key taken. ON CONFLICT DO
 * NOTHING also absorbs a duplicate inside the same batch (the first of them,
 * by arrival, is stored).
 *
 * Each stored event gets its work row (migration 1767100000000) in the same
 * statement, from the ids the event insert returned, so there is never an
 * event without its work row until it is done, nor a work row without its
 * event (no foreign key: the migration says why). The work rows' ids are new
 * and the table's only unique key, so they conflict with nothing. With a
 * lease ($3) they are stored already claimed by this instance's worker
 * (status 'processing', attempt 1, as its claim would leave them); without
 * one, pending for any worker. A row PostgreSQL refuses fails the whole
 * statement, both tables, and GroupCommit retries its items one by one.
 */
const insertSql = `
  WITH batch AS MATERIALIZED (
    SELECT nextval('wecom_inbox_id_seq') AS id, e, n
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n)
  ), stored AS (
    INSERT INTO wecom_inbox (id, dedupe_key, kind, raw_xml, received_at)
    SELECT id, e->>0, e->>1, e->>2, $2::timestamptz
    FROM batch
    ORDER BY e->>0, n
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id, dedupe_key
  ), work AS (
    INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at, locked_until)
    SELECT id,
           CASE WHEN $3::timestamptz IS NULL THEN 'pending' ELSE 'processing' END,
           CASE WHEN $3::timestamptz IS NULL THEN 0 ELSE 1 END,
           $2::timestamptz, $3::timestamptz
    FROM stored
  )
  SELECT id::text AS id, dedupe_key FROM stored`;

export type InboxWriterOptions = Partial<GroupCommitOptions> & {
  /** This instance's inbox worker: stored rows are handed to it already claimed while it takes them (inboxWorker.ts). */
  handoff?: InboxHandoff;
};

/**
 * PostgreSQL refused a value of the row itself: 22 data exception (a NUL in
 * text, an unsupported \u0000 in jsonb), 23 integrity constraint, 54 program
 * limit exceeded. Anything else (08 connection, 57 shutdown, 53 resources, a
 * socket error) is about the database, not the row.
 */
export function isRowFault(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(22|23|54)/.test(code);
}

/**
 * Stores callbacks in the inbox inside the request, before WeCom gets its 200.
 * Requests arriving while a write is in flight share the next INSERT (group
 * commit, groupCommit.ts): a commit's WAL flush and the statement's round trip,
 * not the row, are what a single-row insert pays for (performance-limits.md).
 * Each request still waits for its own row's commit. The rows go to this
 * instance's worker in memory when it takes them (options.handoff).
 */
export class InboxWriter {
  private readonly commits: GroupCommit<OpenedCallback, InsertOutcome>;

  private readonly handoff: InboxHandoff | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    options: InboxWriterOptions = {},
  ) {
    this.handoff = options.handoff;
    this.commits = new GroupCommit(
      { write: (callbacks) => this.write(callbacks), isItemFault: isRowFault },
      {
        // WeCom gives up on a callback after 5 s: answer 503 well before, so it retries.
        timeoutMs: options.timeoutMs ?? 3_000,
        // One write at a time: whatever arrives meanwhile goes in the next, so a batch grows with the load. Two in
        // flight halved the batches (16 events per INSERT instead of 21 at ~3,500 a second, issue 20's bench) and
        // each statement costs PostgreSQL a commit and a round trip, Node a round trip: more CPU per event for
        // no more throughput on the machine the commits share.
        maxInFlight: options.maxInFlight ?? 1,
        lingerMs: options.lingerMs ?? 1,
        // A write's cost is mostly fixed: an insert and the worker's done of the rows it hands over cost PostgreSQL
        // ~560 us of CPU a cycle plus ~20 us per event (a durable commit alone ~100-130 us on these machines, issue 20;
        // measured while a done followed every insert, before the worker took handed rows at most every 20 ms),
        // so while busy writes start at most every 5 ms and share that cost (batches of ~29 instead of ~21 with no
        // spacing). The spacing is also latency every sender waits for: the bench's 50 senders wait for their commit
        // while the CPU idles, so longer spacing bought bigger batches (8 ms: ~40) but fewer answers a second (issue 20's
        // ingress bench, alternated with 8 ms: ratio 0.69-0.74 against 0.63-0.67; 5 and 6 ms alike, 3 ms smaller
        // batches and no faster). Alone, a callback is written at once; busy, it waits at most 5 ms more of WeCom's 5 s.
        minIntervalMs: options.minIntervalMs ?? 5,
        maxBatch: options.maxBatch ?? 200,
        maxQueued: options.maxQueued ?? 10_000,
      },
    );
  }

  /** Resolves once the callback's row is committed ("accepted") or was already there ("duplicate"). */
  insert(callback: OpenedCallback): Promise<InsertOutcome> {
    return this.commits.submit(callback);
  }

  private async write(callbacks: OpenedCallback[]): Promise<InsertOutcome[]> {
    const n = callbacks.length;
    // The XML as received, not the event parsed from it (migration 1767200000000): the worker gets that in memory.
    const batch = JSON.stringify(callbacks.map((c) => [c.dedupeKey, c.kind, c.rawXml]));
    const ticket: HandoffTicket = this.handoff?.offer() ?? { leaseUntil: undefined };
    const handed: ClaimedRow[] = [];
    try {
      const result = await this.pool.query<{ id: string; dedupe_key: string }>({
        name: "wecom_inbox_insert",
        text: insertSql,
        values: [batch, this.clock.now(), ticket.leaseUntil ?? null],
      });
      const ids = new Map<string, string>();
      for (const r of result.rows) ids.set(r.dedupe_key, r.id);
      const outcomes = new Array<InsertOutcome>(n);
      for (let i = 0; i < n; i++) {
        const c = callbacks[i]!;
        const id = ids.get(c.dedupeKey);
        outcomes[i] = id === undefined ? "duplicate" : "accepted";
        if (id === undefined) continue;
        // The first of several identical callbacks in one batch is the one that was stored.
        ids.delete(c.dedupeKey);
        // The event the route parsed from the XML stored: the worker gets what its claim would parse from that row.
        handed.push({ id, kind: c.kind, payload: c.event, attempts: 1 });
      }
      return outcomes;
    } catch (err) {
      handed.length = 0;
      throw err;
    } finally {
      this.handoff?.stored(ticket, handed);
    }
  }
}
