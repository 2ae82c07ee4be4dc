/**
 * The decrypted archive record, typed. Field names follow WeCom's JSON
 * (path/91774); anything we do not model is kept raw so nothing is lost.
 */

export interface MediaRef {
  sdkfileid: string;
  md5sum?: string;
  filesize?: number;
  /** file messages carry the original name. */
  filename?: string;
  fileext?: string;
}

export type MessageContent =
  | { msgtype: "text"; content: string }
  | { msgtype: "image" | "voice" | "video" | "file" | "emotion"; media: MediaRef }
  | { msgtype: "link"; title: string; description: string; url: string }
  | { msgtype: "card"; corpname: string; userid: string }
  /** external_redpacket: 互通红包 (with WeChat users or another company), same body as redpacket. */
  | { msgtype: "redpacket" | "external_redpacket"; wish: string; totalAmount: number; totalCount: number }
  /** 在线文档 (msgtype docmsg, body key doc). */
  | { msgtype: "docmsg"; title: string; url: string; creator: string }
  /** Robot markdown (body key info). */
  | { msgtype: "markdown"; content: string }
  /** 图文 (body key info). */
  | { msgtype: "news"; items: Array<{ title: string; description: string; url: string }> }
  | { msgtype: "agree" | "disagree"; userid: string; agreeTime: number }
  | { msgtype: "revoke"; preMsgid: string }
  | { msgtype: "mixed"; items: MessageContent[] }
  | { msgtype: "unknown"; originalType: string; raw: unknown };

/** A message sent, or a recall of an earlier one (action recall, msgtype revoke). */
export interface ChatMessage {
  kind: "message";
  msgid: string;
  action: "send" | "recall";
  from: string;
  tolist: string[];
  /** Empty for 1:1 chats. */
  roomid: string;
  msgtime: Date;
  content: MessageContent;
}

/** A staff member switching the enterprise account on a device; no conversation. */
export interface SwitchRecord {
  kind: "switch";
  msgid: string;
  user: string;
  time: Date;
}

export type ArchivedMessage = ChatMessage | SwitchRecord;

export class ArchivedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchivedMessageError";
  }
}

// Raw control characters appear inside WeCom's JSON strings and make JSON.parse fail
// (silenceper and SKIT strip them too). Escaped ones (\n) are untouched.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f]/g;

export function stripControlChars(json: string): string {
  return json.replace(controlChars, "");
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const num = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : 0);

function media(v: unknown): MediaRef {
  const m = obj(v);
  const ref: MediaRef = { sdkfileid: str(m.sdkfileid) };
  if (m.md5sum !== undefined) ref.md5sum = str(m.md5sum);
  // The size has a different key per type: voice voice_size, emotion imagesize, the others filesize
  // (silenceper/wechat work/msgaudit/message.go VoiceMessage, EmotionMessage, ImageMessage).
  const size = m.filesize ?? m.voice_size ?? m.imagesize;
  if (size !== undefined) ref.filesize = num(size);
  if (m.filename !== undefined) ref.filename = str(m.filename);
  if (m.fileext !== undefined) ref.fileext = str(m.fileext);
  return ref;
}

