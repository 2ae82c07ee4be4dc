import type { MigrationInterface, QueryRunner } from "typeorm";
import { parseEvent } from "../src/wecom/events/parseEvent";

/** The settings of wecom_inbox_claim since 1767100000000 (a join of named ids can only be primary-key lookups). */
const byPrimaryKey = `
      SET enable_seqscan = off
      SET enable_bitmapscan = off
      SET enable_hashjoin = off
      SET enable_mergejoin = off`;

/** The claim of 1767100000000, returning `column` of the event store (payload before this migration, raw_xml after). */
const claim = (column: "payload" | "raw_xml") => `
      CREATE FUNCTION wecom_inbox_claim(claim_at timestamptz, lease_until timestamptz, max_rows integer)
      RETURNS TABLE (id text, kind text, ${column} ${column === "payload" ? "jsonb" : "text"}, attempts integer)
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
        SELECT c.work_id::text, i.kind, i.${column}, c.work_attempts
        FROM claimed AS c JOIN wecom_inbox AS i ON i.id = c.work_id;
      END
      $$`;

const view = (columns: string) => `
      CREATE VIEW wecom_inbox_with_status AS
      SELECT ${columns},
             coalesce(w.status, 'done') AS status, w.attempts, w.next_attempt_at, w.locked_until, w.last_error
      FROM wecom_inbox AS i LEFT JOIN wecom_inbox_work AS w ON w.id = i.id`;

/** Rows re-parsed per round trip by down(). */
const DOWN_BATCH = 500;

/**
 * The event store keeps the callback as received (its decrypted XML) and no
 * longer a parsed copy beside it (issue 20). The parsed event was a second
 * ~0.4 KB of every row: PostgreSQL parsed it as jsonb, stored it and logged it
 * in the WAL, and Node serialised it, for every callback, while only events
 * claimed from the table (retries, another instance's, a backlog past the
 * in-memory handoff) ever read it back. The worker now parses the XML of those
 * with the route's own parser. Measured in the callback ingress bench's route,
 * stored copy on and off alternated in one process, 6 pairs: PostgreSQL CPU
 * per callback 64–77 → 53–66 µs, Node's main thread 180–194 → 166–180 µs.
 *
 * down() puts the column back filled by the same parser (an XML it cannot
 * read gets `{}`, as an unknown event), then the claim and the view that read it.
 */
export class InboxKeepsOnlyTheXml1767200000000 implements MigrationInterface {
  name = "InboxKeepsOnlyTheXml1767200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE wecom_inbox IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`DROP VIEW wecom_inbox_with_status`);
    await q.query(`DROP FUNCTION wecom_inbox_claim(timestamptz, timestamptz, integer)`);
    await q.query(`ALTER TABLE wecom_inbox DROP COLUMN payload`);
    await q.query(claim("raw_xml"));
    await q.query(view("i.id, i.dedupe_key, i.kind, i.raw_xml, i.received_at"));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE wecom_inbox IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`DROP VIEW wecom_inbox_with_status`);
    await q.query(`DROP FUNCTION wecom_inbox_claim(timestamptz, timestamptz, integer)`);
    await q.query(`ALTER TABLE wecom_inbox ADD COLUMN payload jsonb`);
    for (let after = "0"; ; ) {
      const rows = (await q.query(`SELECT id::text AS id, raw_xml FROM wecom_inbox WHERE id > $1 ORDER BY id LIMIT ${DOWN_BATCH}`, [after])) as {
        id: string;
        raw_xml: string;
      }[];
      if (rows.length === 0) break;
      await q.query(`UPDATE wecom_inbox AS i SET payload = p.payload FROM jsonb_to_recordset($1::jsonb) AS p(id bigint, payload jsonb) WHERE i.id = p.id`, [
        JSON.stringify(rows.map((r) => ({ id: r.id, payload: parsedOrEmpty(r.raw_xml) }))),
      ]);
      after = rows[rows.length - 1]!.id;
    }
    await q.query(`ALTER TABLE wecom_inbox ALTER COLUMN payload SET NOT NULL`);
    await q.query(claim("payload"));
    await q.query(view("i.id, i.dedupe_key, i.kind, i.raw_xml, i.payload, i.received_at"));
  }
}

function parsedOrEmpty(xml: string): object {
  try {
    return parseEvent(xml);
  } catch {
    return {};
  }
}
