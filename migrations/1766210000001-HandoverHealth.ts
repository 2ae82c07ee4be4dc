import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Handover health: one row per parent handed over (leaver, parent) with the
 * facts the pure rule judges — when the successor first and last wrote, when
 * the parent first and last replied (after the handover), whether the parent
 * deleted the successor, refund words — kept current incrementally from the
 * archive (a seq cursor), contact events and transfer results; and when the
 * successor and the campus head were reminded about a parent not contacted.
 */
export class HandoverHealth1766210000001 implements MigrationInterface {
  name = "HandoverHealth1766210000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handover_parent_health (
        leaver_userid text NOT NULL,
        external_userid text NOT NULL,
        successor_userid text NOT NULL,
        branch_id integer,
        handed_over_at timestamptz NOT NULL,
        transfer_status text NOT NULL,
        backfilled boolean NOT NULL DEFAULT false,
        successor_first_msg_at timestamptz,
        successor_last_msg_at timestamptz,
        parent_first_reply_at timestamptz,
        parent_last_reply_at timestamptz,
        follow_deleted_at timestamptz,
        refund_word text,
        refund_at timestamptz,
        reminded_successor_at timestamptz,
        reminded_head_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (leaver_userid, external_userid)
      )`);
    await q.query(`CREATE INDEX handover_parent_health_pair ON handover_parent_health (successor_userid, external_userid)`);
    await q.query(`CREATE INDEX handover_parent_health_branch ON handover_parent_health (branch_id, handed_over_at)`);
    await q.query(`CREATE TABLE handover_health_cursor (name text PRIMARY KEY, last_seq bigint NOT NULL, updated_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE handover_health_cursor, handover_parent_health`);
  }
}
