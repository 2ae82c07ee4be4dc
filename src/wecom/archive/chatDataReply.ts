import type { ChatDataPage, ChatDataRecord } from "./archiveSource";
import { FinanceSdkError } from "./financeSdkError";

/**
 * Validate a GetChatData reply (from the SDK slice or the sandbox feed). A
 * malformed record is kept with what we could read so the drain can
 * dead-letter it by seq instead of losing it or stalling on it.
 */
export function parseChatDataReply(text: string, operation: string): ChatDataPage {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new FinanceSdkError(10002, operation, "reply is not JSON");
  }
  if (typeof reply !== "object" || reply === null) throw new FinanceSdkError(10002, operation, "reply is not an object");
  const { errcode, errmsg, chatdata } = reply as { errcode?: unknown; errmsg?: unknown; chatdata?: unknown };
  if (typeof errcode === "number" && errcode !== 0) {
    throw new FinanceSdkError(errcode, operation, typeof errmsg === "string" ? errmsg : undefined);
  }
  if (chatdata === undefined) return { chatdata: [] };
  if (!Array.isArray(chatdata)) throw new FinanceSdkError(10002, operation, "chatdata is not an array");
  const records: ChatDataRecord[] = chatdata.map((raw: unknown) => {
    const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const seq = Number(r.seq);
    if (!Number.isSafeInteger(seq) || seq < 0) throw new FinanceSdkError(10002, operation, "a chatdata record has no valid seq");
    return {
      seq,
      msgid: typeof r.msgid === "string" ? r.msgid : "",
      publickey_ver: Number(r.publickey_ver),
      encrypt_random_key: typeof r.encrypt_random_key === "string" ? r.encrypt_random_key : "",
      encrypt_chat_msg: typeof r.encrypt_chat_msg === "string" ? r.encrypt_chat_msg : "",
    };
  });
  return { chatdata: records };
}
