import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The next pending transfer call, as a function that reads transfer_call_pending in its own order (issue 20;
 * the same cause as 1766710000000-InboxClaimByOrderedScans and 1767020000000-OutboxClaimInDueOrder).
 *
 * sendPendingCalls takes calls one at a time (`… WHERE state = 'pending' AND endpoint = ANY($1) ORDER BY
 * id LIMIT 1 FOR UPDATE SKIP LOCKED`) and every answered call leaves its entry in transfer_call_pending
 * until vacuum. On a table never analyzed the planner chose a bitmap scan of that index, which never marks
 * an entry dead: each take, and the last one that finds nothing, read every call answered since the last
 * vacuum (measured: 1,872 → 9,372 entries per take after 1,000 → 4,000 answered calls, growing with each).
 * The settings (PostgreSQL docs, sql-createfunction: SET "causes the specified configuration parameter to
 * be set to the specified value when the function is entered") rule out bitmap and sequential scans; the
 * ordered scan of the index keyed on id marks the dead entries it meets and stops at the first call it can
 * lock. The order (id) and everything else are unchanged.
 */
export class TransferCallClaimInIndexOrder1767020000002 implements MigrationInterface {
  name = "TransferCallClaimInIndexOrder1767020000002";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION transfer_call_next_pending(endpoints text[])
      RETURNS TABLE (id bigint, endpoint text, leaver_userid text, successor_userid text, ids text[], message text)
      LANGUAGE plpgsql VOLATILE
      SET enable_bitmapscan = off
      SET enable_seqscan = off
      AS $$
      BEGIN
        RETURN QUERY
        SELECT c.id, c.endpoint, c.leaver_userid, c.successor_userid, c.ids, c.message FROM transfer_call AS c
         WHERE c.state = 'pending' AND c.endpoint = ANY(endpoints)
         ORDER BY c.id LIMIT 1 FOR UPDATE SKIP LOCKED;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION transfer_call_next_pending(text[])`);
  }
}
