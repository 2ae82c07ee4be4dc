import type { RunCoordinator } from "node-cron";
import type { DataSource } from "typeorm";

/**
 * node-cron's run coordinator backed by PostgreSQL: the first instance to
 * claim a slot runs it; a lease whose holder died can be taken over after its
 * TTL, but a completed slot is never run again. Leases use the database's
 * clock, the one clock every instance shares.
 */
export class PostgresLeaseCoordinator implements RunCoordinator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly holder: string,
  ) {}

  async shouldRun(key: string, ttlMs: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO schedule_lease (slot_key, holder, expires_at) VALUES ($1, $2, now() + ($3 || ' milliseconds')::interval)
       ON CONFLICT (slot_key) DO UPDATE SET holder = excluded.holder, acquired_at = now(), expires_at = excluded.expires_at
       WHERE schedule_lease.completed_at IS NULL AND schedule_lease.expires_at < now()
       RETURNING holder`,
      [key, this.holder, String(ttlMs)],
    );
    return rows.length === 1;
  }

  async onComplete(key: string): Promise<void> {
    await this.dataSource.query(`UPDATE schedule_lease SET completed_at = now() WHERE slot_key = $1 AND holder = $2`, [key, this.holder]);
  }

  /** Slots older than a week only matter for forensics; keep the table small. */
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM schedule_lease WHERE acquired_at < now() - interval '7 days'`);
  }
}
