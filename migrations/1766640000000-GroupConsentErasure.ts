import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PIPL 15 and 47 for group chats: a parent who withdraws archive consent for a
 * group has their own messages in it erased after the grace period, unless HR
 * holds them for a dispute (with a reason). The erasure log gains the room; a
 * row names a pair (staff_userid) or a group member (room_id), never content.
 */
export class GroupConsentErasure1766640000000 implements MigrationInterface {
  name = "GroupConsentErasure1766640000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE archive_room_erasure_hold (
        room_id text NOT NULL,
        external_userid text NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        held_by text NOT NULL,
        held_at timestamptz NOT NULL,
        PRIMARY KEY (room_id, external_userid)
      )`);
    await q.query(`ALTER TABLE archive_erasure_log ADD COLUMN room_id text, ALTER COLUMN staff_userid DROP NOT NULL`);
    await q.query(`ALTER TABLE archive_erasure_log ADD CONSTRAINT archive_erasure_log_subject CHECK ((staff_userid IS NULL) <> (room_id IS NULL))`);
    await q.query(`CREATE INDEX archive_room_consent_withdrawn ON archive_room_consent (changed_at) WHERE status = 'disagree'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX archive_room_consent_withdrawn`);
    await q.query(`DELETE FROM archive_erasure_log WHERE room_id IS NOT NULL`);
    await q.query(`ALTER TABLE archive_erasure_log DROP CONSTRAINT archive_erasure_log_subject, DROP COLUMN room_id, ALTER COLUMN staff_userid SET NOT NULL`);
    await q.query(`DROP TABLE archive_room_erasure_hold`);
  }
}
