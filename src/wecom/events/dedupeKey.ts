import { createHash } from "node:crypto";
import type { WeComEvent } from "./types";

/**
 * The inbox's unique key (sha256 hex).
 *
 * Messages carry a MsgId, WeCom's own dedupe key for messages ("消息排重，推荐使用msgid排重",
 * developer.work.weixin.qq.com/document/path/90238).
 *
 * Events carry none, and (FromUserName, CreateTime) — Tencent's suggestion — is too coarse: "sys" sends
 * many different events in one second. A key built from the fields our parser keeps is too coarse as
 * well: two events differing only in fields the parser drops (DirectLeader, BizMail, ExtAttr, …) would
 * collide and the second would be answered 200 and lost. What makes an event the same event is its
 * whole decrypted plaintext: WeCom redelivers the same bytes, and a redelivery re-encrypted with a new
 * random prefix and nonce decrypts to the same plaintext (path/90968 加解密方案: random(16B) + msg_len +
 * msg + receiveid; only the random part changes). So the key is the plaintext itself, with only the
 * surrounding whitespace removed.
 */
export function dedupeKey(event: WeComEvent, plaintextXml: string): string {
  const key = event.type === "text" ? `msg:${event.msgId}` : `event:${plaintextXml.trim()}`;
  return createHash("sha256").update(key).digest("hex");
}
