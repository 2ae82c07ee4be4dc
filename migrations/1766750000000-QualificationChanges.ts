import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Who changed which qualification record, and how (issue 18): every create, edit and delete of a teacher's
 * certificate by CSV, API or console keeps the record before and after. No foreign key to the record, so a
 * deleted certificate keeps its history; `staff_userid` follows a userid rename (org's renameOrgUserid).
 *
 * The handover plan remembers what a later certificate changed in it (a refreshed suggestion, or a note on a
 * plan HR already confirmed), so HR reads why the plan differs from what they saw.
 */
export class QualificationChanges1766750000000 implements MigrationInterface {
  name = "QualificationChanges1766750000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teacher_qualification_change (
        id bigserial PRIMARY KEY,
        qualification_id bigint NOT NULL,
        staff_userid text NOT NULL,
        action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
        before jsonb,
        after jsonb,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        CHECK ((action = 'created') = (before IS NULL) AND (action = 'deleted') = (after IS NULL))
      )`);
    await q.query(`CREATE INDEX teacher_qualification_change_record ON teacher_qualification_change (qualification_id, id)`);
    await q.query(`CREATE INDEX teacher_qualification_change_staff ON teacher_qualification_change (staff_userid)`);
    await q.query(`ALTER TABLE reassignment_plan ADD COLUMN certificate_change_note text, ADD COLUMN certificate_change_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_plan DROP COLUMN certificate_change_note, DROP COLUMN certificate_change_at`);
    await q.query(`DROP TABLE teacher_qualification_change`);
  }
}
