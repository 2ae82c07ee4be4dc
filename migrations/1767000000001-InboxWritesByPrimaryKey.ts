import type { MigrationInterface, QueryRunner } from "typeorm";

/** Planner settings under which a join of the named (id, attempts) with the inbox can only be primary-key lookups. */
const byPrimaryKey = `
      SET enable_seqscan = off
      SET enable_bitmapscan = off
      SET enable_hashjoin = off
      SET enable_mergejoin = off`;

/** A function setting `set` on the named rows (ids, tokens) still processing under their token; returns how many. */
const updateNamedRows = (name: string, moreParameters: string, set: string) => `
      CREATE FUNCTION ${name}(ids bigint[], tokens integer[]${moreParameters}) RETURNS integer
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      DECLARE
        n integer;
      BEGIN
        UPDATE wecom_inbox AS i SET ${set}
        FROM unnest(ids, tokens) AS h(id, attempts)
        WHERE i.id = h.id AND i.attempts = h.attempts AND i.status = 'processing';
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END
      $$`;

/**
 * The inbox worker's writes by id as functions that can only read their rows
 * by primary key (issue 20), after 1767000000000 took the index of leased
 * rows out of their reach.
 *
 * That was not enough: PostgreSQL keeps a plan per named statement (and per
 * statement inside a function) from its sixth run on, made for the table as
 * it was then, until ANALYZE, vacuum or DDL invalidates it. Planned while the
 * inbox was tiny (a fresh deployment, a test), "done" kept a sequential scan
 * with a hash join and read the whole table on every call as it grew (seen in
 * the test: 9,183 rows read to complete 15). The functions' own settings
 * (CREATE FUNCTION … SET, as wecom_inbox_claim) leave the planner a nested
 * loop over the named ids with a primary-key lookup for each, whatever the
 * table's size or statistics: the cost of a batch is its rows, never the
 * table's, its dead entries or the rows in hand. The settings hold for the
 * functions' statements only.
 *
 * Each statement acts only on rows still processing under the caller's
 * lease token (id, attempts): a row whose lease expired and was reclaimed
 * elsewhere is left alone.
 */
export class InboxWritesByPrimaryKey1767000000001 implements MigrationInterface {
  name = "InboxWritesByPrimaryKey1767000000001";

  async up(q: QueryRunner): Promise<void> {
    // The rows of a batch the caller still owns, locked until its transaction ends, in id order (one lock order).
    await q.query(`
      CREATE FUNCTION wecom_inbox_own(ids bigint[], tokens integer[]) RETURNS SETOF text
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      BEGIN
        RETURN QUERY
        SELECT i.id::text FROM wecom_inbox AS i
        JOIN unnest(ids, tokens) AS h(id, attempts) ON i.id = h.id AND i.attempts = h.attempts
        WHERE i.status = 'processing'
        ORDER BY i.id
        FOR UPDATE OF i;
      END
      $$`);
    await q.query(updateNamedRows("wecom_inbox_done", ", handled timestamptz", "status = 'done', handled_at = handled, locked_until = NULL, last_error = NULL"));
    // Shutdown: claimed rows never started go back to pending, as if never claimed (the attempt is not counted).
    await q.query(updateNamedRows("wecom_inbox_hand_back", "", "status = 'pending', attempts = i.attempts - 1, locked_until = NULL"));
    // A failed attempt: pending again at retry_at, or dead once it was the last; the new status (NULL: not ours).
    await q.query(`
      CREATE FUNCTION wecom_inbox_failed(row_id bigint, token integer, max_attempts integer, retry_at timestamptz, error text)
      RETURNS text
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      DECLARE
        now_status text;
      BEGIN
        UPDATE wecom_inbox AS i
        SET status = CASE WHEN i.attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
            next_attempt_at = retry_at, locked_until = NULL, last_error = error
        WHERE i.id = row_id AND i.attempts = token AND i.status = 'processing'
        RETURNING i.status INTO now_status;
        RETURN now_status;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION wecom_inbox_failed(bigint, integer, integer, timestamptz, text)`);
    await q.query(`DROP FUNCTION wecom_inbox_hand_back(bigint[], integer[])`);
    await q.query(`DROP FUNCTION wecom_inbox_done(bigint[], integer[], timestamptz)`);
    await q.query(`DROP FUNCTION wecom_inbox_own(bigint[], integer[])`);
  }
}
