import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The codes that let us change an approval card after it was sent (issue 15).
 *
 * WeCom answers message/send of a button card with a response_code, and every click on the card carries
 * its own ResponseCode; each works once, within 72 hours, for message/update_template_card (path/90236,
 * path/94888). approval_card_code keeps both kinds per approval step and round: the send's code with the
 * approvers it reached (unused until a console decision spends it), and every click's code as it is spent,
 * so no code is ever used twice — not by a second console action, not by a replayed click. What came of
 * each update (queued, not tried and why, WeCom's answer) is in the case dossier, the step's record.
 *
 * approval_step.decided_via says where the step was decided, so a card clicked after a console decision is
 * answered as such instead of as a silent duplicate. Older decisions stay NULL (unknown: treated as card).
 */
export class ApprovalCardCodes1766830000000 implements MigrationInterface {
  name = "ApprovalCardCodes1766830000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approval_step ADD COLUMN decided_via text CHECK (decided_via IN ('card','console'))`);
    await q.query(`
      CREATE TABLE approval_card_code (
        response_code text PRIMARY KEY,
        source text NOT NULL CHECK (source IN ('send','click')),
        step_id uuid NOT NULL REFERENCES approval_step(id),
        round smallint NOT NULL,
        recipients text[] NOT NULL,
        issued_at timestamptz NOT NULL,
        used_at timestamptz,
        used_for text
      )`);
    // One card per step and round, so one send code.
    await q.query(`CREATE UNIQUE INDEX approval_card_code_send ON approval_card_code (step_id, round) WHERE source = 'send'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE approval_card_code`);
    await q.query(`ALTER TABLE approval_step DROP COLUMN decided_via`);
  }
}
