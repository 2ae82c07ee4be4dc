import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Durable inbox for WeCom callbacks: a callback is acknowledged only once its
 * row is here, and handled later by workers. dedupe_key absorbs WeCom's
 * redeliveries; attempts/next_attempt_at/locked_until drive retries and
 * reclaiming rows a crashed worker held.
 */
export class WeComInbox1764100000000 implements MigrationInterface {
  name = "WeComInbox1764100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wecom_inbox (
        id bigserial PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        raw_xml text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        last_error text,
        received_at timestamptz NOT NULL,
        handled_at timestamptz
      )`);
    await q.query(`CREATE INDEX wecom_inbox_pending_idx ON wecom_inbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX wecom_inbox_processing_idx ON wecom_inbox (locked_until) WHERE status = 'processing'`);
    await q.query(`CREATE INDEX wecom_inbox_dead_idx ON wecom_inbox (id) WHERE status = 'dead'`);
    await q.query(`CREATE INDEX wecom_inbox_done_idx ON wecom_inbox (handled_at) WHERE status = 'done'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE wecom_inbox`);
  }
}
