import type { MigrationInterface, QueryRunner } from "typeorm";

/** A group's name as WeCom reports it (groupchat/get), so HR reads which group needs them, never a chat id. */
export class GroupTransferName1766130000001 implements MigrationInterface {
  name = "GroupTransferName1766130000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE group_transfer ADD COLUMN chat_name text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE group_transfer DROP COLUMN chat_name`);
  }
}
