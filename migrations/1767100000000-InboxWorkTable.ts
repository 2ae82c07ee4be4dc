import type { MigrationInterface, QueryRunner } from "typeorm";
import { InboxClaimByOrderedScans1766710000000 } from "./1766710000000-InboxClaimByOrderedScans";
import { InboxWritesByPrimaryKey1767000000001 } from "./1767000000001-InboxWritesByPrimaryKey";

/** Planner settings under which a join of named ids with a table can only be primary-key lookups (as 1767000000001). */
const byPrimaryKey = `
      SET enable_seqscan = off
      SET enable_bitmapscan = off
      SET enable_hashjoin = off
      SET enable_mergejoin = off`;

/** A function setting `set` on the named work rows (ids, tokens) still processing under their token; returns how many. */
const updateNamedWork = (name: string, set: string) => `
      CREATE FUNCTION ${name}(ids bigint[], tokens integer[]) RETURNS integer
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      DECLARE
        n integer;
      BEGIN
        UPDATE wecom_inbox_work AS w SET ${set}
        FROM unnest(ids, tokens) AS h(id, attempts)
        WHERE w.id = ANY (ids) AND w.id = h.id AND w.attempts = h.attempts AND w.status = 'processing';
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
      END
      $$`;

/**
 * The inbox's work state in its own narrow table; "done" becomes a DELETE
 * (issue 20: callback ingress with handling running).
 *
 * Every event cost PostgreSQL its insert and its "done": a non-HOT UPDATE of
 * the ~1.2 KB row (status and handled_at are indexed) that wrote a whole new
 * row version, plus entries in the primary key, the dedupe_key unique index
 * and the done index: ~2,000 bytes of WAL and 45–49 µs of backend CPU per
 * event, next to 47–51 µs for the insert (measured per event on this 2-core
 * machine, where the database's CPU is taken from the Node process). Now
 * `wecom_inbox` is the immutable event store (the callback as received: also
 * the evidence), written once and never updated, and `wecom_inbox_work` holds
 * one ~60-byte row per event still to be handled, or dead: "done" deletes it
 * (16–20 µs, ~1,250 bytes of WAL per event in all). An event with no work
 * row is done.
 *
 * No foreign key from the work row to its event, on purpose: PostgreSQL checks
 * one by locking the referenced row (FOR KEY SHARE, a tuple lock that writes
 * the 1.2 KB event row's header and WAL for every work row inserted), the very
 * write this removes. Nothing needs it: the writer stores both rows in one
 * statement (its CTE), only the event's statement creates a work row, and
 * pruning deletes only events that have none (src/wecom/inbox/pruneInbox.ts).
 *
 * The work table keeps the inbox's indexes and guards for these columns:
 * pending by next_attempt_at, leased by locked_until (keyed on the lease so
 * statements by id cannot read through it, migration 1767000000000, with its
 * CHECK), dead by id. The worker's functions move to it with the same planner
 * settings and for the same reasons (1766710000000: the claim reads its two
 * partial indexes by ordered scans, which mark dead entries, never bitmap
 * scans; 1767000000001: the writes by id are primary-key lookups whatever
 * plan a session kept or the statistics say). The claim joins the event
 * store by primary key for the kind and payload.
 *
 * One more guard than theirs: each statement names its rows as
 * `w.id = ANY (ids)` (the claim: ANY (ARRAY(its two ordered reads)), computed
 * once), so the primary key is read for exactly those keys whichever side of
 * the join the planner puts the table on. The work table is small in live
 * rows (only what is in hand) but full of dead entries between vacuums (every
 * done event leaves one in the primary key), and with the events' big table
 * gone from these statements, once ANALYZE had seen almost nothing in hand,
 * the planner priced a walk of the whole primary key (outer, the named ids
 * inner) as cheapest: 5,554–5,614 entries read to own, hand back and complete
 * 21 (test/wecom/inbox.test.ts, against 42), and the claim's IN (…) re-ran
 * its two ordered reads once per row it updated.
 *
 * Retention now counts from receipt: handled_at is gone with the rest of the
 * work state (pruneInbox.ts).
 *
 * While this runs, writes to the inbox wait (ALTER TABLE's lock); instances
 * still running the previous code fail their writes to the old columns with
 * 503 after it, and WeCom redelivers to an instance that runs this one.
 */
