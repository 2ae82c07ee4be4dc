import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Alumni 群发 go through the one WeCom outbox, which looks a task up in WeCom's group-send records before
 * any second try (a lost answer to add_msg_template never becomes a second 群发). Each send now has an
 * outcome: queued (in the outbox), sent (WeCom created the task), failed (WeCom refused it), unknown (it
 * may exist; never repeated). Rows from before: errcode 0 → sent, no errcode → unknown (their answer was
 * lost), any other errcode → failed.
 */
export class AlumniOutreachThroughOutbox1766740000001 implements MigrationInterface {
  name = "AlumniOutreachThroughOutbox1766740000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alumni_outreach_send ADD COLUMN outcome text`);
    await q.query(`UPDATE alumni_outreach_send SET outcome = CASE WHEN errcode = 0 THEN 'sent' WHEN errcode IS NULL THEN 'unknown' ELSE 'failed' END`);
    await q.query(`ALTER TABLE alumni_outreach_send ALTER COLUMN outcome SET NOT NULL, ADD CONSTRAINT alumni_outreach_send_outcome CHECK (outcome IN ('queued', 'sent', 'failed', 'unknown'))`);
    await q.query(`ALTER TABLE alumni_outreach_send ADD COLUMN outcome_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alumni_outreach_send DROP COLUMN outcome_at, DROP COLUMN outcome`);
  }
}
