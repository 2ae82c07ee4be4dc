import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 18: the official holiday arrangement per year as loaded by an
 * operator (the package calendar stops at the last published year); the
 * written-notice deadline of each case; the city wage figures HR sets per
 * branch and year (LCL 47 cap, minimum-wage floor); HR's settlement inputs per
 * case; the exit interview (Frappe HR's model).
 */
export class LawDeadlineCalendarSettlement1766180000000 implements MigrationInterface {
  name = "LawDeadlineCalendarSettlement1766180000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_year (
        year integer PRIMARY KEY CHECK (year BETWEEN 1949 AND 9999),
        holidays date[] NOT NULL,
        make_up_workdays date[] NOT NULL,
        source text NOT NULL,
        loaded_by text NOT NULL,
        loaded_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE written_notice_deadline (
        case_id uuid PRIMARY KEY REFERENCES resignation_case(id),
        working_days integer NOT NULL CHECK (working_days > 0),
        set_on date NOT NULL,
        deadline date NOT NULL,
        uncovered_years integer[] NOT NULL DEFAULT '{}',
        escalated_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX written_notice_deadline_open ON written_notice_deadline (deadline) WHERE escalated_at IS NULL`);
    await q.query(`
      CREATE TABLE local_wage_standard (
        department_id integer NOT NULL,
        year integer NOT NULL CHECK (year BETWEEN 1949 AND 9999),
        city text NOT NULL,
        average_monthly_wage_fen bigint NOT NULL CHECK (average_monthly_wage_fen > 0),
        minimum_monthly_wage_fen bigint NOT NULL CHECK (minimum_monthly_wage_fen > 0),
        source text NOT NULL DEFAULT '',
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (department_id, year)
      )`);
    await q.query(`
      CREATE TABLE settlement_input (
        case_id uuid PRIMARY KEY REFERENCES resignation_case(id),
        ground text NOT NULL,
        monthly_wages_fen bigint[] NOT NULL,
        leave_entitlement_days integer,
        leave_taken_days integer,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE exit_interview (
        case_id uuid PRIMARY KEY REFERENCES resignation_case(id),
        scheduled_at timestamptz NOT NULL,
        interviewer_userid text NOT NULL,
        scheduled_by text NOT NULL,
        reasons text[] NOT NULL DEFAULT '{}',
        outcome text CHECK (outcome IN ('retained','exit_confirmed')),
        rehire_recommendation text CHECK (rehire_recommendation IN ('recommended','with_reservations','not_recommended')),
        notes text NOT NULL DEFAULT '',
        recorded_by text,
        recorded_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["exit_interview", "settlement_input", "local_wage_standard", "written_notice_deadline", "calendar_year"]) await q.query(`DROP TABLE ${t}`);
  }
}
