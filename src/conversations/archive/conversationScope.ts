import type { ArchivedMessage } from "../../wecom";

/** external_userid values (customers, i.e. parents) start with "wo" or "wm"; everyone else is staff (or a bot). */
export function isExternalId(id: string): boolean {
  return id.startsWith("wo") || id.startsWith("wm");
}

export type ConversationScope =
  | { kind: "one_to_one"; staffUserid: string; externalUserid: string }
  | { kind: "group"; roomId: string; externalMembers: string[]; staffUserid: string | null; externalSender: string | null }
  | { kind: "out_of_scope"; reason: "internal" | "switch" | "malformed" };

/**
 * Which conversation a record belongs to. Only chats between staff and
 * parents are mirrored: internal staff chats are not ours to keep (PIPL
 * necessity), and switch records carry no conversation.
 */
export function conversationScope(message: ArchivedMessage): ConversationScope {
  if (message.kind === "switch") return { kind: "out_of_scope", reason: "switch" };
  const participants = [message.from, ...message.tolist].filter((id) => id !== "");
  const externals = [...new Set(participants.filter(isExternalId))];
  if (message.roomid !== "") {
    if (externals.length === 0) return { kind: "out_of_scope", reason: "internal" };
    const fromExternal = isExternalId(message.from);
    return {
      kind: "group",
      roomId: message.roomid,
      externalMembers: externals,
      staffUserid: fromExternal ? null : message.from,
      externalSender: fromExternal ? message.from : null,
    };
  }
  const peer = message.tolist[0] ?? "";
  if (message.from === "" || peer === "") return { kind: "out_of_scope", reason: "malformed" };
  const fromExternal = isExternalId(message.from);
  if (fromExternal === isExternalId(peer)) return { kind: "out_of_scope", reason: "internal" };
  return fromExternal
    ? { kind: "one_to_one", staffUserid: peer, externalUserid: message.from }
    : { kind: "one_to_one", staffUserid: message.from, externalUserid: peer };
}

export type ConsentStatus = "agree" | "disagree";

/** Current consent per pair: "staff|external" for 1:1, "room|external" for groups. */
export interface ConsentView {
  single(staffUserid: string, externalUserid: string): ConsentStatus | undefined;
  room(roomId: string, externalUserid: string): ConsentStatus | undefined;
}

/**
 * Parents' chats are archived on consent (PIPL 13(1)(1)): no recorded
 * "agree" means not stored. A group is stored only when every external member
 * taking part in the message has agreed for that room (check_room_agree
 * semantics); one refusing parent keeps the message out.
 */
export function consentAllows(scope: ConversationScope, consent: ConsentView): boolean {
  switch (scope.kind) {
    case "one_to_one":
      return consent.single(scope.staffUserid, scope.externalUserid) === "agree";
    case "group":
      return scope.externalMembers.every((ext) => consent.room(scope.roomId, ext) === "agree");
    case "out_of_scope":
      return false;
  }
}
