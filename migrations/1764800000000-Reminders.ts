import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * 24-hour reminders for open steps. The sweep reads only reminders that are
 * due (partial index on next_due_at), so its cost follows the due work, not
 * the number of idle cases. Each reminder sent is a numbered delivery row:
 * the primary key makes a second send of the same reminder impossible.
 */
export class Reminders1764800000000 implements MigrationInterface {
  name = "Reminders1764800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder (
        id bigserial PRIMARY KEY,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        recipient_userid text NOT NULL,
        case_id uuid,
        department_id integer,
        opened_at timestamptz NOT NULL,
        next_due_at timestamptz,
        reminders_sent integer NOT NULL DEFAULT 0,
        last_sent_at timestamptz,
        escalated_at timestamptz,
        done_at timestamptz,
        UNIQUE (subject_kind, subject_id, recipient_userid)
      )`);
    await q.query(`CREATE INDEX reminder_due ON reminder (next_due_at) WHERE done_at IS NULL`);
    await q.query(`CREATE INDEX reminder_case ON reminder (case_id) WHERE case_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE reminder_delivery (
        reminder_id bigint NOT NULL REFERENCES reminder(id),
        seq integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reminder','escalation')),
        recipients text[] NOT NULL,
        queued_at timestamptz NOT NULL,
        PRIMARY KEY (reminder_id, seq, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reminder_delivery`);
    await q.query(`DROP TABLE reminder`);
  }
}
