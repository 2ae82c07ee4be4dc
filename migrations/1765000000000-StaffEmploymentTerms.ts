import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Employment terms WeCom does not carry (hire date and probation already
 * exist): the contract's start and end, needed on the termination
 * certificate (Regs 24), set by HR.
 */
export class StaffEmploymentTerms1765000000000 implements MigrationInterface {
  name = "StaffEmploymentTerms1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff ADD COLUMN contract_start date, ADD COLUMN contract_end date, ADD COLUMN terms_updated_by text, ADD COLUMN terms_updated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff DROP COLUMN contract_start, DROP COLUMN contract_end, DROP COLUMN terms_updated_by, DROP COLUMN terms_updated_at`);
  }
}
