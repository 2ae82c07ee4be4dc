import { compileRiskConfig, CompiledRiskConfig } from "../../../src/alerts/rules/compiledRiskConfig";
import { ContactEventObservation, MessageObservation, StaffContext } from "../../../src/alerts/rules/observation";
import { RiskConfigInput } from "../../../src/alerts/rules/riskConfig";
import { AlertDraft, AlertUpdate } from "../../../src/alerts/rules/alert";
import { initialRiskState, step, StaffRiskState } from "../../../src/alerts/rules/riskDetector";
import { Observation } from "../../../src/alerts/rules/observation";

export const T0 = new Date("2026-03-02T10:00:00+08:00").getTime();
export const minutes = (m: number) => new Date(T0 + m * 60_000);

export function config(overrides: Partial<RiskConfigInput> = {}): CompiledRiskConfig {
  return compileRiskConfig({
    branchId: "b1",
    massMessaging: { ruleId: "mm", auditorUserId: "hr_zhang" },
    massDeletion: { ruleId: "md", auditorUserId: "hr_zhang" },
    parentLeft: { ruleId: "pl", auditorUserId: "hr_li" },
    afterLastDay: { ruleId: "ald", auditorUserId: "hr_wang" },
    ...overrides,
  });
}

export const activeTeacher: StaffContext = { staffUserId: "t_wang", employmentPhase: "active", name: "王老师" };
export const leaver: StaffContext = { staffUserId: "t_wang", employmentPhase: "notice_period", lastDay: "2026-03-10", name: "王老师" };

let seq = 0;
export function outbound(atMin: number, parent: string, text: string, extra: Partial<MessageObservation> = {}): MessageObservation {
  return {
    kind: "message",
    msgid: `m${++seq}`,
    at: minutes(atMin),
    staffUserId: "t_wang",
    direction: "outbound",
    externalUserIds: [parent],
    msgtype: "text",
    text,
    ...extra,
  };
}

export function contactEvent(atMin: number, parent: string, change: ContactEventObservation["change"], source?: string): ContactEventObservation {
  return { kind: "contact_event", at: minutes(atMin), staffUserId: "t_wang", externalUserId: parent, change, ...(source ? { source } : {}) };
}

export interface RunResult {
  state: StaffRiskState;
  emitted: AlertDraft[];
  updated: AlertUpdate[];
}

/** Feeds observations in order, collecting everything emitted. */
export function run(observations: Observation[], cfg: CompiledRiskConfig, staff: StaffContext, from?: StaffRiskState): RunResult {
  let state = from ?? initialRiskState(staff.staffUserId);
  const emitted: AlertDraft[] = [];
  const updated: AlertUpdate[] = [];
  for (const obs of observations) {
    const r = step(state, obs, { config: cfg, staff });
    state = r.state;
    emitted.push(...r.emitted);
    updated.push(...r.updated);
  }
  return { state, emitted, updated };
}

/** The alert's final parents after all updates. */
export function finalParents(r: RunResult, incidentKey: string): string[] {
  const last = r.updated.filter((u) => u.incidentKey === incidentKey).at(-1);
  return last ? last.parentsAffected : r.emitted.find((e) => e.incidentKey === incidentKey)!.parentsAffected;
}

export const parents = (n: number, prefix = "p") => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, "0")}`);