export class InboxWorkTable1767100000000 implements MigrationInterface {
  name = "InboxWorkTable1767100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE wecom_inbox IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`
      CREATE TABLE wecom_inbox_work (
        id bigint PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'processing', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        last_error text,
        CONSTRAINT wecom_inbox_work_leased_while_processing CHECK ((status = 'processing') = (locked_until IS NOT NULL))
      )`);
    // Every row not done, as it is (1767000000000 left processing rows leased and no lease elsewhere).
    await q.query(`
      INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at, locked_until, last_error)
      SELECT id, status, attempts, next_attempt_at, CASE WHEN status = 'processing' THEN coalesce(locked_until, now()) END, last_error
      FROM wecom_inbox WHERE status <> 'done' ORDER BY id`);
    await q.query(`CREATE INDEX wecom_inbox_work_pending_idx ON wecom_inbox_work (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX wecom_inbox_work_processing_idx ON wecom_inbox_work (locked_until) WHERE locked_until IS NOT NULL`);
    await q.query(`CREATE INDEX wecom_inbox_work_dead_idx ON wecom_inbox_work (id) WHERE status = 'dead'`);

    await q.query(`DROP FUNCTION wecom_inbox_failed(bigint, integer, integer, timestamptz, text)`);
    await q.query(`DROP FUNCTION wecom_inbox_hand_back(bigint[], integer[])`);
    await q.query(`DROP FUNCTION wecom_inbox_done(bigint[], integer[], timestamptz)`);
    await q.query(`DROP FUNCTION wecom_inbox_own(bigint[], integer[])`);
    await q.query(`DROP FUNCTION wecom_inbox_claim(timestamptz, timestamptz, integer)`);
    // The columns' indexes and CHECKs go with them (a dropped column's space is reclaimed as rows are rewritten: never,
    // for an immutable row; pruning removes them).
    await q.query(`
      ALTER TABLE wecom_inbox
        DROP COLUMN status, DROP COLUMN attempts, DROP COLUMN next_attempt_at,
        DROP COLUMN locked_until, DROP COLUMN last_error, DROP COLUMN handled_at`);

    // Claim: expired leases first, then pending and due, oldest first, each by an ordered scan of its partial index and
    // stopped once the claim is full (the UNION ALL's branches are read lazily under the LIMIT, so no row is locked
    // that the claim does not take); SKIP LOCKED lets instances claim side by side; attempts is bumped at claim time
    // (a crash still uses an attempt) and (id, attempts) is the lease token. Then kind and payload by primary key.
    await q.query(`
      CREATE FUNCTION wecom_inbox_claim(claim_at timestamptz, lease_until timestamptz, max_rows integer)
      RETURNS TABLE (id text, kind text, payload jsonb, attempts integer)
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      BEGIN
        RETURN QUERY
        WITH claimed AS (
          UPDATE wecom_inbox_work AS w SET status = 'processing', attempts = w.attempts + 1, locked_until = lease_until
          WHERE w.id = ANY (ARRAY(
            SELECT c.id FROM (
              SELECT e.id FROM (
                SELECT x.id FROM wecom_inbox_work AS x WHERE x.status = 'processing' AND x.locked_until <= claim_at
                ORDER BY x.locked_until LIMIT max_rows FOR UPDATE SKIP LOCKED) AS e
              UNION ALL
              SELECT d.id FROM (
                SELECT p.id FROM wecom_inbox_work AS p WHERE p.status = 'pending' AND p.next_attempt_at <= claim_at
                ORDER BY p.next_attempt_at LIMIT max_rows FOR UPDATE SKIP LOCKED) AS d) AS c
            LIMIT max_rows))
          RETURNING w.id AS work_id, w.attempts AS work_attempts)
        SELECT c.work_id::text, i.kind, i.payload, c.work_attempts
        FROM claimed AS c JOIN wecom_inbox AS i ON i.id = c.work_id;
      END
      $$`);
    // The rows of a batch the caller still owns, locked until its transaction ends, in id order (one lock order).
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
    // Done: the work rows still ours are deleted; the event stays as received.
    await q.query(`
      CREATE FUNCTION wecom_inbox_done(ids bigint[], tokens integer[]) RETURNS integer
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
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
      $$`);
    // Shutdown: claimed rows never started go back to pending, as if never claimed (the attempt is not counted).
    await q.query(updateNamedWork("wecom_inbox_hand_back", "status = 'pending', attempts = w.attempts - 1, locked_until = NULL"));
    // A failed attempt: pending again at retry_at, or dead once it was the last; the new status (NULL: not ours).
    await q.query(`
      CREATE FUNCTION wecom_inbox_failed(row_id bigint, token integer, max_attempts integer, retry_at timestamptz, error text)
      RETURNS text
      LANGUAGE plpgsql VOLATILE ${byPrimaryKey}
      AS $$
      DECLARE
        now_status text;
      BEGIN
        UPDATE wecom_inbox_work AS w
        SET status = CASE WHEN w.attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
            next_attempt_at = retry_at, locked_until = NULL, last_error = error
        WHERE w.id = row_id AND w.attempts = token AND w.status = 'processing'
        RETURNING w.status INTO now_status;
        RETURN now_status;
      END
      $$`);
    // For people and tests, never for the product's hot paths: each event with its derived status (done: no work row).
    await q.query(`
      CREATE VIEW wecom_inbox_with_status AS
      SELECT i.id, i.dedupe_key, i.kind, i.raw_xml, i.payload, i.received_at,
             coalesce(w.status, 'done') AS status, w.attempts, w.next_attempt_at, w.locked_until, w.last_error
      FROM wecom_inbox AS i LEFT JOIN wecom_inbox_work AS w ON w.id = i.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE wecom_inbox IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`DROP VIEW wecom_inbox_with_status`);
    await q.query(`DROP FUNCTION wecom_inbox_failed(bigint, integer, integer, timestamptz, text)`);
    await q.query(`DROP FUNCTION wecom_inbox_hand_back(bigint[], integer[])`);
    await q.query(`DROP FUNCTION wecom_inbox_done(bigint[], integer[])`);
    await q.query(`DROP FUNCTION wecom_inbox_own(bigint[], integer[])`);
    await q.query(`DROP FUNCTION wecom_inbox_claim(timestamptz, timestamptz, integer)`);
    // The old columns (1764100000000), filled from the work rows; an event without one is done, handled as received
    // (when it was handled is not kept).
    await q.query(`
      ALTER TABLE wecom_inbox
        ADD COLUMN status text NOT NULL DEFAULT 'done' CHECK (status IN ('pending', 'processing', 'done', 'dead')),
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN locked_until timestamptz,
        ADD COLUMN last_error text,
        ADD COLUMN handled_at timestamptz`);
    await q.query(`
      UPDATE wecom_inbox AS i
      SET status = w.status, attempts = w.attempts, next_attempt_at = w.next_attempt_at, locked_until = w.locked_until, last_error = w.last_error
      FROM wecom_inbox_work AS w WHERE w.id = i.id`);
    await q.query(`UPDATE wecom_inbox SET next_attempt_at = received_at, handled_at = received_at WHERE status = 'done'`);
    await q.query(`ALTER TABLE wecom_inbox ALTER COLUMN next_attempt_at SET NOT NULL, ALTER COLUMN status SET DEFAULT 'pending'`);
    await q.query(`DROP TABLE wecom_inbox_work`);
    await q.query(`CREATE INDEX wecom_inbox_pending_idx ON wecom_inbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX wecom_inbox_processing_idx ON wecom_inbox (locked_until) WHERE locked_until IS NOT NULL`);
    await q.query(`CREATE INDEX wecom_inbox_dead_idx ON wecom_inbox (id) WHERE status = 'dead'`);
    await q.query(`CREATE INDEX wecom_inbox_done_idx ON wecom_inbox (handled_at) WHERE status = 'done'`);
    await q.query(`
      ALTER TABLE wecom_inbox ADD CONSTRAINT wecom_inbox_leased_while_processing
      CHECK ((status = 'processing') = (locked_until IS NOT NULL))`);
    // The functions as migrations 1766710000000 and 1767000000001 made them.
    await new InboxClaimByOrderedScans1766710000000().up(q);
    await new InboxWritesByPrimaryKey1767000000001().up(q);
  }
}
