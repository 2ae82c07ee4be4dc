import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Only the WeCom account's state is known to the service (the directory
 * mirror). Checklist items for other accounts (a school-records system, mail)
 * were marked automatic and ticked "verified" when the WeCom account closed,
 * which nobody had checked: they become IT's to confirm by hand, and a tick
 * the system gave them is taken back.
 */
export class ChecklistAccountsBeyondWeCom1766350000000 implements MigrationInterface {
  name = "ChecklistAccountsBeyondWeCom1766350000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE handover_item
      SET auto = false,
          done_at = CASE WHEN done_by = 'system' THEN NULL ELSE done_at END,
          note = CASE WHEN done_by = 'system' THEN NULL ELSE note END,
          done_by = CASE WHEN done_by = 'system' THEN NULL ELSE done_by END
      WHERE kind = 'account_disabled' AND detail->>'key' <> 'account:wecom'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE handover_item SET auto = true WHERE kind = 'account_disabled'`);
  }
}
