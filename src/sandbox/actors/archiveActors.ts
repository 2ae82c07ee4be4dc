import { randomBytes } from "node:crypto";
import type { CallbackDelivery } from "../callbacks/deliverer";
import { msgauditNotify } from "../callbacks/events";
import type { SandboxCore } from "../core";
import { checkIntercept, type InterceptVerdict } from "../intercept/interceptMatch";

const MEDIA_TYPES = ["image", "voice", "video", "file", "emotion"];

/**
 * Where WeCom puts a type's body when the key is not the msgtype (silenceper/wechat work/msgaudit/message.go:
 * ExternalRedPacketMessage `redpacket`, DocMessage `doc`, MarkdownMessage and NewsMessage `info`).
 */
const BODY_KEYS: Record<string, string> = { external_redpacket: "redpacket", docmsg: "doc", markdown: "info", news: "info" };

/** The media size key per type (same source: VoiceMessage voice_size, EmotionMessage imagesize, others filesize). */
function sizedMedia(msgtype: string, stored: { sdkfileid: string; md5sum: string; filesize: number }): Record<string, unknown> {
  const { filesize, ...rest } = stored;
  const key = msgtype === "voice" ? "voice_size" : msgtype === "emotion" ? "imagesize" : "filesize";
  return { ...rest, [key]: filesize };
}

export interface ChatInput {
  from: string;
  /** Recipients of a 1:1 chat, or explicit tolist for a room. */
  to?: string | string[];
  roomid?: string;
  /** Shortcut for msgtype "text". */
  content?: string;
  msgtype?: string;
  /** The type's object as WeCom puts it under its body key (e.g. link: {title, link_url}; docmsg: doc). */
  payload?: Record<string, unknown>;
  /** Media bytes for image/voice/video/file/emotion; the payload gets sdkfileid, md5sum and the size (voice_size, imagesize or filesize). */
  media?: Buffer;
  /** Fire msgaudit_notify (throttled to one per 15 s of sandbox time). */
  notify?: boolean;
}

export type ArchivedMessage = Record<string, unknown> & { msgid: string; seq: number };

/** Conversations between members and parents as the chat archive records them. */
export function archiveActors(core: SandboxCore) {
  const { state, clock, archive, archiveNotifier, callbacks, corp } = core;

  function newMsgid(msgtime: number): string {
    return `${randomBytes(10).toString("hex")}_${msgtime}_external`;
  }

  function store(message: Record<string, unknown> & { msgid: string }, notify: boolean | undefined): ArchivedMessage {
    const seq = archive.append(message);
    if (notify) void archiveNotifier.newMessages();
    return { ...message, seq };
  }

  function tolist(input: ChatInput): string[] {
    if (input.to !== undefined) return Array.isArray(input.to) ? input.to : [input.to];
    const room = input.roomid ? state.groupChats.get(input.roomid) : undefined;
    if (!room) throw new Error("sandbox chat: give `to`, or a known `roomid`");
    return room.members.map((m) => m.userid).filter((id) => id !== input.from);
  }

  /** A member writing to customers passes WeCom's chat interception first; colleagues' chats do not. */
  function interceptVerdict(input: ChatInput, msgtype: string, payload: Record<string, unknown>): InterceptVerdict {
    if (!state.users.has(input.from)) return { outcome: "sent", rules: [] };
    const withCustomers = input.roomid ? state.groupChats.has(input.roomid) : tolist(input).some((id) => !state.users.has(id));
    if (!withCustomers) return { outcome: "sent", rules: [] };
    const text = typeof payload.content === "string" ? payload.content : "";
    return checkIntercept(state, input.from, msgtype, text);
  }

  function chat(input: ChatInput): ArchivedMessage {
    const sent = send(input);
    if (!sent.message) throw new Error(`sandbox chat: blocked on the phone by intercept rule ${sent.verdict.rules.map((r) => r.ruleName).join(", ")}`);
    return sent.message;
  }

  /**
   * What the member's phone does with the message: blocked by an intercept rule (nothing is sent or
   * archived), sent with a warning, or sent. `chat` is the same for callers that expect it to go out.
   */
  function send(input: ChatInput): { verdict: InterceptVerdict; message?: ArchivedMessage } {
    const msgtype = input.msgtype ?? "text";
    const verdict = interceptVerdict(input, msgtype, input.payload ?? (input.content !== undefined ? { content: input.content } : {}));
    if (verdict.outcome === "blocked") return { verdict };
    return { verdict, message: deliver(input) };
  }

  function deliver(input: ChatInput): ArchivedMessage {
    const msgtime = clock.now().getTime();
    const msgtype = input.msgtype ?? "text";
    let payload = input.payload ?? (input.content !== undefined ? { content: input.content } : {});
    if (input.media && MEDIA_TYPES.includes(msgtype)) payload = { ...payload, ...sizedMedia(msgtype, archive.storeMedia(input.media)) };
    return store(
      {
        msgid: newMsgid(msgtime),
        action: "send",
        from: input.from,
        tolist: tolist(input),
        roomid: input.roomid ?? "",
        msgtime,
        msgtype,
        [BODY_KEYS[msgtype] ?? msgtype]: payload,
      },
      input.notify,
    );
  }

  return {
    chat,
    send,

    /** The sender recalls an earlier message: a "recall" record with revoke.pre_msgid. */
    recall(original: ArchivedMessage, notify?: boolean): ArchivedMessage {
      const msgtime = clock.now().getTime();
      return store(
        {
          msgid: newMsgid(msgtime),
          action: "recall",
          from: original.from,
          tolist: original.tolist,
          roomid: original.roomid,
          msgtime,
          msgtype: "revoke",
          revoke: { pre_msgid: original.msgid },
        },
        notify,
      );
    },

    /** A parent agrees (or not) to archiving inside the chat: an agree/disagree record. */
    agreeRecord(externalUserId: string, userid: string, agree: boolean, notify?: boolean): ArchivedMessage {
      const msgtime = clock.now().getTime();
      const msgtype = agree ? "agree" : "disagree";
      return store(
        {
          msgid: newMsgid(msgtime),
          action: "send",
          from: externalUserId,
          tolist: [userid],
          roomid: "",
          msgtime,
          msgtype,
          [msgtype]: { userid: externalUserId, agree_time: msgtime },
        },
        notify,
      );
    },

    /** A member switching enterprise: `{msgid, action:"switch", time, user}` with no msgtype. */
    switchRecord(userid: string): ArchivedMessage {
      const time = clock.now().getTime();
      return store({ msgid: newMsgid(time), action: "switch", time, user: userid }, false);
    },

    injectUndecryptable(kind: "unknown_key_version" | "garbage_ciphertext"): number {
      return archive.appendUndecryptable(kind);
    },

    /** An unthrottled msgaudit_notify, for tests of the receiving side. */
    archiveNotify(): Promise<CallbackDelivery> {
      return callbacks.send(msgauditNotify(corp.agentId));
    },
  };
}
