import type { MigrationInterface, QueryRunner } from "typeorm";

/** The settings of migrations 1767100000000 and 1767100000001, and the ones these functions keep. */
const noJoinChoice = `
      SET enable_seqscan = off
      SET enable_bitmapscan = off
      SET enable_hashjoin = off
      SET enable_mergejoin = off`;
const namedRowsByHash = `
      SET enable_seqscan = off
      SET enable_bitmapscan = off
      SET enable_nestloop = off
      SET enable_mergejoin = off`;

const take = (settings: string) => `
      CREATE OR REPLACE FUNCTION wecom_inbox_take(ids bigint[], tokens integer[]) RETURNS SETOF text
      LANGUAGE plpgsql VOLATILE ${settings}
      AS $$
      BEGIN
        RETURN QUERY
        DELETE FROM wecom_inbox_work AS w
        USING unnest(ids, tokens) AS h(id, attempts)
        WHERE w.id = ANY (ids) AND w.id = h.id AND w.attempts = h.attempts AND w.status = 'processing'
        RETURNING w.id::text;
      END
      $$`;

const done = (settings: string) => `
      CREATE OR REPLACE FUNCTION wecom_inbox_done(ids bigint[], tokens integer[]) RETURNS integer
      LANGUAGE plpgsql VOLATILE ${settings}
      AS $$
      DECLARE
        n integer;
      BEGIN
        DELETE FROM wecom_inbox_work AS w
        USING unnest(ids, tokens) AS h(id, attempts)
        WHERE w.id = ANY (ids) AND w.id = h.id AND w.attempts = h.attempts AND w.status = 'processing';
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END
      $$`;

const handBack = (settings: string) => `
      CREATE OR REPLACE FUNCTION wecom_inbox_hand_back(ids bigint[], tokens integer[]) RETURNS integer
      LANGUAGE plpgsql VOLATILE ${settings}
      AS $$
      DECLARE
        n integer;
      BEGIN
        UPDATE wecom_inbox_work AS w SET status = 'pending', attempts = w.attempts - 1, locked_until = NULL
        FROM unnest(ids, tokens) AS h(id, attempts)
        WHERE w.id = ANY (ids) AND w.id = h.id AND w.attempts = h.attempts AND w.status = 'processing';
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END
      $$`;

/**
 * The worker's writes by id join their rows with the (id, token) pairs by
 * hash (issue 20): left only nested loops, a batch of n rows cost n²
 * comparisons.
 *
 * Since 1767100000000 each of these statements reads the work table only
 * through `w.id = ANY (ids)`: exactly the named keys, one search of the
 * primary key, whatever the join. With hash and merge joins off the planner
 * put that scan outside a nested loop and compared each row with every pair
 * (the function's kept generic plan estimates a handful of rows for an array
 * parameter): fine at a callback batch of 21, but the worker grows its
 * transactions to 400 events under a backlog, where "done" cost 62–80 µs of
 * PostgreSQL CPU per event against 25–35 µs for the former UPDATE by primary
 * key (measured alternately, /work/scratch/s30/pgcpu.js, B=400), and
 * inbox-keeps-up drained its 30,000-event backlog in 4.8–5.2 s against
 * 4.1 s. Now the join can only be a hash join (nested loops and merge joins
 * off): linear, 5–8 µs per event at 400, and no worse at 21. Sequential and
 * bitmap scans stay off: the table is still read only by that search
 * (test/wecom/inbox.test.ts counts it, one search and one entry per row).
 */
export class InboxWritesJoinInLinearTime1767100000002 implements MigrationInterface {
  name = "InboxWritesJoinInLinearTime1767100000002";

  async up(q: QueryRunner): Promise<void> {
    await q.query(take(namedRowsByHash));
    await q.query(done(namedRowsByHash));
    await q.query(handBack(namedRowsByHash));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(take(noJoinChoice));
    await q.query(done(noJoinChoice));
    await q.query(handBack(noJoinChoice));
  }
}
