import { encrypt, getSignature } from "@wecom/crypto";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";

/** Plays WeCom: encrypts and signs callbacks with the official @wecom/crypto package. */
export interface SignOptions {
  timestamp: number;
  nonce?: string;
  /** The receive id inside the ciphertext; another corp's id plays a foreign callback. */
  receiveId?: string;
  token?: string;
  encodingAesKey?: string;
}

export function signedCallback(innerXml: string, o: SignOptions): { query: string; body: string } {
  const token = o.token ?? SANDBOX_CORP.token;
  const nonce = o.nonce ?? "n" + Math.random().toString(36).slice(2);
  const cipher = encrypt(o.encodingAesKey ?? SANDBOX_CORP.encodingAesKey, innerXml, o.receiveId ?? SANDBOX_CORP.corpId);
  const signature = getSignature(token, o.timestamp, nonce, cipher);
  const query = new URLSearchParams({ msg_signature: signature, timestamp: String(o.timestamp), nonce }).toString();
  const body = `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName><AgentID><![CDATA[${SANDBOX_CORP.agentId}]]></AgentID><Encrypt><![CDATA[${cipher}]]></Encrypt></xml>`;
  return { query, body };
}

export const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** Decrypted event XML from name/value pairs (values are CDATA unless they are plain digits). */
export function eventXml(fields: Record<string, string | number>, extra = ""): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === "number" ? v : cdata(v)}</${k}>`)
    .join("\n");
  return `<xml><ToUserName>${cdata(SANDBOX_CORP.corpId)}</ToUserName>\n${body}${extra}</xml>`;
}

export function textMessage(msgId: string, createTime: number, content = "你好"): string {
  return eventXml({ FromUserName: "zhangsan", CreateTime: createTime, MsgType: "text", Content: content, MsgId: msgId, AgentID: 1000002 });
}

export function externalContactEvent(changeType: string, createTime: number, extra: Record<string, string> = {}): string {
  return eventXml({
    FromUserName: "sys",
    CreateTime: createTime,
    MsgType: "event",
    Event: "change_external_contact",
    ChangeType: changeType,
    UserID: "teacher_li",
    ExternalUserID: "wmParent001",
    ...extra,
  });
}

/**
 * SQL for a field of a stored callback (wecom_inbox.raw_xml, CDATA or plain digits), for tests that find inbox rows by
 * what WeCom sent: the inbox keeps the XML as received and no parsed copy (migration 1767200000000).
 */
export const storedField = (name: string): string => `substring(raw_xml from '<${name}>(?:<!\\[CDATA\\[)?([^<\\]]*)')`;

/**
 * SQL for a well-formed decrypted callback of message type `msgType` (an SQL expression), padded with `padding` bytes:
 * what a test stores directly in the inbox for the worker to claim and parse.
 */
export const storedXmlSql = (msgType: string, padding = 0): string =>
  `'<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1767225600</CreateTime>` +
  `<MsgType><![CDATA[' || ${msgType} || ']]></MsgType><Pad>${"x".repeat(padding)}</Pad></xml>'`;
