import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 20 (alert latency): each instance keeps the risk states it last read or wrote in memory, and a batch
 * reads only each row's version to know whether its copy is current. A version is taken from a sequence, never
 * from a counter per row, so it is never given twice: a write whose transaction rolled back leaves a version in
 * that instance's memory that no committed row will ever carry, and the next batch reads the row again instead
 * of trusting it.
 */
export class RiskStateVersion1766720000000 implements MigrationInterface {
  name = "RiskStateVersion1766720000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE risk_staff_state_version`);
    await q.query(`ALTER TABLE risk_staff_state ADD COLUMN version bigint NOT NULL DEFAULT nextval('risk_staff_state_version')`);
    await q.query(`ALTER SEQUENCE risk_staff_state_version OWNED BY risk_staff_state.version`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE risk_staff_state DROP COLUMN version`);
  }
}
