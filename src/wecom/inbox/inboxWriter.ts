import type { Pool } from "pg";
import type { Clock } from "../../platform/clock";
import type { OpenedCallback } from "../callback/openCallback";

export type InsertOutcome = "accepted" | "duplicate";

const insertSql = `
  INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, received_at)
  VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id`;

/**
 * Stores one callback in the inbox inside the request, before WeCom gets its
 * 200. A single prepared INSERT … ON CONFLICT: one round trip, and a
 * redelivery is a no-op. Bounded in time so WeCom (which gives up after 5 s)
 * hears a 503 and retries instead of a dropped connection.
 */
export class InboxWriter {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly timeoutMs = 3_000,
  ) {}

  async insert(callback: OpenedCallback): Promise<InsertOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`inbox insert took over ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([
        this.pool.query({
          name: "wecom_inbox_insert",
          text: insertSql,
          values: [callback.dedupeKey, callback.kind, callback.rawXml, JSON.stringify(callback.event), this.clock.now()],
        }),
        timeout,
      ]);
      return result.rowCount === 1 ? "accepted" : "duplicate";
    } finally {
      clearTimeout(timer);
    }
  }
}
