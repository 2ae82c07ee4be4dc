import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Unused-leave pay is reckoned on the average monthly wage *without overtime
 * pay* (企业职工带薪年休假实施办法 11), compensation on the average *with* it
 * (劳动合同法实施条例 27), so HR's settlement input keeps each month's overtime
 * beside its wage. Rows entered before this carried no overtime figure: they
 * get 0 for every month (their leave pay stays as it was computed, with any
 * overtime still inside, until HR re-enters the month's overtime).
 */
export class SettlementOvertime1766740000000 implements MigrationInterface {
  name = "SettlementOvertime1766740000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE settlement_input ADD COLUMN monthly_overtime_fen bigint[]`);
    await q.query(`UPDATE settlement_input SET monthly_overtime_fen = array_fill(0::bigint, ARRAY[cardinality(monthly_wages_fen)])`);
    await q.query(`ALTER TABLE settlement_input ALTER COLUMN monthly_overtime_fen SET NOT NULL`);
    // One overtime figure per wage month, never negative (that it is within the month's wage is the
    // rule's check, leaveMonthlyWage: a CHECK constraint cannot compare arrays element-wise without a subquery).
    await q.query(`
      ALTER TABLE settlement_input ADD CONSTRAINT settlement_input_overtime_per_month CHECK (
        cardinality(monthly_overtime_fen) = cardinality(monthly_wages_fen) AND 0 <= ALL (monthly_overtime_fen)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE settlement_input DROP COLUMN monthly_overtime_fen`);
  }
}
