import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The work-account rules a new member signs at onboarding (issue 18, seed 001): one row per member, opened
 * when the directory reports them (create_user), signed once with the resignation notice's evidence. Once
 * signed the row never changes (the trigger), like the notice; the signed copy is copied into any later
 * resignation dossier of that member.
 */
export class WorkRulesSignature1766650000002 implements MigrationInterface {
  name = "WorkRulesSignature1766650000002";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE work_rules_signature (
        userid text PRIMARY KEY,
        opened_at timestamptz NOT NULL,
        document jsonb,
        document_sha256 text,
        signed_at timestamptz,
        signature_image bytea,
        evidence jsonb,
        evidence_sha256 text,
        CHECK ((signed_at IS NULL) = (evidence_sha256 IS NULL) AND (signed_at IS NULL) = (document IS NULL))
      )`);
    await q.query(`
      CREATE FUNCTION work_rules_signature_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.signed_at IS NOT NULL AND (TG_OP = 'DELETE' OR NEW.userid IS NOT DISTINCT FROM OLD.userid) THEN
          RAISE EXCEPTION 'signed work rules are immutable';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`CREATE TRIGGER work_rules_signature_immutable BEFORE UPDATE OR DELETE ON work_rules_signature
      FOR EACH ROW EXECUTE FUNCTION work_rules_signature_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reminder WHERE subject_kind = 'work_rules_signature'`);
    await q.query(`DROP TABLE work_rules_signature`);
    await q.query(`DROP FUNCTION work_rules_signature_immutable()`);
  }
}
