import type { EntityManager } from "typeorm";
import { appendDossier } from "../../dossier";
import type { StaffFacts } from "../detection/staffContexts";
import { alertCard, alertMarkdownSection, type AlertForMessage } from "../notifier/alertMessages";
import { enqueueNotification } from "../notifier/alertOutbox";
import { routeFor } from "../notifier/notifierSettings";
import type { AlertDraft, AlertUpdate, Severity } from "../rules/alert";
import type { BranchSettings } from "./branchSettings";

const DETECTOR = { type: "system", id: "risk-detector" } as const;

/**
 * A new incident: the alert row, its notifications per the branch's routing
 * (digest kinds wait for the daily digest), and an entry in the open
 * resignation case's dossier. Returns the alert id, or undefined when the
 * incident was already recorded (a replay).
 */
export async function recordNewAlert(
  m: EntityManager,
  draft: AlertDraft,
  ctx: { branch: BranchSettings; staff: StaffFacts; publicBaseUrl: string },
  now: Date,
): Promise<string | undefined> {
  const route = routeFor(ctx.branch.notifier, draft.kind);
  const delivery = route.digest ? "digest" : draft.delivery;
  const caseId = ctx.staff.openCaseId ?? null;
  const rows: { id: string }[] = await m.query(
    `INSERT INTO alert (incident_key, branch_id, rule_id, kind, severity, delivery, staff_userid, auditor_userid, parents, hit_msgids,
                        reasons, title, summary, case_id, opened_at, last_hit_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
     ON CONFLICT (incident_key) DO NOTHING RETURNING id`,
    [draft.incidentKey, ctx.branch.branchId, draft.ruleId, draft.kind, draft.severity, delivery, draft.staffUserId, draft.auditorUserId,
     draft.parentsAffected, draft.hitMsgids, draft.reasons, draft.title, draft.summary, caseId, draft.openedAt, now],
  );
  const id = rows[0]?.id;
  if (id === undefined) return undefined;

  if (delivery === "immediate") {
    const message: AlertForMessage = {
      id, title: draft.title, summary: draft.summary, severity: draft.severity, staffUserId: draft.staffUserId,
      staffName: ctx.staff.context.name ?? draft.staffUserId, parentsCount: draft.parentsAffected.length, caseId,
    };
    const { notifier } = ctx.branch;
    if (route.webhook && notifier.webhookKey) {
      const content = alertMarkdownSection(message, [draft.auditorUserId, ...notifier.mentionUserIds], ctx.publicBaseUrl);
      await enqueueNotification(m, { alertId: id, purpose: "alert", payload: { type: "markdown", webhookKey: notifier.webhookKey, content } }, now);
    }
    if (route.app) {
      const touser = [...new Set([draft.auditorUserId, ...notifier.hrUserIds])];
      await enqueueNotification(m, { alertId: id, purpose: "alert", payload: { type: "card", touser, card: alertCard(message, ctx.publicBaseUrl) } }, now);
    }
  }
  if (caseId) {
    await appendDossier(m, caseId, now, "risk_alert", DETECTOR, {
      alertId: id, kind: draft.kind, ruleId: draft.ruleId, severity: draft.severity, title: draft.title, summary: draft.summary,
      parents: draft.parentsAffected, hitMsgids: draft.hitMsgids.slice(0, 50), reasons: draft.reasons, openedAt: draft.openedAt.toISOString(),
    });
  }
  return id;
}

/** Later hits overwrite the incident's lists (they are full snapshots, so a replay is harmless). */
export async function applyAlertUpdate(m: EntityManager, u: AlertUpdate): Promise<void> {
  await applyAlertUpdates(m, [u]);
}

/**
 * A batch's updates (in the order the rules made them) in one statement:
 * each is a full snapshot of its incident and an incident's later snapshot
 * contains the earlier ones, so the last per incident is what applying all
 * of them in order leaves.
 */
export async function applyAlertUpdates(m: EntityManager, updates: AlertUpdate[]): Promise<void> {
  const last = [...new Map(updates.map((u) => [u.incidentKey, u])).values()];
  if (last.length === 0) return;
  // Lists of lists do not pass through unnest (it flattens them): each update travels as one JSON object.
  await m.query(
    `UPDATE alert AS a SET parents = ARRAY(SELECT jsonb_array_elements_text(u.doc->'parents')),
            hit_msgids = ARRAY(SELECT jsonb_array_elements_text(u.doc->'hitMsgids')),
            reasons = ARRAY(SELECT jsonb_array_elements_text(u.doc->'reasons')),
            severity = u.doc->>'severity', summary = u.doc->>'summary',
            last_hit_at = GREATEST(a.last_hit_at, (u.doc->>'lastHitAt')::timestamptz)
       FROM unnest($1::jsonb[]) AS u(doc)
      WHERE a.incident_key = u.doc->>'incidentKey'`,
    [last.map((u) => JSON.stringify({ incidentKey: u.incidentKey, parents: u.parentsAffected, hitMsgids: u.hitMsgids, reasons: u.reasons, severity: u.severity, summary: u.summary, lastHitAt: u.lastHitAt.toISOString() }))],
  );
}

export interface AlertRow {
  id: string;
  branchId: number;
  ruleId: string;
  kind: string;
  severity: Severity;
  delivery: "immediate" | "digest";
  staffUserId: string;
  auditorUserId: string;
  parents: string[];
  hitMsgids: string[];
  reasons: string[];
  title: string;
  summary: string;
  status: "open" | "frozen" | "freeze_pending_it" | "false_positive";
  caseId: string | null;
  openedAt: Date;
  lastHitAt: Date;
}

export const ALERT_COLUMNS = `id, branch_id, rule_id, kind, severity, delivery, staff_userid, auditor_userid, parents, hit_msgids, reasons, title, summary,
  status, case_id, opened_at, last_hit_at`;

export function toAlertRow(r: Record<string, unknown>): AlertRow {
  return {
    id: String(r.id),
    branchId: Number(r.branch_id),
    ruleId: String(r.rule_id),
    kind: String(r.kind),
    severity: r.severity as Severity,
    delivery: r.delivery as AlertRow["delivery"],
    staffUserId: String(r.staff_userid),
    auditorUserId: String(r.auditor_userid),
    parents: r.parents as string[],
    hitMsgids: r.hit_msgids as string[],
    reasons: r.reasons as string[],
    title: String(r.title),
    summary: String(r.summary),
    status: r.status as AlertRow["status"],
    caseId: (r.case_id as string | null) ?? null,
    openedAt: r.opened_at as Date,
    lastHitAt: r.last_hit_at as Date,
  };
}

export async function getAlert(m: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<AlertRow | undefined> {
  const rows = await m.query(`SELECT ${ALERT_COLUMNS} FROM alert WHERE id = $1${opts.lock ? " FOR UPDATE" : ""}`, [id]);
  return rows[0] ? toAlertRow(rows[0]) : undefined;
}
