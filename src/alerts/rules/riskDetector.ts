import { AlertDraft, AlertUpdate, Delivery } from "./alert";
import { alertSummary, alertTitle, AlertTextContext, sampleOf } from "./alertText";
import { Hit, isOpenAt, mergeHit, openIncident, OpenIncident } from "./incident";
import { findMassMessaging, toWindowMessage, WindowMessage } from "./massMessaging";
import { ContactEventObservation, EmploymentPhase, MessageObservation, Observation, StaffContext } from "./observation";
import { CompiledRiskConfig } from "./compiledRiskConfig";
import { ruleApplies, sensitiveHits } from "./sensitiveContent";
import { insertByTime, pruneWindow, within } from "./slidingWindow";
import { countThreshold, phaseAt, severityFor } from "./thresholds";

const MINUTE_MS = 60_000;

/**
 * Everything the detector remembers about one staff member: plain JSON, so it
 * can be stored per staff and rehydrated after a restart with identical results.
 */
export interface StaffRiskState {
  staffUserId: string;
  /** Latest observation time seen; windows are trimmed against it. */
  watermarkMs: number;
  outbound: WindowMessage[];
  deletions: { atMs: number; externalUserId: string }[];
  /** Open incidents by slot: one slot per rule. */
  incidents: Record<string, OpenIncident>;
}

export interface StepContext {
  config: CompiledRiskConfig;
  staff: StaffContext;
}

export interface StepResult {
  state: StaffRiskState;
  emitted: AlertDraft[];
  updated: AlertUpdate[];
}

export function initialRiskState(staffUserId: string): StaffRiskState {
  return { staffUserId, watermarkMs: 0, outbound: [], deletions: [], incidents: {} };
}

/**
 * Feeds one observation through every rule. Pure and deterministic: the same
 * state and observation always give the same result. A redelivered observation
 * emits nothing while its incident is open (hits merge by msgid / parent); the
 * archive's unique msgid is what stops a redelivery days later.
 */
export function step(state: StaffRiskState, obs: Observation, ctx: StepContext): StepResult {
  if (obs.staffUserId !== state.staffUserId || ctx.staff.staffUserId !== state.staffUserId) {
    throw new Error(`risk state of ${state.staffUserId} fed an observation of ${obs.staffUserId}`);
  }
  const { config } = ctx.config;
  const atMs = obs.at.getTime();
  const phase = phaseAt(ctx.staff, obs.at, config.timeZone);
  const cooldownMs = config.cooldownMinutes * MINUTE_MS;

  let next: StaffRiskState = {
    ...state,
    watermarkMs: Math.max(state.watermarkMs, atMs),
    incidents: closeExpired(state.incidents, Math.max(state.watermarkMs, atMs), cooldownMs),
  };
  const hits: Array<SlotHit & { text: AlertTextContext }> = [];
  const textCtx = (extra: Partial<AlertTextContext> = {}): AlertTextContext => ({
    staffName: ctx.staff.name ?? ctx.staff.staffUserId,
    phase,
    ...(ctx.staff.lastDay ? { lastDay: ctx.staff.lastDay } : {}),
    ...extra,
  });

  const r = obs.kind === "message" ? messageHits(next, obs, ctx, phase) : contactEventHits(next, obs, ctx, phase);
  next = r.state;
  for (const h of r.hits) hits.push({ ...h, text: textCtx(h.text) });

  const emitted: AlertDraft[] = [];
  const updated: AlertUpdate[] = [];
  const incidents = { ...next.incidents };
  for (const { slot, hit, text, route } of hits) {
    const open = incidents[slot];
    if (open && isOpenAt(open, hit.atMs, cooldownMs)) {
      const merged = mergeHit(open, hit);
      incidents[slot] = merged.incident;
      if (merged.changed) updated.push(toUpdate(merged.incident, text));
    } else {
      const opened = openIncident(hit, state.staffUserId);
      incidents[slot] = opened;
      emitted.push(toDraft(opened, text, route, ctx.staff.staffUserId));
    }
  }
  return { state: { ...next, incidents }, emitted, updated };
}

/** Where an incident's alert goes: the rule's named auditor, now or in the digest. */
interface Route {
  auditorUserId: string;
  delivery: Delivery;
}

type SlotHit = { slot: string; hit: Hit; text: Partial<AlertTextContext>; route: Route };

