export type Severity = "info" | "warning" | "critical";

export type AlertKind =
  | "mass_messaging"
  | "sensitive_content"
  | "mass_deletion"
  | "parent_left"
  | "after_last_day_message";

export type Delivery = "immediate" | "digest";

/** A new incident for HR. One per incident, however many messages it spans. */
export interface AlertDraft {
  incidentKey: string;
  ruleId: string;
  kind: AlertKind;
  severity: Severity;
  delivery: Delivery;
  staffUserId: string;
  auditorUserId: string;
  parentsAffected: string[];
  hitMsgids: string[];
  /** Why it fired, e.g. ["同一内容发给10位家长"] or matched words. */
  reasons: string[];
  title: string;
  summary: string;
  openedAt: Date;
}

/**
 * Later hits in an open incident. Lists are complete snapshots (not deltas) so a
 * consumer can overwrite the stored alert and a replayed update is harmless.
 */
export interface AlertUpdate {
  incidentKey: string;
  parentsAffected: string[];
  hitMsgids: string[];
  reasons: string[];
  severity: Severity;
  summary: string;
  lastHitAt: Date;
}

const order: Severity[] = ["info", "warning", "critical"];

export function raiseSeverity(s: Severity): Severity {
  return order[Math.min(order.indexOf(s) + 1, order.length - 1)]!;
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}
