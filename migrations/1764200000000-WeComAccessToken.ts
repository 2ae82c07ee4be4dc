import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * WeCom access tokens shared by every instance: gettoken is rate-limited and each fetch may
 * revoke the previous token elsewhere, so one row per (corp, secret kind, secret fingerprint).
 * The fingerprint (sha256) lets a rotated secret get its own row; the secret itself is never stored.
 */
export class WeComAccessToken1764200000000 implements MigrationInterface {
  name = "WeComAccessToken1764200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wecom_access_token (
        corp_id text NOT NULL,
        secret_kind text NOT NULL,
        secret_fingerprint text NOT NULL,
        access_token text NOT NULL,
        expires_at timestamptz NOT NULL,
        fetched_at timestamptz NOT NULL,
        PRIMARY KEY (corp_id, secret_kind, secret_fingerprint)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE wecom_access_token`);
  }
}
