/** What GET /api/hr/handover-health answers (src/handover/routes/healthRoutes.ts), as the console reads it. */
export type HealthStateKey = "active" | "silent" | "at_risk" | "lost";

export interface RetentionFigureView {
  eligible: number;
  retained: number;
  rate: number | null;
}

export interface RetentionGroupView {
  key: string;
  name: string;
  parents: number;
  day30: RetentionFigureView;
  day90: RetentionFigureView;
  day30Text: string;
  day90Text: string;
  states: Record<HealthStateKey, number>;
}

export interface ParentHealthView {
  parentName: string;
  successorName: string;
  leaverName: string;
  campusName: string;
  handedOverAt: string;
  state: HealthStateKey;
  stateLabel: string;
  reason: string;
}

export interface HandoverHealthView {
  asOf: string;
  /** The reader holds no HQ, HR or campus scope and sees only the parents they inherited. */
  personal: boolean;
  overall: RetentionGroupView;
  byLeaver: RetentionGroupView[];
  byCampus: RetentionGroupView[];
  byMonth: RetentionGroupView[];
  parents: ParentHealthView[];
}
