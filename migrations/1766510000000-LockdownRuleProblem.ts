import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * WeCom refuses a leaver intercept rule whose name another rule of the
 * company holds (41077). The branch's lockdown settings keep that refusal
 * (what WeCom said, since when) until a pass succeeds, so the settings page
 * shows it and HR is messaged once, not every minute; the message goes
 * through the alert outbox under its own purpose.
 */
export class LockdownRuleProblem1766510000000 implements MigrationInterface {
  name = "LockdownRuleProblem1766510000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leaver_lockdown_settings ADD COLUMN rule_problem text, ADD COLUMN rule_problem_at timestamptz`);
    await q.query(`ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_purpose_check`);
    await q.query(`ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_purpose_check CHECK (purpose IN ('alert', 'digest', 'it_task', 'lockdown'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM alert_outbox WHERE purpose = 'lockdown'`);
    await q.query(`ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_purpose_check`);
    await q.query(`ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_purpose_check CHECK (purpose IN ('alert', 'digest', 'it_task'))`);
    await q.query(`ALTER TABLE leaver_lockdown_settings DROP COLUMN rule_problem_at, DROP COLUMN rule_problem`);
  }
}
