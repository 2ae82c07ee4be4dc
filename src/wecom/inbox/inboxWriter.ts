import type { Pool } from "pg";
import type { Clock } from "../../platform/clock";
import type { OpenedCallback } from "../callback/openCallback";

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

interface Pending {
  callback: OpenedCallback;
  resolve: (outcome: InsertOutcome) => void;
  reject: (err: unknown) => void;
}

export interface InboxWriterOptions {
  /** Bound on one write, so WeCom (which gives up after 5 s) hears a 503 and retries. */
  timeoutMs?: number;
  /** Concurrent INSERT statements; callbacks arriving meanwhile wait and go together in the next one. */
  maxInFlight?: number;
  maxBatch?: number;
}

/**
 * Stores callbacks in the inbox inside the request, before WeCom gets its 200.
 * Each request still waits for its own row's commit; under load, requests that
 * arrive while a write is in flight share the next INSERT (group commit), since
 * a commit's disk sync, not the row, is what a single-row insert pays for
 * (performance-limits.md). A lone request is written at once.
 */
export class InboxWriter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    options: InboxWriterOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.maxBatch = options.maxBatch ?? 200;
  }

  insert(callback: OpenedCallback): Promise<InsertOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ callback, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`inbox insert took over ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const cbs = batch.map((p) => p.callback);
      const result = await Promise.race([
        this.pool.query<{ dedupe_key: string }>({
          name: "wecom_inbox_insert",
          text: insertSql,
          values: [
            cbs.map((c) => c.dedupeKey),
            cbs.map((c) => c.kind),
            cbs.map((c) => c.rawXml),
            cbs.map((c) => JSON.stringify(c.event)),
            this.clock.now(),
          ],
        }),
        timeout,
      ]);
      const inserted = new Set(result.rows.map((r) => r.dedupe_key));
      for (const p of batch) {
        // The first of several identical callbacks in one batch is the one that was stored.
        const accepted = inserted.delete(p.callback.dedupeKey);
        p.resolve(accepted ? "accepted" : "duplicate");
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      clearTimeout(timer);
    }
  }
}
