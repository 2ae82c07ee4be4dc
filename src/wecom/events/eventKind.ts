import type { WeComEvent } from "./types";

/**
 * The dispatch key stored in wecom_inbox.kind: the message or event type, and
 * the ChangeType after a colon where WeCom multiplexes one event
 * ("change_external_contact:add_external_contact"). Handlers may register on
 * the part before the colon to receive every change type.
 */
export function eventKind(event: WeComEvent): string {
  switch (event.type) {
    case "change_external_contact":
    case "change_external_chat":
    case "change_contact":
      return `${event.type}:${event.changeType}`;
    case "unknown": {
      const name = event.event ?? event.msgType;
      return `unknown:${event.changeType ? `${name}:${event.changeType}` : name}`;
    }
    default:
      return event.type;
  }
}
