import { encrypt, getSignature } from "@wecom/crypto";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";

/** A distinct, realistic (~600 B) text message from a parent-facing teacher, encrypted and signed as WeCom would. */
export function signedCallback(id: number, timestamp: number, content = `王老师您好，孩子今天的作业已经完成，请查收。编号 ${id}`): { query: string; body: string } {
  const inner =
    `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName>` +
    `<FromUserName><![CDATA[teacher_${id % 500}]]></FromUserName><CreateTime>${timestamp}</CreateTime>` +
    `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${7_000_000_000_000_000_000n + BigInt(id)}</MsgId><AgentID>${SANDBOX_CORP.agentId}</AgentID></xml>`;
  const cipher = encrypt(SANDBOX_CORP.encodingAesKey, inner, SANDBOX_CORP.corpId);
  const nonce = String(100000 + id);
  const signature = getSignature(SANDBOX_CORP.token, timestamp, nonce, cipher);
  return {
    query: `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    body:
      `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName>` +
      `<AgentID><![CDATA[${SANDBOX_CORP.agentId}]]></AgentID><Encrypt><![CDATA[${cipher}]]></Encrypt></xml>`,
  };
}

/** Mixed contact events on the demo corp's real relations: an edit reads WeCom (the sandbox), deletions are database-only. */
export const CONTACT_MIX = [
  { changeType: "edit_external_contact", userId: "zhangli", externalUserId: "wmParentLi0001" },
  { changeType: "edit_external_contact", userId: "zhangli", externalUserId: "wmParentZhao002" },
  { changeType: "del_follow_user", userId: "liuyang", externalUserId: "wmParentZhou004" },
  { changeType: "del_external_contact", userId: "zhangli", externalUserId: "wmParentQian003" },
] as const;

/** Event number `id` of the contact mix as WeCom's decrypted XML (distinct by its State), with its dispatch kind. */
export function contactEventXml(id: number, timestamp: number): { kind: string; xml: string } {
  const m = CONTACT_MIX[id % CONTACT_MIX.length]!;
  const xml =
    `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>` +
    `<ChangeType><![CDATA[${m.changeType}]]></ChangeType><UserID><![CDATA[${m.userId}]]></UserID>` +
    `<ExternalUserID><![CDATA[${m.externalUserId}]]></ExternalUserID><State><![CDATA[bench-${id}]]></State></xml>`;
  return { kind: `change_external_contact:${m.changeType}`, xml };
}

/** Event number `id` of the contact mix, encrypted and signed as WeCom would (distinct by its State). */
export function signedContactEvent(id: number, timestamp: number): { query: string; body: string } {
  const inner = contactEventXml(id, timestamp).xml;
  const cipher = encrypt(SANDBOX_CORP.encodingAesKey, inner, SANDBOX_CORP.corpId);
  const nonce = String(200000 + id);
  return {
    query: `msg_signature=${getSignature(SANDBOX_CORP.token, timestamp, nonce, cipher)}&timestamp=${timestamp}&nonce=${nonce}`,
    body: `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt></xml>`,
  };
}
