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
