import type { MigrationInterface, QueryRunner } from "typeorm";

/** As migration 1767100000000: a join of the named ids with the work table can only be primary-key lookups. */
const byPrimaryKey = `
      SET enable_seqscan = off
      SET enable_bitmapscan = off
      SET enable_hashjoin = off
      SET enable_mergejoin = off`;

/**
 * The handling transaction takes its events' work rows at its start: one
 * DELETE … RETURNING instead of a FOR UPDATE at the start and a DELETE at the
 * end (issue 20).
 *
 * Since "done" is the deletion of the work row (1767100000000), deleting it
 * first is the same transaction: the DELETE locks the rows still ours under
 * the (id, attempts) token until the transaction ends, exactly as FOR UPDATE
 * did (another instance's claim skips them, SKIP LOCKED; a reclaim waits), and
 * it returns which they are, so the handlers run for those only. If a
 * handler fails, the transaction rolls back and the rows are there again,
 * still processing under the same token, for the failure to be recorded
 * (wecom_inbox_failed) or the batch to be retried event by event. What goes
 * is the tuple lock FOR UPDATE wrote on each row (a row-header write and its
 * WAL) and a statement per transaction: 40–44 µs of PostgreSQL CPU per event
 * for own + done in a transaction of 21, against 28–34 µs for the take
 * (measured alternately, /work/scratch/s30/pgcpu2.js).
 *
 * Rows are locked in id order as before: the ids come in arrival order and
 * are read by one ordered search of the primary key (`w.id = ANY (ids)`,
 * why: 1767100000000). wecom_inbox_done stays for the events nobody handles
 * (done at once, outside a handling transaction); wecom_inbox_own has no
 * caller left and goes.
 */
export class InboxTakeOnStart1767100000001 implements MigrationInterface {
  name = "InboxTakeOnStart1767100000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION wecom_inbox_take(ids bigint[], tokens integer[]) RETURNS SETOF text
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      BEGIN
        RETURN QUERY
        DELETE FROM wecom_inbox_work AS w
        USING unnest(ids, tokens) AS h(id, attempts)
        WHERE w.id = ANY (ids) AND w.id = h.id AND w.attempts = h.attempts AND w.status = 'processing'
        RETURNING w.id::text;
      END
      $$`);
    await q.query(`DROP FUNCTION wecom_inbox_own(bigint[], integer[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION wecom_inbox_own(ids bigint[], tokens integer[]) RETURNS SETOF text
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      BEGIN
        RETURN QUERY
        SELECT w.id::text FROM wecom_inbox_work AS w
        JOIN unnest(ids, tokens) AS h(id, attempts) ON w.id = h.id AND w.attempts = h.attempts
        WHERE w.id = ANY (ids) AND w.status = 'processing'
        ORDER BY w.id
        FOR UPDATE OF w;
      END
      $$`);
    await q.query(`DROP FUNCTION wecom_inbox_take(bigint[], integer[])`);
  }
}
