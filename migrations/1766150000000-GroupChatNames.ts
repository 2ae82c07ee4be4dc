import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Customer group chats by name: WeCom's groupchat/list gives only chat ids, so
 * the name read from groupchat/get is remembered here and pages show
 * "三年级一班家长群", never "wr…".
 */
export class GroupChatNames1766150000000 implements MigrationInterface {
  name = "GroupChatNames1766150000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE group_chat (chat_id text PRIMARY KEY, name text NOT NULL, owner_userid text, updated_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE group_chat`);
  }
}
