import type { EntityManager } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { parseArchivedMessage, type ChatMessage } from "../../wecom";
import type { StoredChat } from "../archive/readArchivedMessages";
import { scopeSql, type ReaderScope } from "../access/readerScope";
import { messageText } from "../presenters/messageText";
import { normalizeText } from "../searchIndex/normalizeText";
import { confirms, parseQuery } from "../searchIndex/parseQuery";
import type { SearchIndexKeys } from "../searchIndex/searchIndexKeys";

export interface ArchiveSearchInput {
  q: string;
  from: Date;
  to: Date;
  staffUserid?: string;
  externalUserid?: string;
  roomId?: string;
}

export interface Highlight {
  before: string;
  match: string;
  after: string;
}

export interface ArchiveHit {
  chat: StoredChat;
  highlight: Highlight;
}

export interface ArchiveSearchResult {
  /** Confirmed hits inside the scope, newest first. */
  hits: ArchiveHit[];
  /** Index candidates that were decrypted (confirmed or not): the work done, never shown as a count of anything. */
  candidates: number;
  /** True when there were more candidates than MAX_CANDIDATES: hits cover the newest ones only. */
  truncated: boolean;
}

/** At most this many candidates are decrypted per search; beyond it the newest win and the reader is asked to narrow. */
export const MAX_CANDIDATES = 2000;
const CONTEXT_CHARS = 24;

/**
 * Keyword search over the blind index: the query is split and keyed exactly
 * as messages are (under every configured index key, so a rotation in
 * progress loses nothing), the GIN index yields candidates inside the
 * reader's scope and time range, and every candidate is decrypted and
 * confirmed against the terms. Collisions and bigrams that occur apart
 * never reach the caller. `visible` is the per-hit policy check.
 */
export async function searchArchive(
  manager: EntityManager,
  keys: { keyRing: DataKeyRing; searchKeys: SearchIndexKeys },
  scope: ReaderScope,
  input: ArchiveSearchInput,
  visible: (chat: StoredChat) => Promise<boolean>,
  /** Called once with every confirmed hit before `visible`, so the policy's lookups can be batched. */
  prepare?: (chats: StoredChat[]) => Promise<void>,
): Promise<ArchiveSearchResult> {
  const query = parseQuery(input.q);
  const { sql, params } = candidateQuery(keys.searchKeys, scope, input);
  const rows: CandidateRow[] = await manager.query(sql, params);
  const truncated = rows.length > MAX_CANDIDATES;
  const confirmed: ArchiveHit[] = [];
  for (const r of rows.slice(0, MAX_CANDIDATES)) {
    const message = parseArchivedMessage(keys.keyRing.open({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid).toString("utf8")) as ChatMessage;
    const text = messageText(message.content);
    const normalized = normalizeText(text);
    if (!confirms(normalized, query.terms)) continue;
    const chat: StoredChat = {
      seq: Number(r.seq),
      message,
      staffUserid: r.staff_userid,
      externalUserid: r.external_userid,
      roomId: r.room_id,
      msgTime: r.msg_time,
      recalledAt: r.recalled_at,
    };
    confirmed.push({ chat, highlight: highlight(text, normalized, query.terms[0]!) });
  }
  await prepare?.(confirmed.map((h) => h.chat));
  const hits: ArchiveHit[] = [];
  for (const hit of confirmed) if (await visible(hit.chat)) hits.push(hit);
  return { hits, candidates: Math.min(rows.length, MAX_CANDIDATES), truncated };
}

interface CandidateRow {
  msgid: string;
  seq: string;
  msg_time: Date;
  body_ciphertext: Buffer;
  body_key_id: string;
  staff_userid: string | null;
  external_userid: string | null;
  room_id: string | null;
  recalled_at: Date | null;
}

/**
 * The SQL that yields a search's candidates, newest first, at most
 * MAX_CANDIDATES + 1: index tokens under every configured key, inside the
 * scope, time range and filters. Exported for the bench's plan check.
 */
export function candidateQuery(searchKeys: SearchIndexKeys, scope: ReaderScope, input: ArchiveSearchInput): { sql: string; params: unknown[] } {
  const query = parseQuery(input.q);
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const byKey = searchKeys.keyIds
    .map((id) => `(m.search_key_id = ${param(id)} AND m.search_tokens @> ${param(searchKeys.hashAll(id, query.tokens))}::int4[])`)
    .join(" OR ");
  const filters = [
    input.staffUserid !== undefined ? `m.staff_userid = ${param(input.staffUserid)}` : null,
    input.externalUserid !== undefined ? `m.external_userid = ${param(input.externalUserid)}` : null,
    input.roomId !== undefined ? `m.room_id = ${param(input.roomId)}` : null,
  ].filter((f) => f !== null);
  const sql = `SELECT m.msgid, m.seq, m.msg_time, m.body_ciphertext, m.body_key_id, m.staff_userid, m.external_userid, m.room_id, m.recalled_at
       FROM archive_message m
      WHERE m.msg_time >= ${param(input.from)} AND m.msg_time < ${param(input.to)}
        AND (${byKey})
        AND ${scopeSql(scope, param)}
        ${filters.map((f) => `AND ${f}`).join(" ")}
      ORDER BY m.msg_time DESC, m.seq DESC
      LIMIT ${param(MAX_CANDIDATES + 1)}`;
  return { sql, params };
}

/**
 * The text around the first term. Normalisation keeps one character per
 * character almost always (full-width → half-width, case, 繁 → 简); when it
 * did not, the context is cut from the normalised text instead.
 */
export function highlight(text: string, normalized: string, term: string): Highlight {
  const source = [...text].length === [...normalized].length ? [...text] : [...normalized];
  const chars = [...normalized];
  const termLength = [...term].length;
  let at = -1;
  for (let i = 0; i + termLength <= chars.length; i++) {
    if (chars.slice(i, i + termLength).join("") === term) {
      at = i;
      break;
    }
  }
  if (at < 0) return { before: "", match: "", after: source.slice(0, CONTEXT_CHARS * 2).join("") };
  const start = Math.max(0, at - CONTEXT_CHARS);
  const end = Math.min(source.length, at + termLength + CONTEXT_CHARS);
  return {
    before: `${start > 0 ? "…" : ""}${source.slice(start, at).join("")}`,
    match: source.slice(at, at + termLength).join(""),
    after: `${source.slice(at + termLength, end).join("")}${end < source.length ? "…" : ""}`,
  };
}
