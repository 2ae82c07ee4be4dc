import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A member's userid can change (change_contact update_user with NewUserID): a leaver's plan then moves to
 * the new userid, and its items must move with it instead of blocking the rename.
 */
export class RenameCascades1766330000001 implements MigrationInterface {
  name = "RenameCascades1766330000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_item DROP CONSTRAINT reassignment_item_leaver_userid_fkey`);
    await q.query(
      `ALTER TABLE reassignment_item ADD CONSTRAINT reassignment_item_leaver_userid_fkey
         FOREIGN KEY (leaver_userid) REFERENCES reassignment_plan(leaver_userid) ON DELETE CASCADE ON UPDATE CASCADE`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_item DROP CONSTRAINT reassignment_item_leaver_userid_fkey`);
    await q.query(
      `ALTER TABLE reassignment_item ADD CONSTRAINT reassignment_item_leaver_userid_fkey
         FOREIGN KEY (leaver_userid) REFERENCES reassignment_plan(leaver_userid) ON DELETE CASCADE`,
    );
  }
}
