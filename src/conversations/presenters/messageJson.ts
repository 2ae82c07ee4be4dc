import type { StoredChat } from "../archive/readArchivedMessages";
import { formatChinaTime } from "../../calendar";
import { messageText } from "./messageText";

export interface MessageView {
  msgid: string;
  action: "send" | "recall";
  type: string;
  from: string;
  to: string[];
  roomId: string | null;
  sentAt: string;
  sentAtChina: string;
  text: string;
  /** The original content stays: a recalled message is evidence. */
  recalled: boolean;
  recalledAt: string | null;
  content: unknown;
}

export function messageView(chat: StoredChat): MessageView {
  const m = chat.message;
  return {
    msgid: m.msgid,
    action: m.action,
    type: m.content.msgtype === "unknown" ? m.content.originalType : m.content.msgtype,
    from: m.from,
    to: m.tolist,
    roomId: chat.roomId,
    sentAt: m.msgtime.toISOString(),
    sentAtChina: formatChinaTime(m.msgtime),
    text: messageText(m.content),
    recalled: chat.recalledAt !== null,
    recalledAt: chat.recalledAt?.toISOString() ?? null,
    content: m.content,
  };
}
