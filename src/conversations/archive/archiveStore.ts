import type { QueryRunner } from "typeorm";
import { recordSingleConsent } from "./archiveConsent";
import type { PreparedPage, PreparedRow } from "./preparePage";

export class CursorMovedError extends Error {
  constructor(expected: number, actual: number) {
    super(`archive cursor is at ${actual}, expected ${expected}: another drainer stored this range`);
    this.name = "CursorMovedError";
  }
}

/** text[] literal for one row's to_list, so a whole page goes in as flat arrays through unnest. */
function textArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

export async function readCursor(runner: QueryRunner, corpId: string): Promise<number> {
  await runner.query(`INSERT INTO archive_cursor (corp_id) VALUES ($1) ON CONFLICT DO NOTHING`, [corpId]);
  const [row] = await runner.query(`SELECT last_seq FROM archive_cursor WHERE corp_id = $1`, [corpId]);
  return Number(row.last_seq);
}

/**
 * Store one page and move the cursor, all in ONE transaction: a crash before
 * COMMIT leaves neither rows nor cursor, so the page is simply fetched again;
 * after COMMIT both are there. archive_msgid makes a replayed message a no-op
 * (exactly-once even when the cursor is reset or WeCom resends).
 *
 * Returns the rows actually inserted (not duplicates), for fan-out.
 */
export async function storePage(
  runner: QueryRunner,
  corpId: string,
  fromSeq: number,
  page: PreparedPage,
  now: Date,
): Promise<PreparedRow[]> {
  await runner.startTransaction();
  try {
    const [cursor] = await runner.query(`SELECT last_seq FROM archive_cursor WHERE corp_id = $1 FOR UPDATE`, [corpId]);
    // Belt and braces behind the advisory lock: never store a range someone else already advanced past.
    if (Number(cursor.last_seq) !== fromSeq) throw new CursorMovedError(fromSeq, Number(cursor.last_seq));

    const inserted = await writePageContents(runner, corpId, page, now);
    await runner.query(`UPDATE archive_cursor SET last_seq = $2, updated_at = $3 WHERE corp_id = $1`, [corpId, page.maxSeq, now]);
    await runner.commitTransaction();
    return page.rows.filter((r) => inserted.has(r.msgid));
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  }
}

/**
 * Everything a page stores except the cursor: consent changes seen in the
 * stream, new messages, recall marks and dead letters. The caller owns the
 * transaction. Returns the msgids actually inserted.
 */
export async function writePageContents(runner: QueryRunner, corpId: string, page: PreparedPage, now: Date): Promise<Set<string>> {
  await recordSingleConsent(runner.manager, page.consentChanges, now);
  const inserted = page.rows.length > 0 ? await insertRows(runner, page.rows) : new Set<string>();
  await markRecalls(runner, page.rows.filter((r) => r.recallsMsgid !== null));
  if (page.deadLetters.length > 0) {
    await runner.query(
      `INSERT INTO archive_dead_letter (corp_id, seq, msgid, publickey_ver, reason, chatdata, created_at)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::timestamptz[])
       ON CONFLICT (corp_id, seq) DO NOTHING`,
      [
        corpId,
        page.deadLetters.map((d) => d.seq),
        page.deadLetters.map((d) => d.msgid),
        page.deadLetters.map((d) => d.publickeyVer),
        page.deadLetters.map((d) => d.reason),
        page.deadLetters.map((d) => JSON.stringify(d.chatdata)),
        page.deadLetters.map(() => now),
      ],
    );
  }
  return inserted;
}

/** Messages that are not yet in archive_msgid go into the partitioned table; the rest are replays. */
async function insertRows(runner: QueryRunner, pageRows: PreparedRow[]): Promise<Set<string>> {
  // A msgid twice in one page would join twice below; the first occurrence wins.
  const seen = new Set<string>();
  const rows = pageRows.filter((r) => !seen.has(r.msgid) && seen.add(r.msgid) !== undefined);
  const result: Array<{ msgid: string }> = await runner.query(
    `WITH input AS (
       SELECT * FROM unnest(
         $1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::bytea[], $14::text[], $15::jsonb[],
         $16::text[], $17::text[]
       ) AS i(msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id,
              msg_time, staff_userid, external_userid, recalls_msgid, body_ciphertext, body_key_id, media,
              search_tokens, search_key_id)
     ), fresh AS (
       INSERT INTO archive_msgid (msgid, msg_time, seq)
       SELECT msgid, msg_time, seq FROM input
       ON CONFLICT (msgid) DO NOTHING
       RETURNING msgid
     )
     INSERT INTO archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id,
                                  msg_time, staff_userid, external_userid, recalls_msgid, body_ciphertext, body_key_id, media,
                                  search_tokens, search_key_id)
     SELECT i.msgid, i.seq, i.publickey_ver, i.action, i.msgtype, i.from_id, i.to_list::text[], i.room_id,
            i.msg_time, i.staff_userid, i.external_userid, i.recalls_msgid, i.body_ciphertext, i.body_key_id, i.media,
            i.search_tokens::int4[], i.search_key_id
       FROM input i JOIN fresh USING (msgid)
     RETURNING msgid`,
    [
      rows.map((r) => r.msgid),
      rows.map((r) => r.seq),
      rows.map((r) => r.publickeyVer),
      rows.map((r) => r.action),
      rows.map((r) => r.msgtype),
      rows.map((r) => r.fromId),
      rows.map((r) => textArrayLiteral(r.toList)),
      rows.map((r) => r.roomId),
      rows.map((r) => r.msgTime),
      rows.map((r) => r.staffUserid),
      rows.map((r) => r.externalUserid),
      rows.map((r) => r.recallsMsgid),
      rows.map((r) => r.bodyCiphertext),
      rows.map((r) => r.bodyKeyId),
      rows.map((r) => r.media),
      // Arrays of different lengths cannot be one int4[][]: each row's set travels as an array literal.
      rows.map((r) => (r.searchTokens ? `{${r.searchTokens.join(",")}}` : null)),
      rows.map((r) => r.searchKeyId ?? null),
    ],
  );
  return new Set(result.map((r) => r.msgid));
}

/**
 * A recall marks the original as recalled and keeps its content: the
 * recalled text is exactly what HR may need as evidence. archive_msgid gives
 * the original's msg_time so only its partition is touched.
 */
async function markRecalls(runner: QueryRunner, recalls: PreparedRow[]): Promise<void> {
  if (recalls.length === 0) return;
  await runner.query(
    `UPDATE archive_message m
        SET recalled_at = r.recalled_at, recalled_by_msgid = r.recall_msgid
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS r(original, recall_msgid, recalled_at)
       JOIN archive_msgid o ON o.msgid = r.original
      WHERE m.msgid = r.original AND m.msg_time = o.msg_time AND m.recalled_at IS NULL`,
    [recalls.map((r) => r.recallsMsgid), recalls.map((r) => r.msgid), recalls.map((r) => r.msgTime)],
  );
}
