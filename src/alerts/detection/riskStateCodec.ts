import type { WindowMessage } from "../rules/massMessaging";
import type { StaffRiskState } from "../rules/riskDetector";

/** A window message as stored: its bigrams joined into one string (older rows keep the array, still read). */
type StoredWindowMessage = Omit<WindowMessage, "shingles"> & { shingles: string | string[] | null };

/** A staff member's risk state as risk_staff_state keeps it. */
export type StoredRiskState = Omit<StaffRiskState, "outbound"> & { outbound: StoredWindowMessage[] };

/**
 * The risk state is read and written for every teacher of every archive
 * batch, so its stored size is on the path of every alert (issue 20: alert
 * latency). Most of it is the sliding window's character bigrams: as a JSON
 * array each two-character bigram costs a string element in jsonb (and its
 * parsing); joined into one string it costs its characters. A bigram is
 * exactly two code points, except the one-element list of a one-character
 * text, so the joined string splits back without a separator.
 */
export function encodeRiskState(state: StaffRiskState): StoredRiskState {
  return { ...state, outbound: state.outbound.map((m) => ({ ...m, shingles: m.shingles === null ? null : m.shingles.join("") })) };
}

export function decodeRiskState(stored: StoredRiskState): StaffRiskState {
  return { ...stored, outbound: stored.outbound.map((m) => ({ ...m, shingles: typeof m.shingles === "string" ? splitBigrams(m.shingles) : m.shingles })) };
}

function splitBigrams(joined: string): string[] {
  const points = [...joined];
  if (points.length <= 1) return points;
  const out: string[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push(points[i]! + points[i + 1]!);
  return out;
}
