import type { ArchivedChat } from "../../conversations";
import type { MessageContent } from "../../wecom";
import { isExternalId } from "../../conversations";
import type { MessageObservation } from "../rules/observation";

/** The words a rule can match in a message; media carry none. */
export function textOf(c: MessageContent): string | undefined {
  switch (c.msgtype) {
    case "text":
      return c.content;
    case "link":
      return `${c.title} ${c.description}`;
    case "redpacket":
    case "external_redpacket":
      return c.wish;
    case "markdown":
      return c.content;
    case "docmsg":
      return c.title;
    case "news":
      return c.items.map((i) => `${i.title} ${i.description}`).join(" ");
    case "mixed":
      return c.items.map(textOf).filter((t) => t !== undefined).join(" ") || undefined;
    default:
      return undefined;
  }
}

/**
 * A stored archive message as the rules see it. Recalls and messages with no
 * staff member involved (a parent writing in a group) observe nothing.
 */
export function toObservation(chat: ArchivedChat): MessageObservation | undefined {
  const { message, staffUserid } = chat;
  if (message.action !== "send" || !staffUserid) return undefined;
  const externalUserIds = chat.roomId
    ? [...new Set([message.from, ...message.tolist].filter(isExternalId))]
    : chat.externalUserid
      ? [chat.externalUserid]
      : [];
  const text = textOf(message.content);
  return {
    kind: "message",
    msgid: message.msgid,
    at: message.msgtime,
    staffUserId: staffUserid,
    direction: message.from === staffUserid ? "outbound" : "inbound",
    externalUserIds,
    ...(chat.roomId ? { roomId: chat.roomId } : {}),
    msgtype: message.content.msgtype === "unknown" ? message.content.originalType : message.content.msgtype,
    ...(text !== undefined ? { text } : {}),
  };
}
