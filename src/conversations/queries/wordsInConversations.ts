import type { EntityManager } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { parseArchivedMessage, type ChatMessage } from "../../wecom";
import { messageText } from "../presenters/messageText";
import { normalizeText } from "../searchIndex/normalizeText";
import type { SearchIndexKeys } from "../searchIndex/searchIndexKeys";
import { termTokens } from "../searchIndex/tokenize";
import type { StoredMark } from "./pairActivity";

/** A watched word said in a staff–parent conversation. */
export interface WordHit {
  staffUserid: string;
  externalUserid: string;
  word: string;
  /** Who said it: the staff member or the parent. */
  fromStaff: boolean;
  msgTime: Date;
}

/** Which stored messages to look in. */
export type WordWindow =
  /** Messages stored in (after, upTo] — by stored_at, the order the archive stored them (see pairActivity). */
  | { kind: "stored"; after: StoredMark | null; upTo: StoredMark }
  /** The history of given pairs from given instants (a newly inherited parent), stored up to upTo. */
  | { kind: "pairs"; pairs: Array<{ staffUserid: string; externalUserid: string; since: Date }>; upTo: StoredMark };

/** An archive row as confirm() reads it (the columns of CANDIDATE_COLUMNS). */
export interface CandidateRow {
  msgid: string;
  body_ciphertext: Buffer;
  body_key_id: string;
  staff_userid: string;
  external_userid: string;
  from_id: string;
  msg_time: Date;
}

/** What confirm() needs of a candidate, from archive rows aliased `a`. */
export const CANDIDATE_COLUMNS = "a.msgid, a.body_ciphertext, a.body_key_id, a.staff_userid, a.external_userid, a.from_id, a.msg_time";

/**
 * Finds watched words (e.g. the refund words 退费, 退课, 转校) in archived
 * staff–parent messages without decrypting the archive: the keyed blind
 * index (searchIndex/) gives candidates — a message holding every token of a
 * word under the key that indexed it — and only candidates are decrypted and
 * confirmed on their normalised text, as search does. Messages not yet
 * indexed are candidates too, so a back-fill in progress never hides a word.
 * (A message indexed under a key no longer configured matches nothing, as in
 * search: keys are removed only once the back-fill has re-keyed every row.)
 */
export class ConversationWordFinder {
  constructor(
    private readonly keyRing: DataKeyRing,
    private readonly searchKeys: SearchIndexKeys,
  ) {}

  /**
   * The candidates for `words` as an SQL condition on archive rows aliased
   * `a` (their parameters appended to `params`), for a caller that reads the
   * messages in its own statement: a message holding every token of one of
   * the words under the key that indexed it, or one not yet indexed. Rows it
   * keeps go to confirm().
   */
  candidates(words: readonly string[], params: unknown[], a = "a"): string {
    if (words.length === 0) return "false";
    const tokens = words.map((w) => termTokens(normalizeText(w)));
    // Per configured key: the message holds every token of one of the words. A word without index tokens makes every message a candidate.
    const indexed = tokens.some((t) => t.length === 0)
      ? "true"
      : this.searchKeys.keyIds
          .map((keyId) => {
            params.push(keyId);
            const k = params.length;
            const perWord = tokens.map((t) => {
              params.push(this.searchKeys.hashAll(keyId, t));
              return `${a}.search_tokens @> $${params.length}::int4[]`;
            });
            return `(${a}.search_key_id = $${k} AND (${perWord.join(" OR ")}))`;
          })
          .join(" OR ");
    // Not yet indexed (NULL) is a candidate too: a back-fill in progress never hides a word. Each branch is indexed
    // (GIN on search_tokens, btree on search_key_id), so candidates cost what they find, not the archive's size.
    return `(${a}.search_key_id IS NULL OR ${indexed})`;
  }

  /** Candidate rows decrypted and kept when their normalised text holds one of the words (in the rows' order). */
  confirm(words: readonly string[], rows: readonly CandidateRow[]): WordHit[] {
    const normalized = words.map((w) => ({ word: w, text: normalizeText(w) }));
    const hits: WordHit[] = [];
    for (const r of rows) {
      const message = parseArchivedMessage(this.keyRing.open({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid).toString("utf8")) as ChatMessage;
      const text = normalizeText(messageText(message.content));
      const hit = normalized.find((w) => text.includes(w.text));
      if (hit) hits.push({ staffUserid: r.staff_userid, externalUserid: r.external_userid, word: hit.word, fromStaff: r.from_id === r.staff_userid, msgTime: r.msg_time });
    }
    return hits;
  }

  async find(m: EntityManager, words: readonly string[], window: WordWindow): Promise<WordHit[]> {
    if (words.length === 0) return [];
    const params: unknown[] = [];
    const candidate = this.candidates(words, params);
    const sendsBetweenPeople = `a.action = 'send' AND a.staff_userid IS NOT NULL AND a.external_userid IS NOT NULL`;
    let sql: string;
    if (window.kind === "stored") {
      params.push(window.after, window.upTo);
      const n = params.length;
      sql = `SELECT ${CANDIDATE_COLUMNS}
               FROM archive_message a
              WHERE ($${n - 1}::timestamptz IS NULL OR a.stored_at > $${n - 1}::timestamptz) AND a.stored_at <= $${n}::timestamptz AND ${sendsBetweenPeople} AND ${candidate}`;
    } else {
      if (window.pairs.length === 0) return [];
      params.push(window.pairs.map((p) => p.staffUserid), window.pairs.map((p) => p.externalUserid), window.pairs.map((p) => p.since), window.upTo);
      const n = params.length;
      // Candidates first (few, through the indexes), then kept only for the given pairs from their instants.
      sql = `WITH c AS MATERIALIZED (
               SELECT ${CANDIDATE_COLUMNS}
                 FROM archive_message a WHERE a.stored_at <= $${n}::timestamptz AND ${sendsBetweenPeople} AND ${candidate})
             SELECT c.* FROM c JOIN unnest($${n - 3}::text[], $${n - 2}::text[], $${n - 1}::timestamptz[]) AS p(staff, ext, since)
                 ON c.staff_userid = p.staff AND c.external_userid = p.ext AND c.msg_time >= p.since`;
    }
    return this.confirm(words, await m.query(`SELECT * FROM (${sql}) found ORDER BY msg_time`, params));
  }
}
