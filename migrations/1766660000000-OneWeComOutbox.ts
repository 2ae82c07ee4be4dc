import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * One outbox for everything sent to WeCom (issue 17): the resignation outbox and the alert outbox (with its
 * delivery log) become wecom_outbox and wecom_outbox_attempt. Every row moves, sent or not, so history and
 * pending messages survive: a resignation row keeps its case and kind in `ref`, an alert row its alert and
 * purpose; pending rows keep their due time and attempts. The senders' own tables (reminder_delivery, the
 * dossier, transfer notices) stay theirs.
 */
export class OneWeComOutbox1766660000000 implements MigrationInterface {
  name = "OneWeComOutbox1766660000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wecom_outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        ref jsonb NOT NULL DEFAULT '{}',
        channel text NOT NULL CHECK (channel IN ('app', 'card_update', 'robot')),
        target text,
        message jsonb NOT NULL,
        duplicate_check boolean NOT NULL,
        give_up_after integer,
        created_at timestamptz NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        sent_at timestamptz,
        failed_at timestamptz,
        result jsonb,
        moved_from text,
        CHECK (channel = 'robot' OR target IS NULL),
        CHECK (channel <> 'robot' OR target IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX wecom_outbox_due ON wecom_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL`);
    await q.query(`
      CREATE TABLE wecom_outbox_attempt (
        id bigserial PRIMARY KEY,
        outbox_ids bigint[] NOT NULL,
        channel text NOT NULL,
        attempted_at timestamptz NOT NULL,
        errcode integer,
        msgid text,
        error text
      )`);

    await q.query(`
      INSERT INTO wecom_outbox (topic, ref, channel, target, message, duplicate_check, give_up_after, created_at, next_attempt_at, attempts, sent_at, failed_at, result, moved_from)
      SELECT 'resignation', jsonb_build_object('caseId', case_id, 'kind', kind),
             CASE WHEN message->>'type' = 'update_card' THEN 'card_update' ELSE 'app' END, NULL, message,
             kind <> 'bot_reply' AND message->>'type' <> 'update_card', 6,
             created_at, next_attempt_at, attempts, sent_at, failed_at, result, 'resignation_outbox:' || id
        FROM resignation_outbox ORDER BY id`);
    await q.query(`
      INSERT INTO wecom_outbox (topic, ref, channel, target, message, duplicate_check, give_up_after, created_at, next_attempt_at, attempts, sent_at, failed_at, result, moved_from)
      SELECT 'alerts', jsonb_build_object('alertId', alert_id, 'purpose', purpose),
             CASE WHEN channel = 'webhook' THEN 'robot' ELSE 'app' END,
             CASE WHEN channel = 'webhook' THEN target END,
             CASE payload->>'type'
               WHEN 'markdown' THEN jsonb_build_object('type', 'robot_markdown', 'webhookKey', target, 'content', payload->'content', 'combineHeader', '## 风险预警')
               WHEN 'card' THEN jsonb_build_object('type', 'template_card', 'touser', payload->'touser', 'card', payload->'card')
               ELSE payload END,
             channel = 'app', NULL, created_at, next_attempt_at, attempts, sent_at, NULL, NULL, 'alert_outbox:' || id
        FROM alert_outbox ORDER BY id`);
    await q.query(`
      INSERT INTO wecom_outbox_attempt (outbox_ids, channel, attempted_at, errcode, msgid, error)
      SELECT ARRAY(SELECT o.id FROM wecom_outbox o WHERE o.moved_from = ANY(ARRAY(SELECT 'alert_outbox:' || x FROM unnest(d.outbox_ids) x)) ORDER BY o.id),
             CASE WHEN d.channel = 'webhook' THEN 'robot' ELSE 'app' END, d.attempted_at, d.errcode, d.msgid, d.error
        FROM alert_delivery d ORDER BY d.id`);
    await q.query(`DROP TABLE alert_delivery`);
    await q.query(`DROP TABLE alert_outbox`);
    await q.query(`DROP TABLE resignation_outbox`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The earlier tables come back empty of history: a down migration is for development databases.
    await q.query(`
      CREATE TABLE resignation_outbox (
        id bigserial PRIMARY KEY, case_id uuid REFERENCES resignation_case(id), kind text NOT NULL, message jsonb NOT NULL,
        created_at timestamptz NOT NULL, attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL,
        sent_at timestamptz, failed_at timestamptz, result jsonb)`);
    await q.query(`CREATE INDEX resignation_outbox_due ON resignation_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL`);
    await q.query(`
      CREATE TABLE alert_outbox (
        id bigserial PRIMARY KEY, channel text NOT NULL CHECK (channel IN ('webhook', 'app')), target text NOT NULL,
        alert_id bigint REFERENCES alert (id), purpose text NOT NULL CHECK (purpose IN ('alert', 'digest', 'it_task', 'lockdown')),
        payload jsonb NOT NULL, created_at timestamptz NOT NULL, next_attempt_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0, sent_at timestamptz)`);
    await q.query(`CREATE INDEX alert_outbox_due ON alert_outbox (channel, next_attempt_at) WHERE sent_at IS NULL`);
    await q.query(`
      CREATE TABLE alert_delivery (
        id bigserial PRIMARY KEY, outbox_ids bigint[] NOT NULL, channel text NOT NULL, target text NOT NULL,
        attempted_at timestamptz NOT NULL, errcode integer, msgid text, error text)`);
    await q.query(`DROP TABLE wecom_outbox_attempt`);
    await q.query(`DROP TABLE wecom_outbox`);
  }
}
