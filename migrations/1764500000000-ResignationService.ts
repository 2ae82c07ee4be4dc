import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What the resignation service needs beyond the case schema: the handover
 * parties and contract term on the case, when the checklist was generated
 * (reminders count from it), and an outbox so a WeCom message is sent only
 * for a transaction that committed, exactly once, with its msgid recorded.
 */
export class ResignationService1764500000000 implements MigrationInterface {
  name = "ResignationService1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE resignation_case
        ADD COLUMN receiver_userid text,
        ADD COLUMN supervisor_userid text,
        ADD COLUMN contract_start date,
        ADD COLUMN contract_end date,
        ADD COLUMN checklist_generated_at timestamptz`);
    await q.query(`
      CREATE TABLE resignation_outbox (
        id bigserial PRIMARY KEY,
        case_id uuid REFERENCES resignation_case(id),
        kind text NOT NULL,
        message jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        sent_at timestamptz,
        failed_at timestamptz,
        result jsonb
      )`);
    await q.query(`CREATE INDEX resignation_outbox_due ON resignation_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resignation_outbox`);
    await q.query(`
      ALTER TABLE resignation_case
        DROP COLUMN receiver_userid, DROP COLUMN supervisor_userid, DROP COLUMN contract_start,
        DROP COLUMN contract_end, DROP COLUMN checklist_generated_at`);
  }
}
