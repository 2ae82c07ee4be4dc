import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Teachers' qualifications (issue 18, seed 001): a 教师资格证 (number, subject, level, registration date) or
 * another certificate with its expiry. `due_on` is the date that needs action — the next 5-yearly
 * registration or the expiry — computed by the pure rule at write time, so the daily reminder pass finds due
 * records by index. One certificate (name + number) belongs to one teacher. Like the other tables keyed by
 * userid it has no foreign key to staff (the directory mirror is rewritten freely); a rename moves it
 * (org's renameOrgUserid).
 */
export class TeacherQualifications1766650000000 implements MigrationInterface {
  name = "TeacherQualifications1766650000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teacher_qualification (
        id bigserial PRIMARY KEY,
        staff_userid text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('teacher_certificate', 'other')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
        certificate_no text NOT NULL,
        subject text,
        level text,
        registered_on date,
        expires_on date,
        due_on date,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (name, certificate_no),
        CHECK (kind <> 'teacher_certificate' OR (subject IS NOT NULL AND level IS NOT NULL AND expires_on IS NULL))
      )`);
    await q.query(`CREATE INDEX teacher_qualification_staff ON teacher_qualification (staff_userid)`);
    await q.query(`CREATE INDEX teacher_qualification_due ON teacher_qualification (due_on) WHERE due_on IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reminder WHERE subject_kind = 'qualification_due'`);
    await q.query(`DROP TABLE teacher_qualification`);
  }
}
