import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Which customer transfer group is due next, as a function that reads customer_transfer_due in its own order
 * (issue 20; the same cause as 1767020000000-OutboxClaimInDueOrder).
 *
 * The transfer lifecycle (every 2 minutes, and once per call it queues) asked for `… WHERE status =
 * 'requested' AND call_id IS NULL … ORDER BY id LIMIT 1`. Every queued transfer leaves customer_transfer_due
 * (its call_id is set) and the table keeps every transfer ever made. After an ANALYZE taken while transfers
 * waited to be queued (10,000 of 20,000 in the measurement), the planner walked the primary key in id order
 * and filtered on the heap: 20,283 index entries read by each look-up on an empty queue, growing with the
 * history until the next ANALYZE. Taken in the due index's order (next_attempt_at, then id; rows never tried
 * have no next_attempt_at and come after those due for a retry), with bitmap and sequential scans ruled out
 * by the function's settings (PostgreSQL docs, sql-createfunction), the ordered scan reads the rows still to
 * be queued and marks the dead entries it meets. Only which due group is queued first changes; each group
 * is still read whole after its advisory lock.
 */
export class CustomerTransferFirstDueInIndexOrder1767020000003 implements MigrationInterface {
  name = "CustomerTransferFirstDueInIndexOrder1767020000003";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION customer_transfer_first_due(due_at timestamptz)
      RETURNS TABLE (leaver_userid text, successor_userid text, mode text)
      LANGUAGE plpgsql STABLE
      SET enable_bitmapscan = off
      SET enable_seqscan = off
      AS $$
      BEGIN
        RETURN QUERY
        SELECT t.leaver_userid, t.successor_userid, t.mode FROM customer_transfer AS t
         WHERE t.status = 'requested' AND t.call_id IS NULL AND t.superseded_at IS NULL
           AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= due_at)
           -- The resigned endpoint only accepts members WeCom shows as left; until the directory says so, they wait.
           AND (t.mode = 'on_job' OR NOT EXISTS (SELECT 1 FROM staff AS s WHERE s.userid = t.leaver_userid AND s.status <> 5))
         ORDER BY t.next_attempt_at, t.id LIMIT 1;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION customer_transfer_first_due(timestamptz)`);
  }
}
