import { fromWallTime, toWallTime } from "../../calendar";
import { handoverHealth, retainedAt, type HealthRuleSettings, type HealthState, type RetentionFigure } from "./handoverHealth";
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

const TREND_ZONE = "Asia/Shanghai";

/**
 * The China-time month of an instant ("2026-03"). Converting every parent's
 * handover time through Intl cost seconds for 50,000 parents, so each month
 * seen is kept as its [start, end) instants and later instants are placed by
 * comparison: a dozen conversions for a year of handovers.
 */
export function monthKeys(tz = TREND_ZONE): (d: Date) => string {
  const months: { start: number; end: number; key: string }[] = [];
  return (d) => {
    const t = d.getTime();
    for (const m of months) if (t >= m.start && t < m.end) return m.key;
    const w = toWallTime(d, tz);
    const start = fromWallTime({ year: w.year, month: w.month, day: 1, hour: 0, minute: 0, second: 0 }, tz).getTime();
    const next = w.month === 12 ? { year: w.year + 1, month: 1 } : { year: w.year, month: w.month + 1 };
    const end = fromWallTime({ ...next, day: 1, hour: 0, minute: 0, second: 0 }, tz).getTime();
    const key = `${w.year}-${String(w.month).padStart(2, "0")}`;
    months.push({ start, end, key });
    return key;
  };
}

/** A group's running counts: one pass over the parents fills every group. */
class GroupCounts {
  parents = 0;
  readonly states: Record<HealthState, number> = { active: 0, silent: 0, at_risk: 0, lost: 0 };
  // Plain fields, not objects keyed by day count: this runs once per parent per grouping.
  private reached30 = 0;
  private kept30 = 0;
  private reached90 = 0;
  private kept90 = 0;

  constructor(readonly key: string) {}

  add(state: HealthState, day30: boolean | undefined, day90: boolean | undefined): void {
    this.parents++;
    this.states[state]++;
    if (day30 !== undefined) {
      this.reached30++;
      if (day30) this.kept30++;
    }
    if (day90 !== undefined) {
      this.reached90++;
      if (day90) this.kept90++;
    }
  }

  result(): RetentionGroup {
    const figure = (eligible: number, retained: number): RetentionFigure => ({ eligible, retained, rate: eligible === 0 ? null : retained / eligible });
    return { key: this.key, parents: this.parents, day30: figure(this.reached30, this.kept30), day90: figure(this.reached90, this.kept90), states: this.states };
  }
}

/**
 * Pure: every parent's state, and the retention figures per leaver, campus
 * and handover month. One pass: each parent is judged once (state, retained
 * at 30 and 90 days, the same rule as retentionFigure) and counted into its
 * groups, so 50,000 parents cost one walk, not one per grouping.
 */
export function summarizeRetention(rows: HealthRow[], now: Date, settingsFor: (branchId: number | null) => HealthRuleSettings): RetentionSummary {
  const month = monthKeys();
  const overall = new GroupCounts("all");
  const groupings = { leaver: new Map<string, GroupCounts>(), campus: new Map<string, GroupCounts>(), month: new Map<string, GroupCounts>() };
  const countIn = (groups: Map<string, GroupCounts>, key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new GroupCounts(key)));
    return g;
  };
  const parents: ParentHealth[] = rows.map((r) => {
    const v = handoverHealth(r, now, settingsFor(r.branchId));
    const day30 = retainedAt(r, 30, now);
    const day90 = retainedAt(r, 90, now);
    overall.add(v.state, day30, day90);
    countIn(groupings.leaver, r.leaverUserid).add(v.state, day30, day90);
    countIn(groupings.campus, String(r.branchId ?? "")).add(v.state, day30, day90);
    countIn(groupings.month, month(r.handedOverAt)).add(v.state, day30, day90);
    return { leaverUserid: r.leaverUserid, externalUserid: r.externalUserid, successorUserid: r.successorUserid, branchId: r.branchId, handedOverAt: r.handedOverAt, state: v.state, reason: v.reason };
  });
  const results = (groups: Map<string, GroupCounts>) => [...groups.values()].map((g) => g.result());
  return {
    overall: overall.result(),
    byLeaver: results(groupings.leaver),
    byCampus: results(groupings.campus),
    byMonth: results(groupings.month).sort((a, b) => a.key.localeCompare(b.key)),
    parents,
  };
}

/** "87%" or "—" while nobody has reached the mark. */
export function percent(f: RetentionFigure): string {
  return f.rate === null ? "—" : `${Math.round(f.rate * 100)}%`;
}
