import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Resignation cases and everything that proves them: the signed written
 * notice (immutable once signed), approval steps (bot cards), the handover
 * checklist and its signatures, the append-only hash-chained dossier, the
 * termination certificate, settlement milestones and the alumni pool.
 */
export class Resignation1764330000000 implements MigrationInterface {
  name = "Resignation1764330000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resignation_case (
        id uuid PRIMARY KEY,
        employee_userid text NOT NULL,
        origin text NOT NULL CHECK (origin IN ('employee','hr_registration')),
        state text NOT NULL,
        resume_state text,
        basis text NOT NULL DEFAULT 'standard',
        notice_date date NOT NULL,
        requested_last_day date NOT NULL,
        earliest_last_day date NOT NULL,
        last_day date NOT NULL,
        in_probation boolean NOT NULL DEFAULT false,
        mutual_agreement jsonb,
        reason_category text NOT NULL,
        reason_text text NOT NULL DEFAULT '',
        handover_notes text NOT NULL DEFAULT '',
        department_id integer,
        position text,
        registered_by text,
        registration_evidence jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX resignation_case_one_open ON resignation_case (employee_userid) WHERE state NOT IN ('closed','withdrawn')`);
    await q.query(`CREATE INDEX resignation_case_last_day ON resignation_case (last_day) WHERE state NOT IN ('closed','withdrawn')`);
    await q.query(`CREATE INDEX resignation_case_department ON resignation_case (department_id)`);

    await q.query(`
      CREATE TABLE resignation_notice (
        case_id uuid PRIMARY KEY REFERENCES resignation_case(id),
        document jsonb NOT NULL,
        document_sha256 text NOT NULL,
        signed_at timestamptz,
        signature_image bytea,
        evidence jsonb,
        evidence_sha256 text
      )`);
    // ESL 13: once signed, the notice and its signature cannot change in place.
    await q.query(`
      CREATE FUNCTION resignation_notice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.signed_at IS NOT NULL THEN
          RAISE EXCEPTION 'signed resignation notice % is immutable', OLD.case_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER resignation_notice_immutable BEFORE UPDATE OR DELETE ON resignation_notice
      FOR EACH ROW EXECUTE FUNCTION resignation_notice_immutable()`);

    await q.query(`
      CREATE TABLE approval_step (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES resignation_case(id),
        step text NOT NULL,
        position smallint NOT NULL,
        approver_userids text[] NOT NULL,
        decision text NOT NULL DEFAULT 'pending' CHECK (decision IN ('waiting','pending','approved','rejected')),
        decided_by text,
        decided_at timestamptz,
        reason text,
        opened_at timestamptz,
        round smallint NOT NULL DEFAULT 1,
        card_task_id text UNIQUE,
        UNIQUE (case_id, step)
      )`);

    await q.query(`
      CREATE TABLE handover_item (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES resignation_case(id),
        kind text NOT NULL,
        title text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        owner text NOT NULL,
        auto boolean NOT NULL DEFAULT false,
        done_at timestamptz,
        done_by text,
        note text,
        position smallint NOT NULL
      )`);
    await q.query(`CREATE INDEX handover_item_case ON handover_item (case_id, position)`);
    await q.query(`
      CREATE TABLE handover_signature (
        case_id uuid NOT NULL REFERENCES resignation_case(id),
        role text NOT NULL CHECK (role IN ('handover','receiver','supervisor')),
        userid text NOT NULL,
        name text NOT NULL,
        signed_at timestamptz NOT NULL,
        signature_sha256 text NOT NULL,
        signature_image bytea NOT NULL,
        PRIMARY KEY (case_id, role)
      )`);

    await q.query(`
      CREATE TABLE dossier_entry (
        case_id uuid NOT NULL REFERENCES resignation_case(id),
        seq integer NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        actor jsonb NOT NULL,
        payload jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (case_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION dossier_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the evidence dossier is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER dossier_append_only BEFORE UPDATE OR DELETE ON dossier_entry
      FOR EACH ROW EXECUTE FUNCTION dossier_append_only()`);

    await q.query(`
      CREATE TABLE termination_certificate (
        case_id uuid PRIMARY KEY REFERENCES resignation_case(id),
        fields jsonb NOT NULL,
        text text NOT NULL,
        sha256 text NOT NULL,
        issued_at timestamptz NOT NULL,
        delivered_at timestamptz,
        delivery_msgid text
      )`);
    await q.query(`
      CREATE TABLE settlement (
        case_id uuid PRIMARY KEY REFERENCES resignation_case(id),
        plan jsonb NOT NULL,
        final_wages_released_at timestamptz,
        compensation_owed boolean NOT NULL DEFAULT false,
        compensation_released_at timestamptz,
        archive_transfer_deadline date,
        archive_transferred_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE alumni (
        userid text PRIMARY KEY,
        case_id uuid REFERENCES resignation_case(id),
        name text NOT NULL,
        position text,
        department_id integer,
        reason_category text,
        left_on date NOT NULL,
        rehire_eligible boolean,
        performance_grade text,
        tags text[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX alumni_tags ON alumni USING gin (tags)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["alumni", "settlement", "termination_certificate", "dossier_entry", "handover_signature", "handover_item", "approval_step", "resignation_notice", "resignation_case"]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP FUNCTION dossier_append_only()`);
    await q.query(`DROP FUNCTION resignation_notice_immutable()`);
  }
}
