import type { WindowMessage } from "../rules/massMessaging";
import type { Shingles } from "../rules/nearDuplicate";
import type { StaffRiskState } from "../rules/riskDetector";

/** What risk_staff_state.state keeps: the state minus its window of outbound messages (risk_window_message). */
export type StoredRiskHead = Omit<StaffRiskState, "outbound" | "staffUserId">;

/** One message of a teacher's window as risk_window_message keeps it. */
export interface WindowMessageRow {
  msgid: string;
  /** bigint: the driver gives it as a string. */
  at_ms: string | number;
  parents: string[];
  conversation: string;
  shingles: string | null;
}

export function toStoredHead(state: StaffRiskState): StoredRiskHead {
  return { watermarkMs: state.watermarkMs, deletions: state.deletions, incidents: state.incidents };
}

/**
 * The state from its head and its window rows (in window order). The member's
 * id comes from the row's key, not the JSON: a userid renamed in WeCom moves the
 * row, and the state must then be the new id's.
 */
export function fromStored(staffUserId: string, head: StoredRiskHead, window: WindowMessageRow[]): StaffRiskState {
  return {
    staffUserId,
    watermarkMs: head.watermarkMs,
    deletions: head.deletions,
    incidents: head.incidents,
    outbound: window.map((r) => ({ msgid: r.msgid, atMs: Number(r.at_ms), parents: r.parents, conversation: r.conversation, shingles: splitBigrams(r.shingles) })),
  };
}

export function toWindowRow(m: WindowMessage): WindowMessageRow {
  return { msgid: m.msgid, at_ms: m.atMs, parents: m.parents, conversation: m.conversation, shingles: joinBigrams(m.shingles) };
}

/**
 * A message's character bigrams joined into one string: as a list each
 * two-character bigram costs an element to store and parse, joined it costs
 * its characters. A bigram is exactly two code points, except the
 * one-element list of a one-character text, so the string splits back
 * without a separator.
 */
export function joinBigrams(shingles: Shingles | null): string | null {
  return shingles === null ? null : shingles.join("");
}

export function splitBigrams(joined: string | null): Shingles | null {
  if (joined === null) return null;
  const points = [...joined];
  if (points.length <= 1) return points;
  const out: string[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push(points[i]! + points[i + 1]!);
  return out;
}
