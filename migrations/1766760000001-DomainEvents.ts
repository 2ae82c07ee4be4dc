import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Domain events between capabilities (issue 17): an event is written in the publisher's transaction; the bus
 * fans it out to the subscribers registered when it first sees it, and delivers each once, retrying a failed
 * handler with backoff and giving up (kept, with the error) after ten failures.
 */
export class DomainEvents1766760000001 implements MigrationInterface {
  name = "DomainEvents1766760000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE domain_event (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        fanned_out_at timestamptz
      )`);
    await q.query(`CREATE INDEX domain_event_new ON domain_event (id) WHERE fanned_out_at IS NULL`);
    await q.query(`
      CREATE TABLE domain_event_delivery (
        event_id bigint NOT NULL REFERENCES domain_event (id),
        subscriber text NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        error text,
        done_at timestamptz,
        given_up_at timestamptz,
        PRIMARY KEY (event_id, subscriber)
      )`);
    await q.query(`CREATE INDEX domain_event_delivery_due ON domain_event_delivery (next_attempt_at, event_id) WHERE done_at IS NULL AND given_up_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE domain_event_delivery`);
    await q.query(`DROP TABLE domain_event`);
  }
}
