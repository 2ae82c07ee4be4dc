import { AlumniOutreachThroughOutbox1766740000001 } from "../../migrations/1766740000001-AlumniOutreachThroughOutbox";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "../support/testDatabase";

/** Sends recorded before alumni 群发 went through the outbox get the outcome their errcode meant. */
describe("migration: alumni sends get an outcome", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  it("errcode 0 → sent, none (answer lost) → unknown, any other → failed; then only the four outcomes", async () => {
    const migration = new AlumniOutreachThroughOutbox1766740000001();
    const runner = db.dataSource.createQueryRunner();
    const q = (sql: string, params: unknown[] = []) => runner.query(sql, params);
    try {
      await migration.down(runner);
      await q(
        `INSERT INTO alumni_outreach_send (topic, content, sender, recipients, wecom_msgid, errcode, created_by, created_at) VALUES
         ('festival', '中秋快乐', 'hr_bj', '{old_1}', 'msg1', 0, 'hr_bj', now()),
         ('festival', '国庆快乐', 'hr_bj', '{old_1}', NULL, NULL, 'hr_bj', now()),
         ('jobs', '招聘', 'hr_bj', '{old_1}', NULL, 41048, 'hr_bj', now())`,
      );
      await migration.up(runner);
      expect(await q(`SELECT content, outcome FROM alumni_outreach_send ORDER BY id`)).toEqual([
        { content: "中秋快乐", outcome: "sent" },
        { content: "国庆快乐", outcome: "unknown" },
        { content: "招聘", outcome: "failed" },
      ]);
      await expect(q(`UPDATE alumni_outreach_send SET outcome = 'maybe'`)).rejects.toThrow(/alumni_outreach_send_outcome/);
    } finally {
      await runner.release();
    }
  });
});
