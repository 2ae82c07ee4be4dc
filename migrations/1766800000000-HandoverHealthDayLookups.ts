import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A day's health pass finds the parents of a few thousand conversations.
 * - The (successor, parent) index becomes (parent, successor): the pass
 *   looks the day's parents up in one ordered walk of the index
 *   (`external_userid = ANY (…)`, then the rows page by page) instead of
 *   descending the index once per conversation; lookups by both columns
 *   (follow deletions, refund words) use it as before.
 * - When the successor last wrote is dropped: no rule and no screen reads it,
 *   and keeping it rewrote a parent's row for every message the successor
 *   sent (the first message, which the rule reads, is kept).
 */
export class HandoverHealthDayLookups1766800000000 implements MigrationInterface {
  name = "HandoverHealthDayLookups1766800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX handover_parent_health_pair`);
    await q.query(`CREATE INDEX handover_parent_health_pair ON handover_parent_health (external_userid, successor_userid)`);
    await q.query(`ALTER TABLE handover_parent_health DROP COLUMN successor_last_msg_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handover_parent_health ADD COLUMN successor_last_msg_at timestamptz`);
    await q.query(`DROP INDEX handover_parent_health_pair`);
    await q.query(`CREATE INDEX handover_parent_health_pair ON handover_parent_health (successor_userid, external_userid)`);
  }
}
