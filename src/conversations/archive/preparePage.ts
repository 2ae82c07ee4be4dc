import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { ArchiveSource, ChatDataRecord } from "../../wecom";
import { ArchivedMessageError, mediaRefs, parseArchivedMessage, type ArchivedMessage, type ChatMessage } from "../../wecom";
import type { ConsentCache, SingleConsent } from "./archiveConsent";
import { consentAllows, conversationScope, type ConversationScope } from "./conversationScope";
import { FinanceSdkError } from "../../wecom";
import type { RandomKeyDecryptor } from "../../wecom";
import { indexMessage } from "../searchIndex/indexMessage";
import type { SearchIndexKeys } from "../searchIndex/searchIndexKeys";

/** A message ready to insert: routing columns in clear, the body sealed at rest. */
export interface PreparedRow {
  msgid: string;
  seq: number;
  publickeyVer: number;
  action: "send" | "recall";
  msgtype: string;
  fromId: string;
  toList: string[];
  roomId: string | null;
  msgTime: Date;
  staffUserid: string | null;
  externalUserid: string | null;
  recallsMsgid: string | null;
  bodyCiphertext: Buffer;
  bodyKeyId: string;
  media: string | null;
  /** Blind-index entry (keyed token hashes and the key's id); null when no index key is wired (the back-fill indexes it). */
  searchTokens?: number[] | null;
  searchKeyId?: string | null;
  message: ChatMessage;
}

export interface DeadLetter {
  seq: number;
  msgid: string;
  publickeyVer: number | null;
  reason: string;
  chatdata: ChatDataRecord;
}

export type SkipReason = "internal" | "switch" | "malformed" | "no_consent";

export interface PreparedPage {
  /** The cursor may move here once the page is stored: every record up to it is stored, dead-lettered or deliberately skipped. */
  maxSeq: number;
  rows: PreparedRow[];
  deadLetters: DeadLetter[];
  consentChanges: SingleConsent[];
  skipped: Record<SkipReason, number>;
}

export interface PrepareDeps {
  source: Pick<ArchiveSource, "decryptData">;
  randomKeys: RandomKeyDecryptor;
  keyRing: DataKeyRing;
  consent: ConsentCache;
  searchKeys?: SearchIndexKeys;
}

type Decrypted = { record: ChatDataRecord; plaintext: string; message: ArchivedMessage; scope: ConversationScope };

/**
 * RSA + DecryptData + parse + scope + consent + seal for one page. Per-record
 * failures become dead letters, never exceptions: one bad record must neither
 * stall the archive nor be silently dropped. Records are handled in seq order
 * because an agree/disagree record changes what the records after it may keep.
 */
export async function preparePage(records: ChatDataRecord[], deps: PrepareDeps): Promise<PreparedPage> {
  const page: PreparedPage = {
    maxSeq: Math.max(...records.map((r) => r.seq)),
    rows: [],
    deadLetters: [],
    consentChanges: [],
    skipped: { internal: 0, switch: 0, malformed: 0, no_consent: 0 },
  };
  const dead = (record: ChatDataRecord, reason: string) =>
    page.deadLetters.push({
      seq: record.seq,
      msgid: record.msgid,
      publickeyVer: Number.isInteger(record.publickey_ver) ? record.publickey_ver : null,
      reason,
      chatdata: record,
    });

  const keys = await deps.randomKeys.decryptBatch(
    records.map((r) => ({ publickeyVer: r.publickey_ver, encryptedKey: r.encrypt_random_key })),
  );
  const decrypted: Decrypted[] = [];
  records.forEach((record, i) => {
    const key = keys[i]!;
    if ("error" in key) return dead(record, key.error);
    try {
      const plaintext = deps.source.decryptData(key.randomKey, record.encrypt_chat_msg);
      const message = parseArchivedMessage(plaintext);
      decrypted.push({ record, plaintext, message, scope: conversationScope(message) });
    } catch (err) {
      if (err instanceof FinanceSdkError || err instanceof ArchivedMessageError) return dead(record, err.message);
      throw err;
    }
  });

  await deps.consent.load(
    decrypted.flatMap(({ scope }) => (scope.kind === "one_to_one" ? [[scope.staffUserid, scope.externalUserid] as [string, string]] : [])),
    decrypted.flatMap(({ scope }) => (scope.kind === "group" ? scope.externalMembers.map((e) => [scope.roomId, e] as [string, string]) : [])),
  );

  for (const { record, plaintext, message, scope } of decrypted) {
    if (scope.kind === "out_of_scope") {
      page.skipped[scope.reason]++;
      continue;
    }
    const chat = message as ChatMessage;
    if (scope.kind === "one_to_one" && (chat.content.msgtype === "agree" || chat.content.msgtype === "disagree")) {
      const changedAt = chat.content.agreeTime > 0 ? new Date(chat.content.agreeTime) : chat.msgtime;
      deps.consent.setSingle(scope.staffUserid, scope.externalUserid, chat.content.msgtype);
      page.consentChanges.push({ ...scope, status: chat.content.msgtype, changedAt, source: "archive_message" });
    }
    if (!consentAllows(scope, deps.consent)) {
      page.skipped.no_consent++;
      continue;
    }
    const msgid = record.msgid || chat.msgid;
    // Bind the body to its msgid so a sealed body moved onto another row fails to open.
    const sealed = deps.keyRing.seal(plaintext, msgid);
    const media = mediaRefs(chat.content);
    // Indexed while the plaintext is in hand, so ingest never has to decrypt again for search.
    const index = deps.searchKeys ? indexMessage(deps.searchKeys, chat.content) : null;
    page.rows.push({
      msgid,
      seq: record.seq,
      publickeyVer: record.publickey_ver,
      action: chat.action,
      msgtype: chat.content.msgtype === "unknown" ? chat.content.originalType : chat.content.msgtype,
      fromId: chat.from,
      toList: chat.tolist,
      roomId: scope.kind === "group" ? scope.roomId : null,
      msgTime: chat.msgtime,
      staffUserid: scope.staffUserid,
      externalUserid: scope.kind === "one_to_one" ? scope.externalUserid : scope.externalSender,
      recallsMsgid: chat.content.msgtype === "revoke" ? chat.content.preMsgid : null,
      bodyCiphertext: sealed.ciphertext,
      bodyKeyId: sealed.keyId,
      media: media.length > 0 ? JSON.stringify(media) : null,
      searchTokens: index?.tokens ?? null,
      searchKeyId: index?.keyId ?? null,
      message: chat,
    });
  }
  return page;
}