function messageHits(
  state: StaffRiskState,
  msg: MessageObservation,
  ctx: StepContext,
  phase: EmploymentPhase,
): { state: StaffRiskState; hits: SlotHit[] } {
  const { config, sensitive } = ctx.config;
  const atMs = msg.at.getTime();
  const hits: SlotHit[] = [];
  const base = { atMs, parents: msg.externalUserIds, msgids: [msg.msgid] };
  let next = state;

  if (msg.direction === "outbound" && config.afterLastDay.enabled && phase === "after_last_day") {
    const r = config.afterLastDay;
    hits.push({
      slot: "after_last_day",
      hit: { ...base, ruleId: r.ruleId, kind: "after_last_day_message", reasons: ["最后工作日后发送消息"], severity: r.severity, ...sample(msg) },
      text: {},
      route: { auditorUserId: r.auditorUserId, delivery: "immediate" },
    });
  }

  for (const compiled of sensitive) {
    if (!ruleApplies(compiled.rule, msg, ctx.staff)) continue;
    const reasons = sensitiveHits(msg, compiled);
    if (reasons.length === 0) continue;
    const r = compiled.rule;
    hits.push({
      slot: `sensitive:${r.ruleId}`,
      hit: { ...base, ruleId: r.ruleId, kind: "sensitive_content", reasons, severity: severityFor(r.severity, phase, "sensitive_content"), ...sample(msg) },
      text: { ruleName: r.name },
      route: { auditorUserId: r.auditorUserId, delivery: r.delivery },
    });
  }

  const mm = config.massMessaging;
  if (msg.direction === "outbound" && mm.enabled && msg.externalUserIds.length > 0) {
    const windowMs = mm.windowMinutes * MINUTE_MS;
    const current = toWindowMessage(msg, mm.minTextLength);
    const alreadySeen = state.outbound.some((m) => m.msgid === msg.msgid);
    const outbound = pruneWindow(
      alreadySeen ? state.outbound : insertByTime(state.outbound, current),
      state.watermarkMs,
      windowMs,
    );
    next = { ...next, outbound };
    const window = within(outbound, atMs - windowMs, atMs);
    const finding = findMassMessaging(window, current, openIncidentAt(state, "mass_messaging", atMs, config.cooldownMinutes), {
      distinctParents: countThreshold(mm.distinctParents, phase, config.leaverFactor),
      duplicateParents: countThreshold(mm.duplicateParents, phase, config.leaverFactor),
      similarity: mm.similarity,
      minConversations: mm.minConversations,
    });
    if (finding) {
      hits.push({
        slot: "mass_messaging",
        hit: { ...finding, atMs, ruleId: mm.ruleId, kind: "mass_messaging", severity: severityFor(mm.severity, phase, "mass_messaging"), ...sample(msg) },
        text: { windowMinutes: mm.windowMinutes },
        route: { auditorUserId: mm.auditorUserId, delivery: "immediate" },
      });
    }
  }
  return { state: next, hits };
}

function contactEventHits(
  state: StaffRiskState,
  ev: ContactEventObservation,
  ctx: StepContext,
  phase: EmploymentPhase,
): { state: StaffRiskState; hits: SlotHit[] } {
  const { config } = ctx.config;
  const atMs = ev.at.getTime();
  const base = { atMs, parents: [ev.externalUserId], msgids: [] };

  if (ev.change === "del_follow_user" && config.parentLeft.enabled) {
    const r = config.parentLeft;
    const hit: Hit = { ...base, ruleId: r.ruleId, kind: "parent_left", reasons: ["家长删除了老师"], severity: severityFor(r.severity, phase, "parent_left") };
    return { state, hits: [{ slot: "parent_left", hit, text: {}, route: { auditorUserId: r.auditorUserId, delivery: r.delivery } }] };
  }

  const md = config.massDeletion;
  if (ev.change === "del_external_contact" && ev.source !== "DELETE_BY_TRANSFER" && md.enabled) {
    const windowMs = md.windowMinutes * MINUTE_MS;
    const deletions = pruneWindow(insertByTime(state.deletions, { atMs, externalUserId: ev.externalUserId }), state.watermarkMs, windowMs);
    const inWindow = within(deletions, atMs - windowMs, atMs);
    const deleted = [...new Set(inWindow.map((d) => d.externalUserId))];
    const joining = openIncidentAt(state, "mass_deletion", atMs, config.cooldownMinutes) !== undefined;
    const threshold = countThreshold(md.deletions, phase, config.leaverFactor);
    const next = { ...state, deletions };
    if (!joining && deleted.length < threshold) return { state: next, hits: [] };
    const hit: Hit = {
      ...base,
      parents: joining ? [ev.externalUserId] : deleted,
      ruleId: md.ruleId,
      kind: "mass_deletion",
      reasons: ["短时间内批量删除家长"],
      severity: severityFor(md.severity, phase, "mass_deletion"),
    };
    return {
      state: next,
      hits: [{ slot: "mass_deletion", hit, text: { windowMinutes: md.windowMinutes }, route: { auditorUserId: md.auditorUserId, delivery: "immediate" } }],
    };
  }
  return { state, hits: [] };
}

function openIncidentAt(state: StaffRiskState, slot: string, atMs: number, cooldownMinutes: number): OpenIncident | undefined {
  const open = state.incidents[slot];
  return open && isOpenAt(open, atMs, cooldownMinutes * MINUTE_MS) ? open : undefined;
}

function sample(msg: MessageObservation): { sampleText?: string } {
  const s = sampleOf(msg.text);
  return s ? { sampleText: s } : {};
}

function closeExpired(incidents: Record<string, OpenIncident>, nowMs: number, cooldownMs: number): Record<string, OpenIncident> {
  return Object.fromEntries(Object.entries(incidents).filter(([, i]) => isOpenAt(i, nowMs, cooldownMs)));
}

function toDraft(i: OpenIncident, text: AlertTextContext, route: Route, staffUserId: string): AlertDraft {
  return {
    incidentKey: i.key,
    ruleId: i.ruleId,
    kind: i.kind,
    severity: i.severity,
    delivery: route.delivery,
    staffUserId,
    auditorUserId: route.auditorUserId,
    parentsAffected: i.parents,
    hitMsgids: i.msgids,
    reasons: i.reasons,
    title: alertTitle(i, text),
    summary: alertSummary(i, text),
    openedAt: new Date(i.openedAtMs),
  };
}

function toUpdate(i: OpenIncident, text: AlertTextContext): AlertUpdate {
  return {
    incidentKey: i.key,
    parentsAffected: i.parents,
    hitMsgids: i.msgids,
    reasons: i.reasons,
    severity: i.severity,
    summary: alertSummary(i, text),
    lastHitAt: new Date(i.lastHitAtMs),
  };
}
