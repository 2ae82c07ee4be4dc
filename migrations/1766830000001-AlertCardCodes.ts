import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The code WeCom answered the sending of an alert's card with (message/send's response_code: once, 72 h,
 * path/90236 and path/94888), so that freezing the account or marking a false positive in the console greys
 * the card's buttons out too (issue 15). One card per alert (its task_id is "alert-<id>"), so one code.
 */
export class AlertCardCodes1766830000001 implements MigrationInterface {
  name = "AlertCardCodes1766830000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_card_code (
        alert_id bigint PRIMARY KEY REFERENCES alert(id),
        response_code text NOT NULL UNIQUE,
        issued_at timestamptz NOT NULL,
        used_at timestamptz,
        used_for text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_card_code`);
  }
}
