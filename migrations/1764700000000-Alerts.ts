import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * HR risk alerts.
 *
 * - risk_cursor: the last archive seq the detector committed; detection state,
 *   alerts and the cursor move in one transaction, so a restart resumes
 *   exactly after the last processed message (no gap, no double alert).
 * - risk_staff_state: the pure detector's per-staff state (JSON).
 * - alert: one row per incident (incident_key unique); later hits update it.
 * - alert_outbox / alert_delivery: durable notifications; every attempt is
 *   recorded with its errcode and msgid, rows are never dropped.
 * - alert_action: who froze / marked false positive, when and why. A false
 *   positive changes no rule: the record is for the rule's owner to read.
 * - alert_it_task: a freeze that needs IT because the contact secret is absent.
 * - alert_intercept_rule: keyword rules mirrored into WeCom's interception.
 */
export class Alerts1764700000000 implements MigrationInterface {
  name = "Alerts1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_branch_settings (
        branch_id integer PRIMARY KEY,
        rules jsonb NOT NULL,
        notifier jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE risk_cursor (
        name text PRIMARY KEY,
        last_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE risk_staff_state (
        staff_userid text PRIMARY KEY,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Catch-up after a restart reads the archive in seq order.
    await q.query(`CREATE INDEX archive_message_seq ON archive_message (seq)`);

    await q.query(`
      CREATE TABLE alert (
        id bigserial PRIMARY KEY,
        incident_key text NOT NULL UNIQUE,
        branch_id integer NOT NULL,
        rule_id text NOT NULL,
        kind text NOT NULL,
        severity text NOT NULL,
        delivery text NOT NULL CHECK (delivery IN ('immediate', 'digest')),
        staff_userid text NOT NULL,
        auditor_userid text NOT NULL,
        parents text[] NOT NULL,
        hit_msgids text[] NOT NULL,
        reasons text[] NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'frozen', 'freeze_pending_it', 'false_positive')),
        case_id uuid,
        opened_at timestamptz NOT NULL,
        last_hit_at timestamptz NOT NULL,
        digested_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX alert_staff ON alert (staff_userid, opened_at DESC)`);
    await q.query(`CREATE INDEX alert_digest_due ON alert (branch_id) WHERE delivery = 'digest' AND digested_at IS NULL`);

    await q.query(`
      CREATE TABLE alert_outbox (
        id bigserial PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('webhook', 'app')),
        target text NOT NULL,
        alert_id bigint REFERENCES alert (id),
        purpose text NOT NULL CHECK (purpose IN ('alert', 'digest', 'it_task')),
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX alert_outbox_due ON alert_outbox (channel, next_attempt_at) WHERE sent_at IS NULL`);
    await q.query(`
      CREATE TABLE alert_delivery (
        id bigserial PRIMARY KEY,
        outbox_ids bigint[] NOT NULL,
        channel text NOT NULL,
        target text NOT NULL,
        attempted_at timestamptz NOT NULL,
        errcode integer,
        msgid text,
        error text
      )`);

    await q.query(`
      CREATE TABLE alert_action (
        id bigserial PRIMARY KEY,
        alert_id bigint NOT NULL REFERENCES alert (id),
        action text NOT NULL CHECK (action IN ('freeze', 'freeze_it_task', 'false_positive')),
        actor_userid text NOT NULL,
        via text NOT NULL CHECK (via IN ('card', 'console')),
        reason text NOT NULL DEFAULT '',
        result jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE alert_it_task (
        id bigserial PRIMARY KEY,
        alert_id bigint NOT NULL REFERENCES alert (id),
        kind text NOT NULL CHECK (kind IN ('freeze_account')),
        staff_userid text NOT NULL,
        requested_by text NOT NULL,
        opened_at timestamptz NOT NULL,
        done_at timestamptz,
        done_by text
      )`);
    await q.query(`CREATE UNIQUE INDEX alert_it_task_one_open ON alert_it_task (staff_userid, kind) WHERE done_at IS NULL`);

    await q.query(`
      CREATE TABLE alert_intercept_rule (
        branch_id integer NOT NULL,
        rule_id text NOT NULL,
        part integer NOT NULL,
        payload_hash text NOT NULL,
        wecom_rule_id text NOT NULL,
        pushed_at timestamptz NOT NULL,
        PRIMARY KEY (branch_id, rule_id, part)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_intercept_rule, alert_it_task, alert_action, alert_delivery, alert_outbox, alert, risk_staff_state, risk_cursor, risk_branch_settings`);
    await q.query(`DROP INDEX archive_message_seq`);
  }
}
