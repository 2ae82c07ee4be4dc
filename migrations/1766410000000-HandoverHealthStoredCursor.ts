import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Handover health reads the archive by when messages were stored, not by
 * WeCom's seq: a dead letter replayed after its key arrived is stored later
 * under an old seq, and a seq cursor had already passed it (its refund words
 * and replies were never counted). The cursor keeps the highest stored_at
 * seen (null: read everything once) and the newest transfer change seen, so a
 * pass reads a day's messages and the day's transfer changes only; the
 * indexes make both reads (and the fresh-pair back-fill) cost what they read.
 *
 * The last day's account disable becomes an IT task like a freeze when the
 * contacts secret is missing (kind disable_account, no alert behind it), so
 * IT is reminded until the directory shows the account disabled.
 */
export class HandoverHealthStoredCursor1766410000000 implements MigrationInterface {
  name = "HandoverHealthStoredCursor1766410000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handover_health_cursor ADD COLUMN last_stored_at timestamptz, ADD COLUMN last_transfer_at timestamptz`);
    await q.query(`CREATE INDEX archive_message_stored_at ON archive_message (stored_at)`);
    await q.query(`CREATE INDEX customer_transfer_updated ON customer_transfer (updated_at)`);
    await q.query(`CREATE INDEX handover_parent_health_fresh ON handover_parent_health (successor_userid) WHERE backfilled = false`);
    await q.query(`ALTER TABLE alert_it_task ALTER COLUMN alert_id DROP NOT NULL, DROP CONSTRAINT alert_it_task_kind_check`);
    await q.query(`ALTER TABLE alert_it_task ADD CONSTRAINT alert_it_task_kind_check CHECK (kind IN ('freeze_account', 'disable_account'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM alert_it_task WHERE kind = 'disable_account'`);
    await q.query(`ALTER TABLE alert_it_task DROP CONSTRAINT alert_it_task_kind_check, ALTER COLUMN alert_id SET NOT NULL`);
    await q.query(`ALTER TABLE alert_it_task ADD CONSTRAINT alert_it_task_kind_check CHECK (kind IN ('freeze_account'))`);
    await q.query(`DROP INDEX handover_parent_health_fresh`);
    await q.query(`DROP INDEX customer_transfer_updated`);
    await q.query(`DROP INDEX archive_message_stored_at`);
    await q.query(`ALTER TABLE handover_health_cursor DROP COLUMN last_transfer_at, DROP COLUMN last_stored_at`);
  }
}
