import { comparableShingles, Shingles, similarAtLeast } from "./nearDuplicate";
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
  return {
    msgid: msg.msgid,
    atMs: msg.at.getTime(),
    parents: [...new Set(msg.externalUserIds)],
    conversation: msg.roomId ? `room:${msg.roomId}` : `single:${msg.externalUserIds[0] ?? ""}`,
    shingles: msg.text === undefined ? null : comparableShingles(msg.text, minTextLength),
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

/** What the detector needs to know about an incident already open for this staff member. */
export interface OpenMassMessaging {
  reasons: string[];
  template?: Shingles;
}

/**
 * Evaluates the window (which already contains `current`). Two signals:
 * volume (≥ N distinct parents) and duplication (≥ K parents got the same or a
 * near-same text). Both need several conversations: a single post in one class
 * group reaches 40 parents and is ordinary teaching.
 *
 * With an incident open, a signal it already has only adds `current` (the rest
 * of the window was added when it fired), and another copy of the incident's
 * text joins even when the window alone is no longer over threshold. This keeps
 * a 3,000-parent burst linear instead of re-scanning the window per message.
 */
export function findMassMessaging(
  window: WindowMessage[],
  current: WindowMessage,
  open: OpenMassMessaging | undefined,
  p: MassMessagingParams,
): MassMessagingFinding | null {
  const picked = new Map<string, WindowMessage>();
  const take = (messages: WindowMessage[]) => messages.forEach((m) => picked.set(m.msgid, m));
  const reasons: string[] = [];
  let template: Shingles | undefined;

  const all = reach(window);
  if (all.parents.size >= p.distinctParents && all.conversations.size >= p.minConversations) {
    reasons.push(VOLUME_REASON);
    take(open?.reasons.includes(VOLUME_REASON) ? [current] : window);
  }
  if (current.shingles) {
    if (open?.template && similarAtLeast(open.template, current.shingles, p.similarity)) {
      reasons.push(DUPLICATE_REASON);
      take([current]);
    } else {
      const cluster = window.filter((m) => m.shingles !== null && similarAtLeast(current.shingles!, m.shingles, p.similarity));
      const r = reach(cluster);
      if (r.parents.size >= p.duplicateParents && r.conversations.size >= p.minConversations) {
        reasons.push(DUPLICATE_REASON);
        take(cluster);
        template = current.shingles;
      }
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
