import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Media of archived image/voice/video/file messages, fetched in chunks from
 * the archive (GetMediaData) and sealed at rest with the data key ring, like
 * message bodies. One row per (message, sdkfileid): a mixed message can carry
 * several files. Rows start pending; repeated failures end as 'dead' (the
 * dead letter, with the last error) and files over the size bound as
 * 'too_large', so nothing is silently dropped.
 */
export class ArchiveMedia1764900000000 implements MigrationInterface {
  name = "ArchiveMedia1764900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE archive_media (
        msgid text NOT NULL,
        sdkfileid text NOT NULL,
        msg_time timestamptz NOT NULL,
        msgtype text NOT NULL,
        filename text,
        expected_size bigint,
        md5sum text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'too_large', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        size bigint,
        data_ciphertext bytea,
        data_key_id text,
        created_at timestamptz NOT NULL,
        stored_at timestamptz,
        PRIMARY KEY (msgid, sdkfileid),
        CHECK (status <> 'stored' OR (data_ciphertext IS NOT NULL AND data_key_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX archive_media_due ON archive_media (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX archive_media_time ON archive_media (msg_time)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE archive_media`);
  }
}
