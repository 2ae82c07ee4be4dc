import { MessageObservation } from "./observation";

export interface ConversationContext {
  before: MessageObservation[];
  hit: MessageObservation;
  after: MessageObservation[];
}

/** Same group chat, or the same staff–parent 1:1 chat. */
function sameConversation(a: MessageObservation, b: MessageObservation): boolean {
  if (a.roomId || b.roomId) return a.roomId === b.roomId;
  return a.staffUserId === b.staffUserId && a.externalUserIds[0] === b.externalUserIds[0];
}

/**
 * The messages around a hit in its own conversation, so HR can judge a hit
 * without opening the archive. Input may be unsorted and hold other chats;
 * ties in time keep input order. Null when the hit is not among the messages.
 */
export function contextWindow(
  messages: MessageObservation[],
  hitMsgid: string,
  before = 5,
  after = 5,
): ConversationContext | null {
  const hit = messages.find((m) => m.msgid === hitMsgid);
  if (!hit) return null;
  const seen = new Set<string>();
  const conversation = messages
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => sameConversation(m, hit) && !seen.has(m.msgid) && seen.add(m.msgid))
    .sort((a, b) => a.m.at.getTime() - b.m.at.getTime() || a.i - b.i)
    .map(({ m }) => m);
  const at = conversation.findIndex((m) => m.msgid === hitMsgid);
  return {
    before: conversation.slice(Math.max(0, at - before), at),
    hit,
    after: conversation.slice(at + 1, at + 1 + after),
  };
}
