import type { DataSource } from "typeorm";
import type { Clock } from "../clock";
import { returnedRows } from "../db/returnedRows";

/** At most `count` uses in any `windowMs` (a sliding window, as WeCom counts its robot's 20 per minute). */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

export type TakeResult = { taken: true } | { taken: false; retryAt: Date };

/** When every free slot is locked by another taker at this instant, look again this soon. */
const CONTENDED_RETRY_MS = 10;

/**
 * Rate limits counted in PostgreSQL, so every instance of the service shares
 * them (two instances must not send twice a robot's 20 messages a minute).
 * A limit of N per window is N slot rows; a use takes the free slot that has
 * been free longest and marks it busy for one window. Any window then holds
 * at most N uses — a sliding window, not a fixed minute, which is the safe
 * reading of Tencent's limits (path/90312 "访问频率限制": a per-minute block
 * lasts 60 s). Slot rows are made on first use of a key; keys idle for a day
 * are pruned.
 */
export class SharedRateLimiter {
  private readonly ensured = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Takes a use now if the limit allows; otherwise says when the next one frees. Never waits. */
  async tryTake(key: string, limit: WindowLimit): Promise<TakeResult> {
    checkLimit(limit);
    await this.ensure(key, limit.count);
    const now = this.clock.now();
    const taken = returnedRows<{ slot: number }>(await this.dataSource.query(
      `UPDATE rate_limit_slot s SET free_at = $3
        WHERE (s.limit_key, s.slot) = (
          SELECT limit_key, slot FROM rate_limit_slot
           WHERE limit_key = $1 AND slot <= $2 AND free_at <= $4
           ORDER BY free_at, slot LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING s.slot`,
      [key, limit.count, new Date(now.getTime() + limit.windowMs), now],
    ));
    if (taken.length > 0) return { taken: true };
    // Never earlier than now: a slot never used is free since '-infinity' (see ensure), which node-postgres reads as
    // the number -Infinity, not a Date (pg-types parses the infinite timestamps to ±Infinity). Such a slot is only
    // missed here while another taker holds its lock, and that taker's use is not visible yet.
    const [{ next }] = (await this.dataSource.query(
      `SELECT min(GREATEST(free_at, $3)) AS next FROM rate_limit_slot WHERE limit_key = $1 AND slot <= $2`,
      [key, limit.count, now],
    )) as [{ next: Date | null }];
    if (next === null) {
      // Another instance pruned this key after we made its slots: make them again.
      this.ensured.delete(key);
      return this.tryTake(key, limit);
    }
    const retryAt = next.getTime() > now.getTime() ? next : new Date(now.getTime() + CONTENDED_RETRY_MS);
    return { taken: false, retryAt };
  }

  /** Waits (with the given sleep) until a use is taken. */
  async acquire(key: string, limit: WindowLimit, sleep: (ms: number) => Promise<void>): Promise<void> {
    for (;;) {
      const result = await this.tryTake(key, limit);
      if (result.taken) return;
      await sleep(Math.max(1, result.retryAt.getTime() - this.clock.now().getTime()));
    }
  }

  /** The other side said the limit is spent (WeCom's 45009): every slot busy for one window from now. */
  async exhaust(key: string, limit: WindowLimit): Promise<void> {
    checkLimit(limit);
    await this.ensure(key, limit.count);
    await this.dataSource.query(`UPDATE rate_limit_slot SET free_at = GREATEST(free_at, $2) WHERE limit_key = $1`, [
      key,
      new Date(this.clock.now().getTime() + limit.windowMs),
    ]);
  }

  /** Drops keys whose every slot has been free for a day (per-address login keys, robots removed from settings). */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - 24 * 3600_000);
    const rows = returnedRows(
      await this.dataSource.query(
        `DELETE FROM rate_limit_slot WHERE limit_key IN (SELECT limit_key FROM rate_limit_slot GROUP BY limit_key HAVING max(free_at) < $1) RETURNING 1`,
        [cutoff],
      ),
    );
    this.ensured.clear();
    return rows.length;
  }

  private async ensure(key: string, count: number): Promise<void> {
    if ((this.ensured.get(key) ?? 0) >= count) return;
    await this.dataSource.query(
      `INSERT INTO rate_limit_slot (limit_key, slot, free_at) SELECT $1, g, '-infinity' FROM generate_series(1, $2::int) AS g ON CONFLICT DO NOTHING`,
      [key, count],
    );
    this.ensured.set(key, count);
  }
}

function checkLimit(limit: WindowLimit): void {
  if (!Number.isInteger(limit.count) || limit.count < 1 || !(limit.windowMs > 0)) throw new Error(`invalid rate limit ${JSON.stringify(limit)}`);
}
