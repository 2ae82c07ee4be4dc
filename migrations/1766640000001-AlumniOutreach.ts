import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Opt-in outreach to the alumni pool (seed 004): which leaver agreed to hear
 * from the school, on what (festival greetings, job openings), through which
 * HR member's WeCom (the alum is that member's customer), with the words of
 * their agreement; and every 群发 sent, with WeCom's answer.
 */
export class AlumniOutreach1766640000001 implements MigrationInterface {
  name = "AlumniOutreach1766640000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alumni_outreach_optin (
        userid text PRIMARY KEY REFERENCES alumni(userid) ON UPDATE CASCADE ON DELETE CASCADE,
        contact_userid text NOT NULL,
        external_userid text NOT NULL,
        festival boolean NOT NULL,
        jobs boolean NOT NULL,
        evidence text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 500),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        withdrawn_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE alumni_outreach_send (
        id bigserial PRIMARY KEY,
        topic text NOT NULL CHECK (topic IN ('festival', 'jobs')),
        content text NOT NULL,
        sender text NOT NULL,
        recipients text[] NOT NULL,
        wecom_msgid text,
        errcode integer,
        fail_list text[] NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alumni_outreach_send`);
    await q.query(`DROP TABLE alumni_outreach_optin`);
  }
}
