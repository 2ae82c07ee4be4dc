import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PIPL 15 and 47: when a parent withdraws archive consent, the pair's stored
 * messages are erased after a grace period, unless HR holds them for a
 * dispute (with a reason). Each erasure is logged with counts, never content.
 */
export class ConsentWithdrawalErasure1766340000001 implements MigrationInterface {
  name = "ConsentWithdrawalErasure1766340000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE archive_erasure_hold (
        staff_userid text NOT NULL,
        external_userid text NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        held_by text NOT NULL,
        held_at timestamptz NOT NULL,
        PRIMARY KEY (staff_userid, external_userid)
      )`);
    await q.query(`
      CREATE TABLE archive_erasure_log (
        id bigserial PRIMARY KEY,
        staff_userid text NOT NULL,
        external_userid text NOT NULL,
        consent_withdrawn_at timestamptz NOT NULL,
        erased_at timestamptz NOT NULL,
        messages_erased integer NOT NULL,
        media_erased integer NOT NULL
      )`);
    await q.query(`CREATE INDEX archive_consent_withdrawn ON archive_consent (changed_at) WHERE status = 'disagree'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX archive_consent_withdrawn`);
    await q.query(`DROP TABLE archive_erasure_log`);
    await q.query(`DROP TABLE archive_erasure_hold`);
  }
}
