import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Intercept rules keep WeCom's rule_id and record an add before it is sent
 * (add_intercept_rule is not idempotent): state 'adding' with the name, payload
 * and time of the attempt, so a crash between WeCom's reply and our commit is
 * reconciled through get_intercept_rule_list instead of adding a second rule.
 *
 * Leaver lockdown:
 * - leaver_lockdown_settings: per branch, the leaver intercept rule (words,
 *   semantics, block or warn), automatic freeze on a leaver's group send, the
 *   hour the account is disabled on the last day, successor contact days.
 * - leaver_lockdown: one row per leaver while their resignation holds them in
 *   the branch's leaver rule; released on withdrawal or once the account is disabled.
 * - leaver_group_send: group-send tasks (add_msg_template) seen for leavers, once each.
 * - last_day_step: the ordered last-day steps (archive drain, account disabled,
 *   resigned transfers) with their times, so a rerun continues where it stopped.
 */
export class InterceptBookkeepingAndLockdown1766210000000 implements MigrationInterface {
  name = "InterceptBookkeepingAndLockdown1766210000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alert_intercept_rule
        ALTER COLUMN wecom_rule_id DROP NOT NULL,
        ALTER COLUMN payload_hash DROP NOT NULL,
        ALTER COLUMN pushed_at DROP NOT NULL,
        ADD COLUMN state text NOT NULL DEFAULT 'synced' CHECK (state IN ('adding', 'synced')),
        ADD COLUMN payload jsonb,
        ADD COLUMN attempt_name text,
        ADD COLUMN attempt_at timestamptz,
        ADD CONSTRAINT alert_intercept_rule_synced_has_id CHECK (state <> 'synced' OR wecom_rule_id IS NOT NULL)`);
    // A leaver's group send may freeze the account by branch setting, with nobody clicking.
    await q.query(`ALTER TABLE alert_action DROP CONSTRAINT alert_action_via_check, ADD CONSTRAINT alert_action_via_check CHECK (via IN ('card', 'console', 'auto'))`);
    await q.query(`
      CREATE TABLE leaver_lockdown_settings (
        branch_id integer PRIMARY KEY,
        settings jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE leaver_lockdown (
        userid text PRIMARY KEY,
        branch_id integer NOT NULL,
        case_id uuid NOT NULL,
        locked_at timestamptz NOT NULL,
        released_at timestamptz,
        release_reason text
      )`);
    await q.query(`CREATE INDEX leaver_lockdown_branch ON leaver_lockdown (branch_id) WHERE released_at IS NULL`);
    await q.query(`
      CREATE TABLE leaver_group_send (
        msgid text PRIMARY KEY,
        creator text NOT NULL,
        case_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL,
        alert_id bigint,
        freeze_outcome text
      )`);
    await q.query(`
      CREATE TABLE last_day_step (
        case_id uuid NOT NULL,
        step text NOT NULL CHECK (step IN ('archive_drained', 'account_disabled', 'resigned_transfers')),
        done_at timestamptz NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (case_id, step)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE last_day_step, leaver_group_send, leaver_lockdown, leaver_lockdown_settings`);
    await q.query(`DELETE FROM alert_action WHERE via = 'auto'`);
    await q.query(`ALTER TABLE alert_action DROP CONSTRAINT alert_action_via_check, ADD CONSTRAINT alert_action_via_check CHECK (via IN ('card', 'console'))`);
    await q.query(`DELETE FROM alert_intercept_rule WHERE state <> 'synced'`);
    await q.query(`
      ALTER TABLE alert_intercept_rule DROP CONSTRAINT alert_intercept_rule_synced_has_id,
        DROP COLUMN state, DROP COLUMN payload, DROP COLUMN attempt_name, DROP COLUMN attempt_at,
        ALTER COLUMN wecom_rule_id SET NOT NULL, ALTER COLUMN payload_hash SET NOT NULL, ALTER COLUMN pushed_at SET NOT NULL`);
  }
}
