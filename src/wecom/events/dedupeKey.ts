import { createHash } from "node:crypto";
import type { WeComEvent } from "./types";

/** JSON with object keys sorted, so the same event always serialises the same way. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The inbox's unique key (sha256 hex). Messages carry a MsgId. Events do not,
 * and (sender, CreateTime) is too coarse: "sys" sends many different events in
 * one second (WxJava and Senparc dropped real events that way). So an event's
 * key covers every field it carries (Event, ChangeType, UserID,
 * ExternalUserID, ChatId, EventKey, TaskId, ResponseCode, UpdateDetail,
 * FailReason, member lists, CreateTime, ...): only a true redelivery, which
 * repeats the XML byte for byte, collides.
 */
export function dedupeKey(event: WeComEvent): string {
  const key = event.type === "text" ? `msg:${event.msgId}` : `event:${canonical(event)}`;
  return createHash("sha256").update(key).digest("hex");
}
