import type { MigrationInterface, QueryRunner } from "typeorm";

/** Operator-editable settings (approval chains, quiet hours, alert channels) keyed by scope. */
export class AppSettings1764000000000 implements MigrationInterface {
  name = "AppSettings1764000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_setting (
        key text NOT NULL,
        scope text NOT NULL DEFAULT 'global',
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text,
        PRIMARY KEY (key, scope)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_setting`);
  }
}
