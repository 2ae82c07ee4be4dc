import { AlertKind, maxSeverity, Severity } from "./alert";
import { Shingles } from "./nearDuplicate";

/**
 * One incident per (staff, rule) while hits keep coming: everything between the
 * first hit and `cooldown` after the last one is the same incident. Stored as
 * plain JSON (epoch ms, arrays) so detector state can be persisted and rehydrated.
 */
export interface OpenIncident {
  key: string;
  ruleId: string;
  kind: AlertKind;
  openedAtMs: number;
  lastHitAtMs: number;
  parents: string[];
  msgids: string[];
  reasons: string[];
  severity: Severity;
  /** Mass messaging: the text the incident is about, to recognise later copies. */
  template?: Shingles;
  sampleText?: string;
}

export interface Hit {
  ruleId: string;
  kind: AlertKind;
  atMs: number;
  parents: string[];
  msgids: string[];
  reasons: string[];
  severity: Severity;
  template?: Shingles;
  sampleText?: string;
}

/**
 * Hit messages kept per incident as evidence. Parents are kept in full (they
 * are bounded by the teacher's roster and HR must contact every one), but a
 * teacher who keeps messaging for hours would otherwise make each step copy an
 * ever-growing list; the rest are found in the archive by staff and time.
 */
export const MAX_EVIDENCE_MSGIDS = 500;

export function isOpenAt(incident: OpenIncident, atMs: number, cooldownMs: number): boolean {
  return atMs - incident.lastHitAtMs <= cooldownMs;
}

export function openIncident(hit: Hit, staffUserId: string): OpenIncident {
  return {
    key: `${hit.kind}:${staffUserId}:${hit.ruleId}:${hit.atMs}`,
    ruleId: hit.ruleId,
    kind: hit.kind,
    openedAtMs: hit.atMs,
    lastHitAtMs: hit.atMs,
    parents: unique(hit.parents),
    msgids: unique(hit.msgids).slice(0, MAX_EVIDENCE_MSGIDS),
    reasons: unique(hit.reasons),
    severity: hit.severity,
    ...(hit.template ? { template: hit.template } : {}),
    ...(hit.sampleText ? { sampleText: hit.sampleText } : {}),
  };
}

/** Folds a hit in; `changed` is false for a replayed or empty hit, so no update is emitted. */
export function mergeHit(incident: OpenIncident, hit: Hit): { incident: OpenIncident; changed: boolean } {
  const parents = unique([...incident.parents, ...hit.parents]);
  const msgids =
    incident.msgids.length >= MAX_EVIDENCE_MSGIDS
      ? incident.msgids
      : unique([...incident.msgids, ...hit.msgids]).slice(0, MAX_EVIDENCE_MSGIDS);
  const reasons = unique([...incident.reasons, ...hit.reasons]);
  const severity = maxSeverity(incident.severity, hit.severity);
  const changed =
    parents.length !== incident.parents.length ||
    msgids.length !== incident.msgids.length ||
    reasons.length !== incident.reasons.length ||
    severity !== incident.severity;
  return {
    incident: {
      ...incident,
      parents,
      msgids,
      reasons,
      severity,
      lastHitAtMs: Math.max(incident.lastHitAtMs, hit.atMs),
      template: incident.template ?? hit.template,
      sampleText: incident.sampleText ?? hit.sampleText,
    },
    changed,
  };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
