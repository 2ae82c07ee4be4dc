import type { MigrationInterface, QueryRunner } from "typeorm";

/** One row per cron slot: the instance that won it, and whether it finished (so no slot runs twice). */
export class ScheduleLeases1764320000000 implements MigrationInterface {
  name = "ScheduleLeases1764320000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schedule_lease (
        slot_key text PRIMARY KEY,
        holder text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX schedule_lease_acquired ON schedule_lease (acquired_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE schedule_lease`);
  }
}