function content(msgtype: string, body: unknown): MessageContent {
  const b = obj(body);
  switch (msgtype) {
    case "text":
      return { msgtype, content: str(b.content) };
    case "image":
    case "voice":
    case "video":
    case "file":
    case "emotion":
      return { msgtype, media: media(body) };
    case "link":
      return { msgtype, title: str(b.title), description: str(b.description), url: str(b.link_url) };
    case "card":
      return { msgtype, corpname: str(b.corpname), userid: str(b.userid) };
    case "redpacket":
    case "external_redpacket":
      return { msgtype, wish: str(b.wish), totalAmount: num(b.totalamount), totalCount: num(b.totalcnt) };
    case "docmsg":
      return { msgtype, title: str(b.title), url: str(b.link_url), creator: str(b.doc_creator) };
    case "markdown":
      return { msgtype, content: str(b.content) };
    case "news": {
      const items = Array.isArray(b.item) ? b.item : [];
      return { msgtype, items: items.map((raw: unknown) => ({ title: str(obj(raw).title), description: str(obj(raw).description), url: str(obj(raw).url) })) };
    }
    case "agree":
    case "disagree":
      // A refusal's time is disagree_time (Tencent's 会话内容存档 sample; kept with agree_time as fallback).
      return { msgtype, userid: str(b.userid), agreeTime: num(msgtype === "disagree" ? (b.disagree_time ?? b.agree_time) : b.agree_time) };
    case "revoke":
      return { msgtype, preMsgid: str(b.pre_msgid) };
    case "mixed": {
      // Each item is {type, content: "<JSON text>"}.
      const items = Array.isArray(b.item) ? b.item : [];
      return {
        msgtype,
        items: items.map((raw: unknown) => {
          const item = obj(raw);
          let inner: unknown = item.content;
          if (typeof inner === "string") {
            try {
              inner = JSON.parse(inner);
            } catch {
              return { msgtype: "unknown", originalType: str(item.type), raw: item.content } as MessageContent;
            }
          }
          return content(str(item.type), inner);
        }),
      };
    }
    default:
      return { msgtype: "unknown", originalType: msgtype, raw: body };
  }
}

/**
 * The type-specific object sits under a key named after the msgtype, except for these (silenceper/wechat
 * work/msgaudit/message.go: ExternalRedPacketMessage `redpacket`, DocMessage `doc`, MarkdownMessage and
 * NewsMessage `info`; a stored record reads {"msgtype":"external_redpacket","redpacket":{"type":1,…}}).
 */
const bodyKey: Record<string, string> = { external_redpacket: "redpacket", docmsg: "doc", markdown: "info", news: "info" };

const baseFields = new Set(["msgid", "action", "from", "tolist", "roomid", "msgtime", "msgtype"]);

function omitBase(m: Json): Json {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !baseFields.has(k)));
}

/** WeCom times are epoch milliseconds (switch records: `time`). */
function epochMs(v: unknown, field: string): Date {
  const ms = num(v);
  if (!Number.isFinite(ms) || ms <= 0) throw new ArchivedMessageError(`${field} is missing or invalid`);
  return new Date(ms);
}

/** Parse DecryptData's plaintext. Throws ArchivedMessageError when it is not a usable record. */
export function parseArchivedMessage(plaintext: string): ArchivedMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripControlChars(plaintext));
  } catch {
    throw new ArchivedMessageError("decrypted message is not JSON");
  }
  const m = obj(parsed);
  const msgid = str(m.msgid);
  if (msgid === "") throw new ArchivedMessageError("decrypted message has no msgid");
  const action = str(m.action);
  if (action === "switch") return { kind: "switch", msgid, user: str(m.user), time: epochMs(m.time, "time") };
  if (action !== "send" && action !== "recall") throw new ArchivedMessageError(`unknown action "${action}"`);
  const msgtype = str(m.msgtype);
  const key = bodyKey[msgtype] ?? msgtype;
  // A type we do not model keeps its whole body: under its key, or (vote, whose fields sit at the top) the record itself.
  const body = key in m ? m[key] : omitBase(m);
  return {
    kind: "message",
    msgid,
    action,
    from: str(m.from),
    tolist: Array.isArray(m.tolist) ? m.tolist.map(str) : [],
    roomid: str(m.roomid),
    msgtime: epochMs(m.msgtime, "msgtime"),
    content: content(msgtype, body),
  };
}

/** Media references in a message, for the media metadata column (and a later media fetch). */
export function mediaRefs(c: MessageContent): MediaRef[] {
  if ("media" in c) return [c.media];
  if (c.msgtype === "mixed") return c.items.flatMap(mediaRefs);
  return [];
}
