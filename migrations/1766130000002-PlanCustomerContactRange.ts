import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The members in WeCom's 客户联系 range when the plan was made (externalcontact/get_follow_user_list):
 * only they can take parents over, so planning refuses anyone else with the reason. NULL = not read.
 */
export class PlanCustomerContactRange1766130000002 implements MigrationInterface {
  name = "PlanCustomerContactRange1766130000002";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_plan ADD COLUMN customer_contact_users text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_plan DROP COLUMN customer_contact_users`);
  }
}
