import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * When a transfer notice was last attempted. add_msg_template has no server-side dedupe, so the attempt is
 * committed before the call; a notice with an attempt and no answer (a crash, a timeout) is looked up in
 * WeCom's 群发 records before it is sent again, and the attempt time doubles as a lease between instances.
 */
export class TransferNoticeAttempt1766330000000 implements MigrationInterface {
  name = "TransferNoticeAttempt1766330000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer_notification ADD COLUMN attempted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfer_notification DROP COLUMN attempted_at`);
  }
}
