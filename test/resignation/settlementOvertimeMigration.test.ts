import { randomUUID } from "node:crypto";
import { SettlementOvertime1766740000000 } from "../../migrations/1766740000000-SettlementOvertime";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "../support/testDatabase";

/**
 * Settlement inputs entered before overtime was asked for get 0 overtime for
 * each of their months (so their leave pay is what it was until HR re-enters
 * the overtime); the table then refuses overtime that does not line up.
 */
describe("migration: each month's overtime beside its wage", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  it("gives existing rows 0 overtime per month and refuses misaligned or negative overtime", async () => {
    const migration = new SettlementOvertime1766740000000();
    const runner = db.dataSource.createQueryRunner();
    const q = (sql: string, params: unknown[] = []) => runner.query(sql, params);
    try {
      await migration.down(runner);
      const caseId = randomUUID();
      await q(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '示例教育集团', NULL, 'hq', '{1}') ON CONFLICT DO NOTHING`);
      await q(
        `INSERT INTO resignation_case (id, employee_userid, origin, state, notice_date, requested_last_day, earliest_last_day, last_day, reason_category, department_id, created_at, updated_at)
         VALUES ($1, 'li_laoshi', 'employee', 'approved', '2026-02-27', '2026-03-27', '2026-03-27', '2026-03-27', 'personal', 1, now(), now())`,
        [caseId],
      );
      await q(
        `INSERT INTO settlement_input (case_id, ground, monthly_wages_fen, leave_entitlement_days, leave_taken_days, updated_by, updated_at)
         VALUES ($1, 'lcl37_resignation', '{900000,900000,1200000}', 10, 0, 'hr_a', now())`,
        [caseId],
      );

      await migration.up(runner);

      expect(await q(`SELECT monthly_wages_fen, monthly_overtime_fen FROM settlement_input WHERE case_id = $1`, [caseId])).toEqual([
        { monthly_wages_fen: ["900000", "900000", "1200000"], monthly_overtime_fen: ["0", "0", "0"] },
      ]);
      await expect(q(`UPDATE settlement_input SET monthly_overtime_fen = '{0,0}' WHERE case_id = $1`, [caseId])).rejects.toThrow(/settlement_input_overtime_per_month/);
      await expect(q(`UPDATE settlement_input SET monthly_overtime_fen = '{0,-1,0}' WHERE case_id = $1`, [caseId])).rejects.toThrow(/settlement_input_overtime_per_month/);
      await q(`UPDATE settlement_input SET monthly_overtime_fen = '{30000,0,240000}' WHERE case_id = $1`, [caseId]);
    } finally {
      await runner.release();
    }
  });
});
