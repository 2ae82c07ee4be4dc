import { jaccard, contentLength, shingle, Shingles } from "./nearDuplicate";
import { MessageObservation } from "./observation";

/** An outbound message kept in the per-staff sliding window. */
export interface WindowMessage {
  msgid: string;
  atMs: number;
  parents: string[];
  conversation: string;
  /** Null for texts too short (or absent) to compare. */
  shingles: Shingles | null;
}

export interface MassMessagingParams {
  distinctParents: number;
  duplicateParents: number;
  similarity: number;
  minConversations: number;
}

export interface MassMessagingFinding {
  parents: string[];
  msgids: string[];
  reasons: string[];
  /** Set when the finding is about one text (so later copies join the incident). */
  template?: Shingles;
}

export const VOLUME_REASON = "短时间内向大量家长发消息";
export const DUPLICATE_REASON = "相同或相似内容发给多位家长";

export function toWindowMessage(msg: MessageObservation, minTextLength: number): WindowMessage {
  const comparable = msg.text !== undefined && contentLength(msg.text) >= minTextLength;
  return {
    msgid: msg.msgid,
    atMs: msg.at.getTime(),
    parents: [...new Set(msg.externalUserIds)],
    conversation: msg.roomId ? `room:${msg.roomId}` : `single:${msg.externalUserIds[0] ?? ""}`,
    shingles: comparable ? shingle(msg.text!) : null,
  };
}

function reach(messages: WindowMessage[]): { parents: Set<string>; conversations: Set<string> } {
  const parents = new Set<string>();
  const conversations = new Set<string>();
  for (const m of messages) {
    m.parents.forEach((p) => parents.add(p));
    conversations.add(m.conversation);
  }
  return { parents, conversations };
}

function similarTo(template: Shingles, window: WindowMessage[], threshold: number): WindowMessage[] {
  return window.filter((m) => m.shingles !== null && jaccard(template, m.shingles) >= threshold);
}

/**
 * Evaluates the window (which already contains `current`). Two signals:
 * volume (≥ N distinct parents) and duplication (≥ K parents got the same or a
 * near-same text). Both need several conversations: a single post in one class
 * group reaches 40 parents and is ordinary teaching.
 *
 * With an incident already open, `current` also counts when it is another copy
 * of the incident's text, even if the window alone is no longer over threshold.
 */
export function findMassMessaging(
  window: WindowMessage[],
  current: WindowMessage,
  openTemplate: Shingles | undefined,
  p: MassMessagingParams,
): MassMessagingFinding | null {
  const picked = new Map<string, WindowMessage>();
  const reasons: string[] = [];
  let template: Shingles | undefined;

  const all = reach(window);
  if (all.parents.size >= p.distinctParents && all.conversations.size >= p.minConversations) {
    window.forEach((m) => picked.set(m.msgid, m));
    reasons.push(VOLUME_REASON);
  }
  if (current.shingles) {
    const cluster = similarTo(current.shingles, window, p.similarity);
    const r = reach(cluster);
    if (r.parents.size >= p.duplicateParents && r.conversations.size >= p.minConversations) {
      cluster.forEach((m) => picked.set(m.msgid, m));
      reasons.push(DUPLICATE_REASON);
      template = current.shingles;
    } else if (openTemplate && jaccard(openTemplate, current.shingles) >= p.similarity) {
      picked.set(current.msgid, current);
      reasons.push(DUPLICATE_REASON);
    }
  }
  if (picked.size === 0) return null;
  const messages = [...picked.values()].sort((a, b) => a.atMs - b.atMs);
  return {
    parents: [...reach(messages).parents],
    msgids: messages.map((m) => m.msgid),
    reasons,
    ...(template ? { template } : {}),
  };
}
