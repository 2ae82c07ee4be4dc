import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The plan remembers the leaver's subjects for which no eligible successor holds a 教师资格证 (computed with
 * the successors, issue 18), so HR's review shows "无同学科持证教师" without recomputing the roster.
 */
export class PlanQualificationNote1766650000001 implements MigrationInterface {
  name = "PlanQualificationNote1766650000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_plan ADD COLUMN subjects_without_qualified_teacher text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reassignment_plan DROP COLUMN subjects_without_qualified_teacher`);
  }
}
