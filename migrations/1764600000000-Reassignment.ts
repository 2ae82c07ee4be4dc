import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Reassignment of a leaver's parents and group chats: the plan HR reviews
 * (with overrides), one transfer row per (leaver, successor, parent) driven by
 * the transfer state machine, every WeCom transfer call written down BEFORE it
 * is made and answered afterwards (so a crash or a second instance neither
 * sends twice nor forgets), group transfers spread over days, result-poll
 * cursors, and every message we send about it (HR problem lists, parent
 * introductions) with what WeCom returned.
 */
export class Reassignment1764600000000 implements MigrationInterface {
  name = "Reassignment1764600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reassignment_plan (
        leaver_userid text PRIMARY KEY,
        case_id uuid,
        origin text NOT NULL CHECK (origin IN ('case','hr','unassigned_sweep')),
        state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','confirmed','started')),
        on_job_message text,
        confirmed_by text,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE reassignment_item (
        leaver_userid text NOT NULL REFERENCES reassignment_plan(leaver_userid) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('parent','group')),
        item_id text NOT NULL,
        class_codes text[] NOT NULL DEFAULT '{}',
        successor_userid text,
        reason text NOT NULL,
        hr_choice text,
        PRIMARY KEY (leaver_userid, kind, item_id)
      )`);
    await q.query(`
      CREATE TABLE transfer_call (
        id bigserial PRIMARY KEY,
        endpoint text NOT NULL CHECK (endpoint IN ('customer_on_job','customer_resigned','group_on_job','group_resigned')),
        leaver_userid text NOT NULL,
        successor_userid text NOT NULL,
        ids text[] NOT NULL,
        message text,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','answered','failed')),
        errcode integer,
        response jsonb,
        created_at timestamptz NOT NULL,
        answered_at timestamptz
      )`);
    await q.query(`CREATE INDEX transfer_call_pending ON transfer_call (id) WHERE state = 'pending'`);
    await q.query(`
      CREATE TABLE customer_transfer (
        id bigserial PRIMARY KEY,
        leaver_userid text NOT NULL,
        successor_userid text NOT NULL,
        external_userid text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('on_job','resigned')),
        status text NOT NULL CHECK (status IN ('requested','waiting','done','refused','successor_over_limit','failed')),
        retryable boolean NOT NULL DEFAULT false,
        errcode integer,
        failure_reason text,
        takeover_at timestamptz,
        retry_after timestamptz,
        attempts integer NOT NULL DEFAULT 1,
        next_attempt_at timestamptz,
        call_id bigint REFERENCES transfer_call(id),
        superseded_at timestamptz,
        problem_report_id bigint,
        parent_notice_id bigint,
        requested_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (leaver_userid, successor_userid, external_userid, mode)
      )`);
    // At most one transfer of a parent per leaver is under way at a time.
    await q.query(`
      CREATE UNIQUE INDEX customer_transfer_one_open ON customer_transfer (leaver_userid, external_userid)
      WHERE superseded_at IS NULL AND (status IN ('requested','waiting') OR (status = 'failed' AND retryable))`);
    await q.query(`CREATE INDEX customer_transfer_due ON customer_transfer (next_attempt_at) WHERE status = 'requested' AND call_id IS NULL`);
    await q.query(`CREATE INDEX customer_transfer_waiting ON customer_transfer (leaver_userid, successor_userid, mode) WHERE status = 'waiting'`);
    await q.query(`CREATE INDEX customer_transfer_successor ON customer_transfer (successor_userid) WHERE status = 'done'`);
    await q.query(`CREATE INDEX customer_transfer_parent ON customer_transfer (external_userid)`);
    await q.query(`
      CREATE TABLE transfer_result_cursor (
        leaver_userid text NOT NULL,
        successor_userid text NOT NULL,
        mode text NOT NULL,
        cursor text NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (leaver_userid, successor_userid, mode)
      )`);
    await q.query(`
      CREATE TABLE group_transfer (
        leaver_userid text NOT NULL,
        chat_id text NOT NULL,
        new_owner text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('on_job','resigned')),
        status text NOT NULL CHECK (status IN ('planned','done','failed')),
        planned_day date NOT NULL,
        not_before timestamptz NOT NULL,
        errcode integer,
        errmsg text,
        attempts integer NOT NULL DEFAULT 0,
        call_id bigint REFERENCES transfer_call(id),
        problem_report_id bigint,
        transferred_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (leaver_userid, chat_id)
      )`);
    await q.query(`CREATE INDEX group_transfer_due ON group_transfer (not_before) WHERE status = 'planned' AND call_id IS NULL`);
    await q.query(`
      CREATE TABLE transfer_notification (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('hr_problems','parent_intro')),
        leaver_userid text NOT NULL,
        sender text,
        recipients text[] NOT NULL,
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
        msgid text,
        errcode integer,
        response jsonb,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX transfer_notification_pending ON transfer_notification (id) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["transfer_notification", "group_transfer", "transfer_result_cursor", "customer_transfer", "transfer_call", "reassignment_item", "reassignment_plan"]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
