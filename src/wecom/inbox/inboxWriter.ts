import type { Pool } from "pg";
import type { Clock } from "../../platform/clock";
import type { OpenedCallback } from "../callback/openCallback";
import { GroupCommit, type GroupCommitOptions } from "./groupCommit";

export type InsertOutcome = "accepted" | "duplicate";

/**
 * One prepared statement for any batch size: arrays unnested into rows. ON
 * CONFLICT DO NOTHING also absorbs a duplicate inside the same batch.
 */
const insertSql = `
  INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, received_at)
  SELECT k, kd, x, p::jsonb, 'pending', 0, $5, $5
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, kd, x, p)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING dedupe_key`;

export type InboxWriterOptions = Partial<GroupCommitOptions>;

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
 * Each request still waits for its own row's commit.
 */
export class InboxWriter {
  private readonly commits: GroupCommit<OpenedCallback, InsertOutcome>;

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    options: InboxWriterOptions = {},
  ) {
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
    const result = await this.pool.query<{ dedupe_key: string }>({
      name: "wecom_inbox_insert",
      text: insertSql,
      values: [
        callbacks.map((c) => c.dedupeKey),
        callbacks.map((c) => c.kind),
        callbacks.map((c) => c.rawXml),
        callbacks.map((c) => JSON.stringify(c.event)),
        this.clock.now(),
      ],
    });
    const inserted = new Set(result.rows.map((r) => r.dedupe_key));
    // The first of several identical callbacks in one batch is the one that was stored.
    return callbacks.map((c) => (inserted.delete(c.dedupeKey) ? "accepted" : "duplicate"));
  }
}
