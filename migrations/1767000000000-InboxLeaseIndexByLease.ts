import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The index of leased inbox rows keyed on the lease itself, so the worker's
 * writes by id read their rows by primary key whatever the statistics say
 * (issue 20).
 *
 * The worker's own-check, "done", hand-back and failure statements act on
 * rows it names by (id, attempts), each with `status = 'processing'` in its
 * WHERE. That condition matched the predicate of the partial index
 * wecom_inbox_processing_idx (`WHERE status = 'processing'`), so the planner
 * could read the rows through it instead of by primary key. Once ANALYZE has
 * seen almost no row processing (what autovacuum leaves: rows are processing
 * only while in hand) it did, for all four (a hash join over a full scan of
 * that index, or a bitmap scan of it; even the one-row failure UPDATE). But
 * every row stored processing (the handoff) and then marked done leaves a
 * dead entry in that index until vacuum; a bitmap scan never marks one dead,
 * so each "done" read all of them: 50 µs of PostgreSQL CPU per event at
 * 5,000 handled rows, 450 µs at 42,000, against a flat 34–40 µs by primary
 * key. The same cause as migration 1766710000000 (the planner prices a
 * partial index by the live rows it knows of and cannot see dead entries).
 *
 * Why not functions with `SET enable_bitmapscan = off` like the claim: that
 * still leaves a plain scan of the whole partial index (plus a hash join) to
 * the planner, which reads every row in hand, not the batch's. Here the
 * index's predicate is `locked_until IS NOT NULL`, which no statement by id
 * implies, so the planner cannot consider the index for them at all; the
 * claim's expired-lease read (`status = 'processing' AND locked_until <= $1
 * ORDER BY locked_until`) still implies it (a strict comparison implies NOT
 * NULL) and keeps its ordered scan. The CHECK makes the two conditions the
 * same rows: every writer already sets a lease exactly when it stores or
 * claims a row as processing, and clears it on every other transition.
 */
export class InboxLeaseIndexByLease1767000000000 implements MigrationInterface {
  name = "InboxLeaseIndexByLease1767000000000";

  async up(q: QueryRunner): Promise<void> {
    // No writer leaves a lease outside processing, or a processing row without one; should an old row, a lease
    // outside processing means nothing, and a processing row without one could never be reclaimed: due now.
    // (Row locks only: callbacks are still stored meanwhile.)
    await q.query(`UPDATE wecom_inbox SET locked_until = NULL WHERE status <> 'processing' AND locked_until IS NOT NULL`);
    await q.query(`UPDATE wecom_inbox SET locked_until = now() WHERE status = 'processing' AND locked_until IS NULL`);
    // Writes wait from here to the commit: one scan of the table (the index's build), then catalog changes only. The
    // CHECK is NOT VALID so that it needs no second scan under a lock that also stops reads: the rows were just made
    // to satisfy it, and it holds for every write from now on.
    await q.query(`CREATE INDEX wecom_inbox_leased_idx ON wecom_inbox (locked_until) WHERE locked_until IS NOT NULL`);
    await q.query(`DROP INDEX wecom_inbox_processing_idx`);
    await q.query(`ALTER INDEX wecom_inbox_leased_idx RENAME TO wecom_inbox_processing_idx`);
    await q.query(`
      ALTER TABLE wecom_inbox ADD CONSTRAINT wecom_inbox_leased_while_processing
      CHECK ((status = 'processing') = (locked_until IS NOT NULL)) NOT VALID`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX wecom_inbox_processing_idx`);
    await q.query(`CREATE INDEX wecom_inbox_processing_idx ON wecom_inbox (locked_until) WHERE status = 'processing'`);
    await q.query(`ALTER TABLE wecom_inbox DROP CONSTRAINT wecom_inbox_leased_while_processing`);
  }
}
