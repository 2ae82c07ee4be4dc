import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Archived media moves out of PostgreSQL into a content-addressed object
 * store (files under the data folder, or an S3-compatible bucket).
 *
 * archive_media_object has one row per stored object: its address (SHA-256
 * of the sealed bytes), the keyed digest of its plaintext (so a file sent
 * twice is stored once, without the database revealing which well-known
 * file it is), and how many archive_media rows refer to it. `refs` is kept by
 * triggers on archive_media, in the transaction that inserts, links or
 * deletes a row: every erasure path (a withdrawn pair, a withdrawn group
 * member, retention) and any future one counts correctly without knowing
 * objects exist. An object whose refs reach 0 is deleted from the store by
 * the media garbage collector, which first marks it 'deleting' under the
 * row lock (a new reference can then no longer attach to it), deletes the
 * object, then the row: row first, object after, so a crash leaves at worst
 * a 'deleting' row that the next run finishes, never a reference to a
 * missing object. 'writing' rows are objects being uploaded: one older than
 * the upload lease is what a crash left behind, and is collected too.
 *
 * Existing rows keep their bytes in data_ciphertext until the mover job
 * (src/conversations/media/moveMediaIntoStore.ts) has written and read back
 * each one; the partial index lists what is left to move. The data is moved
 * by a job, not here: a migration runs under the start-up lock, and
 * terabytes must not keep every instance from starting.
 */
export class MediaObjectStore1766770000000 implements MigrationInterface {
  name = "MediaObjectStore1766770000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE archive_media_object (
        address text PRIMARY KEY CHECK (address ~ '^[0-9a-f]{64}$'),
        content_digest text NOT NULL,
        key_id text NOT NULL,
        size bigint NOT NULL,
        refs integer NOT NULL DEFAULT 0 CHECK (refs >= 0),
        state text NOT NULL CHECK (state IN ('writing', 'live', 'deleting')),
        created_at timestamptz NOT NULL
      )`);
    // One live object per content: a file sent again links to it.
    await q.query(`CREATE UNIQUE INDEX archive_media_object_content ON archive_media_object (content_digest) WHERE state = 'live'`);
    await q.query(`CREATE INDEX archive_media_object_garbage ON archive_media_object (created_at) WHERE state <> 'live' OR refs = 0`);
    await q.query(`ALTER TABLE archive_media ADD COLUMN object_address text REFERENCES archive_media_object (address)`);
    await q.query(`CREATE INDEX archive_media_object_ref ON archive_media (object_address) WHERE object_address IS NOT NULL`);
    await q.query(`CREATE INDEX archive_media_unmoved ON archive_media (msgid, sdkfileid) WHERE data_ciphertext IS NOT NULL`);
    await q.query(`ALTER TABLE archive_media DROP CONSTRAINT archive_media_check`);
    await q.query(`ALTER TABLE archive_media ADD CONSTRAINT archive_media_stored_has_data
      CHECK (status <> 'stored' OR object_address IS NOT NULL OR (data_ciphertext IS NOT NULL AND data_key_id IS NOT NULL))`);
    // Statement-level with transition tables: a retention purge of a million rows is one aggregate, not a million updates.
    await q.query(`
      CREATE FUNCTION archive_media_object_refs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE archive_media_object o SET refs = o.refs + d.n
            FROM (SELECT object_address, count(*) AS n FROM new_rows WHERE object_address IS NOT NULL GROUP BY object_address) d
           WHERE o.address = d.object_address;
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE archive_media_object o SET refs = o.refs - d.n
            FROM (SELECT object_address, count(*) AS n FROM old_rows WHERE object_address IS NOT NULL GROUP BY object_address) d
           WHERE o.address = d.object_address;
        ELSE
          UPDATE archive_media_object o SET refs = o.refs + d.n
            FROM (SELECT address, sum(n) AS n FROM (
                    SELECT object_address AS address, 1 AS n FROM new_rows WHERE object_address IS NOT NULL
                    UNION ALL
                    SELECT object_address, -1 FROM old_rows WHERE object_address IS NOT NULL) c
                   GROUP BY address HAVING sum(n) <> 0) d
           WHERE o.address = d.address;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER archive_media_refs_insert AFTER INSERT ON archive_media REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION archive_media_object_refs()`);
    await q.query(`CREATE TRIGGER archive_media_refs_update AFTER UPDATE ON archive_media REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION archive_media_object_refs()`);
    await q.query(`CREATE TRIGGER archive_media_refs_delete AFTER DELETE ON archive_media REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION archive_media_object_refs()`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ moved }] = await q.query(`SELECT count(*)::int AS moved FROM archive_media WHERE object_address IS NOT NULL`);
    if (moved > 0) throw new Error(`${moved} archive_media rows keep their bytes in the object store: move them back before reverting`);
    await q.query(`DROP TRIGGER archive_media_refs_insert ON archive_media`);
    await q.query(`DROP TRIGGER archive_media_refs_update ON archive_media`);
    await q.query(`DROP TRIGGER archive_media_refs_delete ON archive_media`);
    await q.query(`DROP FUNCTION archive_media_object_refs()`);
    await q.query(`ALTER TABLE archive_media DROP CONSTRAINT archive_media_stored_has_data`);
    await q.query(`ALTER TABLE archive_media ADD CONSTRAINT archive_media_check CHECK (status <> 'stored' OR (data_ciphertext IS NOT NULL AND data_key_id IS NOT NULL))`);
    await q.query(`DROP INDEX archive_media_unmoved`);
    await q.query(`ALTER TABLE archive_media DROP COLUMN object_address`);
    await q.query(`DROP TABLE archive_media_object`);
  }
}
