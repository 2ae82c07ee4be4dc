import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A keyed blind index over the encrypted archive (issue 19).
 *
 * Each message gets the set of its tokens (Chinese character bigrams, words,
 * numbers) as HMAC values under the index key named in search_key_id, cut to
 * 32 bits: search_tokens int4[] with a GIN index, created on the partitioned
 * table so every month partition (existing and future, including the ones
 * archive_ensure_month_partition attaches) gets its own. No plaintext and no
 * unkeyed hash is stored; candidates are decrypted and confirmed before
 * anything is shown (README "What the search index leaks").
 *
 * NULL search_key_id = not indexed yet: the back-fill finds those, and rows
 * under a retired key, through archive_message_search_key.
 */
export class ArchiveSearchIndex1766190000000 implements MigrationInterface {
  name = "ArchiveSearchIndex1766190000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE archive_message ADD COLUMN search_tokens int4[], ADD COLUMN search_key_id text`);
    await q.query(`CREATE INDEX archive_message_search ON archive_message USING gin (search_tokens)`);
    await q.query(`CREATE INDEX archive_message_search_key ON archive_message (search_key_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX archive_message_search_key`);
    await q.query(`DROP INDEX archive_message_search`);
    await q.query(`ALTER TABLE archive_message DROP COLUMN search_key_id, DROP COLUMN search_tokens`);
  }
}
