import { toWallTime } from "../../calendar/zonedTime";
import { handoverHealth, retentionFigure, type HealthRuleSettings, type HealthState, type RetentionFigure } from "./handoverHealth";
import type { HealthRow } from "./healthStore";

export interface RetentionGroup {
  key: string;
  parents: number;
  day30: RetentionFigure;
  day90: RetentionFigure;
  states: Record<HealthState, number>;
}

export interface ParentHealth {
  leaverUserid: string;
  externalUserid: string;
  successorUserid: string;
  branchId: number | null;
  handedOverAt: Date;
  state: HealthState;
  reason: string;
}

export interface RetentionSummary {
  overall: RetentionGroup;
  byLeaver: RetentionGroup[];
  byCampus: RetentionGroup[];
  /** Handover month in China time ("2026-03"), oldest first: the trend. */
  byMonth: RetentionGroup[];
  parents: ParentHealth[];
}

export const STATE_LABELS: Record<HealthState, string> = { active: "活跃", silent: "沉默", at_risk: "有流失风险", lost: "已流失" };

function month(d: Date): string {
  const w = toWallTime(d, "Asia/Shanghai");
  return `${w.year}-${String(w.month).padStart(2, "0")}`;
}

function group(key: string, rows: HealthRow[], verdicts: Map<HealthRow, HealthState>, now: Date): RetentionGroup {
  const states: Record<HealthState, number> = { active: 0, silent: 0, at_risk: 0, lost: 0 };
  for (const r of rows) states[verdicts.get(r)!]++;
  return { key, parents: rows.length, day30: retentionFigure(rows, 30, now), day90: retentionFigure(rows, 90, now), states };
}

function groupBy(rows: HealthRow[], keyOf: (r: HealthRow) => string): Map<string, HealthRow[]> {
  // Appended in place: copying the group on every row was quadratic (50,000 parents in one campus).
  const out = new Map<string, HealthRow[]>();
  for (const r of rows) {
    const key = keyOf(r);
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

/** Pure: every parent's state, and the retention figures per leaver, campus and handover month. */
export function summarizeRetention(rows: HealthRow[], now: Date, settingsFor: (branchId: number | null) => HealthRuleSettings): RetentionSummary {
  const verdicts = new Map<HealthRow, HealthState>();
  const parents: ParentHealth[] = rows.map((r) => {
    const v = handoverHealth(r, now, settingsFor(r.branchId));
    verdicts.set(r, v.state);
    return { leaverUserid: r.leaverUserid, externalUserid: r.externalUserid, successorUserid: r.successorUserid, branchId: r.branchId, handedOverAt: r.handedOverAt, state: v.state, reason: v.reason };
  });
  const grouped = (keyOf: (r: HealthRow) => string) => [...groupBy(rows, keyOf)].map(([k, list]) => group(k, list, verdicts, now));
  return {
    overall: group("all", rows, verdicts, now),
    byLeaver: grouped((r) => r.leaverUserid),
    byCampus: grouped((r) => String(r.branchId ?? "")),
    byMonth: grouped((r) => month(r.handedOverAt)).sort((a, b) => a.key.localeCompare(b.key)),
    parents,
  };
}

/** "87%" or "—" while nobody has reached the mark. */
export function percent(f: RetentionFigure): string {
  return f.rate === null ? "—" : `${Math.round(f.rate * 100)}%`;
}
