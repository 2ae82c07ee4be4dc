import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 20 (alert latency): a teacher's sliding window of outbound messages moves out of the risk state's JSON
 * into one row per message. Kept in the JSON, every batch rewrote every touched teacher's whole window (about
 * 2 KB each, compressed on the way in) although a batch adds one or two messages per teacher; as rows, a batch
 * inserts the messages it added and deletes the ones it dropped. `ord` keeps the detector's order among messages
 * of the same second (it inserts a message after every one of the same time), counted per teacher in
 * risk_staff_state.window_ord. Existing windows move over in their order; a window stored with its bigrams as an
 * array (before 2026-11-25) gets them joined like newer ones.
 */
export class RiskWindowRows1766720000001 implements MigrationInterface {
  name = "RiskWindowRows1766720000001";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_window_message (
        staff_userid text NOT NULL,
        msgid text NOT NULL,
        at_ms bigint NOT NULL,
        ord bigint NOT NULL,
        parents text[] NOT NULL,
        conversation text NOT NULL,
        shingles text,
        PRIMARY KEY (staff_userid, msgid)
      )`);
    await q.query(`ALTER TABLE risk_staff_state ADD COLUMN window_ord bigint NOT NULL DEFAULT 0`);
    await q.query(`
      INSERT INTO risk_window_message (staff_userid, msgid, at_ms, ord, parents, conversation, shingles)
      SELECT s.staff_userid, m.value->>'msgid', (m.value->>'atMs')::bigint, m.ord,
             ARRAY(SELECT jsonb_array_elements_text(m.value->'parents')), m.value->>'conversation',
             CASE jsonb_typeof(m.value->'shingles')
               WHEN 'string' THEN m.value->>'shingles'
               WHEN 'array' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(m.value->'shingles')), '')
             END
        FROM risk_staff_state s, jsonb_array_elements(COALESCE(s.state->'outbound', '[]')) WITH ORDINALITY AS m(value, ord)
      ON CONFLICT DO NOTHING`);
    await q.query(`
      UPDATE risk_staff_state SET window_ord = jsonb_array_length(state->'outbound'), state = state - 'outbound'
       WHERE jsonb_typeof(state->'outbound') = 'array'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE risk_staff_state s SET state = s.state || jsonb_build_object('outbound', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('msgid', w.msgid, 'atMs', w.at_ms, 'parents', to_jsonb(w.parents),
                                            'conversation', w.conversation, 'shingles', w.shingles) ORDER BY w.at_ms, w.ord)
          FROM risk_window_message w WHERE w.staff_userid = s.staff_userid), '[]'::jsonb))`);
    await q.query(`DROP TABLE risk_window_message`);
    await q.query(`ALTER TABLE risk_staff_state DROP COLUMN window_ord`);
  }
}
