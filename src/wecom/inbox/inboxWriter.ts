import type { Pool } from "pg";
import type { Clock } from "../../platform/clock";
import type { OpenedCallback } from "../callback/openCallback";
import { GroupCommit, type GroupCommitOptions } from "./groupCommit";
import type { ClaimedRow, HandoffTicket, InboxHandoff } from "./inboxWorker";

export type InsertOutcome = "accepted" | "duplicate";

/**
 * One prepared statement for any batch size: arrays unnested into rows. ON
 * CONFLICT DO NOTHING also absorbs a duplicate inside the same batch. With a
 * lease ($6) the rows are stored already claimed by this instance's worker
 * (status 'processing', attempt 1, as its claim would leave them); without
 * one, pending for any worker.
 */
const insertSql = `
  INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, received_at, locked_until)
  SELECT k, kd, x, p::jsonb,
         CASE WHEN $6::timestamptz IS NULL THEN 'pending' ELSE 'processing' END,
         CASE WHEN $6::timestamptz IS NULL THEN 0 ELSE 1 END,
         $5, $5, $6
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, kd, x, p)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id::text AS id, dedupe_key`;

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
        maxInFlight: options.maxInFlight ?? 2,
        lingerMs: options.lingerMs ?? 1,
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
    const payloads = callbacks.map((c) => JSON.stringify(c.event));
    const ticket: HandoffTicket = this.handoff?.offer() ?? { leaseUntil: undefined };
    let handed: ClaimedRow[] = [];
    try {
      const result = await this.pool.query<{ id: string; dedupe_key: string }>({
        name: "wecom_inbox_insert",
        text: insertSql,
        values: [callbacks.map((c) => c.dedupeKey), callbacks.map((c) => c.kind), callbacks.map((c) => c.rawXml), payloads, this.clock.now(), ticket.leaseUntil ?? null],
      });
      const ids = new Map(result.rows.map((r) => [r.dedupe_key, r.id]));
      const outcomes: InsertOutcome[] = [];
      callbacks.forEach((c, i) => {
        const id = ids.get(c.dedupeKey);
        // The first of several identical callbacks in one batch is the one that was stored.
        ids.delete(c.dedupeKey);
        outcomes.push(id === undefined ? "duplicate" : "accepted");
        // The payload as the worker's claim would return it (jsonb read back through JSON.parse).
        if (id !== undefined) handed.push({ id, kind: c.kind, payload: JSON.parse(payloads[i]!) as ClaimedRow["payload"], attempts: 1 });
      });
      return outcomes;
    } catch (err) {
      handed = [];
      throw err;
    } finally {
      this.handoff?.stored(ticket, handed);
    }
  }
}
