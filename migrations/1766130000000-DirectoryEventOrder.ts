import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Directory events apply in any order: each mirrored field remembers the WeCom time (event CreateTime or
 * full-sync time, epoch seconds) of the value it holds, so a late event never overwrites a newer value;
 * a userid rename (update_user NewUserID) is remembered so a late event for the old userid reaches the
 * renamed member instead of resurrecting the old one.
 */
export class DirectoryEventOrder1766130000000 implements MigrationInterface {
  name = "DirectoryEventOrder1766130000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff ADD COLUMN field_times jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE department ADD COLUMN field_times jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE staff_userid_rename (
        old_userid text PRIMARY KEY,
        new_userid text NOT NULL,
        renamed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_userid_rename`);
    await q.query(`ALTER TABLE department DROP COLUMN field_times`);
    await q.query(`ALTER TABLE staff DROP COLUMN field_times`);
  }
}
