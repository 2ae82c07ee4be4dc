import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Parents (WeCom external contacts), who follows whom, and the optional
 * class/student links used to pick successors. Only what the school needs
 * is kept (PIPL data minimisation): no avatar, no unionid, no mobile.
 */
export class Parents1764310000000 implements MigrationInterface {
  name = "Parents1764310000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE external_contact (
        external_userid text PRIMARY KEY,
        name text NOT NULL,
        type smallint NOT NULL DEFAULT 1,
        corp_name text,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE follow_relation (
        staff_userid text NOT NULL,
        external_userid text NOT NULL,
        remark text,
        description text,
        tags jsonb NOT NULL DEFAULT '[]',
        add_time timestamptz,
        add_way integer,
        oper_userid text,
        state text,
        status text NOT NULL DEFAULT 'active'
          CHECK (status IN ('active','deleted_by_staff','deleted_by_parent','transferred_away')),
        last_event_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (staff_userid, external_userid)
      )`);
    await q.query(`CREATE INDEX follow_relation_parent ON follow_relation (external_userid)`);
    await q.query(`CREATE INDEX follow_relation_active_staff ON follow_relation (staff_userid) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE parent_resync_cursor (
        batch_key text PRIMARY KEY,
        cursor text NOT NULL DEFAULT '',
        finished_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE school_class (
        code text PRIMARY KEY,
        name text NOT NULL,
        campus_department_id integer,
        subject text
      )`);
    await q.query(`
      CREATE TABLE class_teacher (
        class_code text NOT NULL REFERENCES school_class(code) ON DELETE CASCADE,
        staff_userid text NOT NULL,
        role text NOT NULL CHECK (role IN ('head_teacher','subject_teacher','assistant')),
        subject text,
        PRIMARY KEY (class_code, staff_userid)
      )`);
    await q.query(`
      CREATE TABLE student (
        code text PRIMARY KEY,
        name text NOT NULL,
        class_code text REFERENCES school_class(code) ON DELETE SET NULL
      )`);
    await q.query(`
      CREATE TABLE parent_student (
        external_userid text NOT NULL,
        student_code text NOT NULL REFERENCES student(code) ON DELETE CASCADE,
        relation text,
        PRIMARY KEY (external_userid, student_code)
      )`);
    await q.query(`CREATE INDEX parent_student_student ON parent_student (student_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["parent_student", "student", "class_teacher", "school_class", "parent_resync_cursor", "follow_relation", "external_contact"]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
