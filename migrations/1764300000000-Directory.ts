import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The branch tree (mirrors WeCom departments), staff, role grants scoped to a
 * subtree, and the access log that records every read or export of
 * conversations.
 */
export class Directory1764300000000 implements MigrationInterface {
  name = "Directory1764300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE department (
        id integer PRIMARY KEY,
        name text NOT NULL,
        parent_id integer,
        kind text NOT NULL DEFAULT 'department' CHECK (kind IN ('hq','region','campus','department')),
        kind_locked boolean NOT NULL DEFAULT false,
        path integer[] NOT NULL,
        leader_userids text[] NOT NULL DEFAULT '{}',
        sort_order bigint NOT NULL DEFAULT 0,
        removed_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX department_path_gin ON department USING gin (path)`);
    await q.query(`
      CREATE TABLE staff (
        userid text PRIMARY KEY,
        name text NOT NULL,
        department_ids integer[] NOT NULL DEFAULT '{}',
        main_department integer,
        leader_in_departments integer[] NOT NULL DEFAULT '{}',
        position text,
        subject text,
        status smallint NOT NULL DEFAULT 1,
        hire_date date,
        probation_end date,
        left_at timestamptz,
        synced_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX staff_departments_gin ON staff USING gin (department_ids)`);
    await q.query(`
      CREATE TABLE role_grant (
        id bigserial PRIMARY KEY,
        userid text NOT NULL,
        role text NOT NULL CHECK (role IN ('hq_admin','hr','campus_head','it','employee')),
        department_id integer,
        granted_by text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_grant_scope CHECK ((role = 'hq_admin') = (department_id IS NULL) OR role = 'employee' OR role = 'it')
      )`);
    await q.query(`CREATE UNIQUE INDEX role_grant_unique ON role_grant (userid, role, coalesce(department_id, -1))`);
    await q.query(`
      CREATE TABLE access_log (
        id bigserial PRIMARY KEY,
        actor_userid text NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX access_log_actor_at ON access_log (actor_userid, at DESC)`);
    await q.query(`CREATE INDEX access_log_resource ON access_log (resource_type, resource_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP TABLE role_grant`);
    await q.query(`DROP TABLE staff`);
    await q.query(`DROP TABLE department`);
  }
}
