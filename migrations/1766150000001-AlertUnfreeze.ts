import type { MigrationInterface, QueryRunner } from "typeorm";

/** A frozen account can be unfrozen (a false alarm found after the freeze): the action is recorded like the freeze. */
export class AlertUnfreeze1766150000001 implements MigrationInterface {
  name = "AlertUnfreeze1766150000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_action DROP CONSTRAINT alert_action_action_check`);
    await q.query(`ALTER TABLE alert_action ADD CONSTRAINT alert_action_action_check CHECK (action IN ('freeze', 'freeze_it_task', 'false_positive', 'unfreeze'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM alert_action WHERE action = 'unfreeze'`);
    await q.query(`ALTER TABLE alert_action DROP CONSTRAINT alert_action_action_check`);
    await q.query(`ALTER TABLE alert_action ADD CONSTRAINT alert_action_action_check CHECK (action IN ('freeze', 'freeze_it_task', 'false_positive'))`);
  }
}
