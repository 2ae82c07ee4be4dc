import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Rate limits shared by every instance on one database (issue 16): a limit
 * of N per window is N slots, each free again one window after its last use.
 * Taking a slot is one row lock, so two instances never exceed N together.
 */
export class SharedRateLimits1766340000000 implements MigrationInterface {
  name = "SharedRateLimits1766340000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limit_slot (
        limit_key text NOT NULL,
        slot integer NOT NULL CHECK (slot > 0),
        free_at timestamptz NOT NULL,
        PRIMARY KEY (limit_key, slot)
      )`);
    await q.query(`CREATE INDEX rate_limit_slot_free ON rate_limit_slot (limit_key, free_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_slot`);
  }
}
