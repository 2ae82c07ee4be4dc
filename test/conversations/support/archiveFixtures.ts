import { constants, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from "node:crypto";
import type { ArchiveSource, ChatDataPage, ChatDataRecord, MediaChunk } from "../../../src/wecom/archive/archiveSource";
import { sandboxDecryptChatMsg, sandboxEncryptChatMsg } from "../../../src/wecom/archive/sandboxChatCipher";

export interface RsaPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  privatePem: string;
}

export function rsaPair(): RsaPair {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { publicKey, privateKey, privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/** A 32-character ASCII random key, like WeCom's. */
export function randomKey(): string {
  return randomBytes(24).toString("base64");
}

export function sealRandomKey(publicKey: KeyObject, key: string): string {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(key, "latin1")).toString("base64");
}

/** What WeCom would put in chatdata for `message`, encrypted the sandbox way. */
export function chatRecord(seq: number, message: Record<string, unknown>, publicKey: KeyObject, publickeyVer = 1): ChatDataRecord {
  const key = randomKey();
  return {
    seq,
    msgid: String(message.msgid),
    publickey_ver: publickeyVer,
    encrypt_random_key: sealRandomKey(publicKey, key),
    encrypt_chat_msg: sandboxEncryptChatMsg(key, JSON.stringify(message)),
  };
}

const t0 = Date.parse("2026-03-02T09:00:00+08:00");

export function text(msgid: string, from: string, to: string[], content: string, opts: { roomid?: string; at?: number } = {}) {
  return { msgid, action: "send", from, tolist: to, roomid: opts.roomid ?? "", msgtime: opts.at ?? t0, msgtype: "text", text: { content } };
}

export function recall(msgid: string, from: string, to: string[], preMsgid: string, at = t0 + 60_000) {
  return { msgid, action: "recall", from, tolist: to, roomid: "", msgtime: at, msgtype: "revoke", revoke: { pre_msgid: preMsgid } };
}

export function agree(msgid: string, parent: string, staff: string, status: "agree" | "disagree", at = t0 - 60_000) {
  return { msgid, action: "send", from: parent, tolist: [staff], roomid: "", msgtime: at, msgtype: status, [status]: { userid: parent, agree_time: at } };
}

/** An archive held in memory; `failOnCall` simulates the process dying mid-drain. */
export class MemoryArchiveSource implements ArchiveSource {
  calls = 0;
  failOnCall: number | undefined;

  constructor(public records: ChatDataRecord[]) {}

  async getChatData(seq: number, limit: number): Promise<ChatDataPage> {
    this.calls++;
    if (this.failOnCall === this.calls) throw new Error("simulated crash");
    return { chatdata: this.records.filter((r) => r.seq > seq).sort((a, b) => a.seq - b.seq).slice(0, limit) };
  }

  decryptData(key: string, msg: string): string {
    return sandboxDecryptChatMsg(key, msg);
  }

  async getMediaData(): Promise<MediaChunk> {
    throw new Error("no media in memory");
  }

  async close(): Promise<void> {}
}
