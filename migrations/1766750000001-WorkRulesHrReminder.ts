import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * HR's own "remind again" for a member who has not signed the work-account rules (issue 18): when and by whom,
 * so a second click within 24 hours (or a replayed request) sends nothing more. Only unsigned rows change
 * (the signed copy stays immutable under its trigger).
 */
export class WorkRulesHrReminder1766750000001 implements MigrationInterface {
  name = "WorkRulesHrReminder1766750000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_rules_signature ADD COLUMN hr_reminded_at timestamptz, ADD COLUMN hr_reminded_by text, ADD COLUMN hr_reminders integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_rules_signature DROP COLUMN hr_reminded_at, DROP COLUMN hr_reminded_by, DROP COLUMN hr_reminders`);
  }
}
