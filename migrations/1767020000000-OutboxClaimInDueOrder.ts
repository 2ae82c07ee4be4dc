import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The WeCom outbox's claim as a function that reads wecom_outbox_due in its own order (issue 20, the same
 * cause as 1766710000000-InboxClaimByOrderedScans).
 *
 * The claim was `… WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now ORDER BY id
 * LIMIT 200 FOR UPDATE SKIP LOCKED`. The table is never pruned, and its statistics say how many rows were
 * unsent when it was last analyzed. After an ANALYZE that met a backlog (3,000 notices queued by one
 * leaver's transfer), the planner believed a third of the table was due and walked the primary key in id
 * order, filtering on the heap: every later claim, even on an empty queue, read every message ever sent
 * (EXPLAIN ANALYZE on 11,000 rows: Index Scan using wecom_outbox_pkey, 5.3 ms for 0 rows; it grows with
 * the table until the next ANALYZE). Other statistics gave a bitmap scan of wecom_outbox_due, which reads
 * every entry a sent row left behind until vacuum, and a sequential scan. Sorting by id also read the whole
 * backlog before taking 200 rows.
 *
 * Rows are now taken in the due index's order (next_attempt_at, then id), so the ordered scan of
 * wecom_outbox_due stops after the rows it claims, and the function's settings (PostgreSQL docs,
 * sql-createfunction: SET "causes the specified configuration parameter to be set to the specified value
 * when the function is entered") rule out the bitmap and sequential scans, whose pricing cannot see dead
 * index entries. An ordered index scan marks the dead entries it meets, so later scans skip them. The id
 * order it replaces gave nothing the due order loses: messages queued together are due together and go out
 * in id order; a message waiting for a retry goes after messages that fell due before it, as it already did
 * whenever the pass that retried it came after theirs. The columns are named, not the table's row type, so
 * the table stays free to change (and an older migration's down() to drop it).
 */
export class OutboxClaimInDueOrder1767020000000 implements MigrationInterface {
  name = "OutboxClaimInDueOrder1767020000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION wecom_outbox_claim(claim_at timestamptz, max_rows integer)
      RETURNS TABLE (id bigint, topic text, ref jsonb, channel text, target text, message jsonb, duplicate_check boolean,
                     give_up_after integer, attempts integer, created_at timestamptz, next_attempt_at timestamptz)
      LANGUAGE plpgsql VOLATILE
      SET enable_bitmapscan = off
      SET enable_seqscan = off
      AS $$
      BEGIN
        RETURN QUERY
        SELECT o.id, o.topic, o.ref, o.channel, o.target, o.message, o.duplicate_check, o.give_up_after, o.attempts,
               o.created_at, o.next_attempt_at
          FROM wecom_outbox AS o
         WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= claim_at
         ORDER BY o.next_attempt_at, o.id LIMIT max_rows FOR UPDATE SKIP LOCKED;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION wecom_outbox_claim(timestamptz, integer)`);
  }
}
