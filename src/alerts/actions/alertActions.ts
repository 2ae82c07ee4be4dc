import type { EntityManager } from "typeorm";
import { StaffDirectory } from "../../org";
import type { Actor } from "../../org";
import { authorize } from "../../org";
import type { Action } from "../../org";
import type { Clock } from "../../platform/clock";
import { NotFoundError } from "../../platform/errors";
import { openReminder } from "../../schedules";
import { MissingSecretError, type WeComClient } from "../../wecom";
import { appendDossier } from "../../dossier";
import { itDisableTaskText, itFreezeTaskText } from "../notifier/alertMessages";
import { syncAlertCard } from "../notifier/alertCardSync";
import { enqueueNotification } from "../notifier/alertOutbox";
import { getAlert, type AlertRow } from "../store/alertStore";
import { IT_ROLE_RECIPIENT, itFreezeReminders } from "./itFreezeReminders";

export interface ActionDeps {
  client: WeComClient;
  clock: Clock;
}

/** "auto": a branch setting froze the account without anyone clicking (a leaver's group send). */
export type Via = "card" | "console" | "auto";

export async function authorizeAlert(m: EntityManager, actor: Actor, action: Action, alert: AlertRow): Promise<void> {
  authorize(actor, action, { kind: "alert", staffUserid: alert.staffUserId, departmentPaths: await new StaffDirectory(m).departmentPaths(alert.staffUserId) });
}

/** Load an alert (locked for a change) and check the actor may act on it: the first step of every alert action. */
export async function loadAuthorizedAlert(m: EntityManager, actor: Actor, action: Action, id: string, options: { lock?: boolean } = {}): Promise<AlertRow> {
  const alert = await getAlert(m, id, options);
  if (!alert) throw new NotFoundError("预警不存在");
  await authorizeAlert(m, actor, action, alert);
  return alert;
}

export type FreezeOutcome = { outcome: "frozen" } | { outcome: "it_task"; taskId: string } | { outcome: "already"; status: string };

/**
 * Disables the staff member's WeCom account (user/update enable=0, contact
 * secret). Without that secret an IT task is opened (one per person) and IT
 * is reminded until it is done. Both are recorded against the alert and, when
 * a resignation is open, in its dossier.
 */
export async function freezeAccount(m: EntityManager, deps: ActionDeps, actor: Actor, alertId: string, via: Via): Promise<FreezeOutcome> {
  return freezeAlert(m, deps, actor, await loadAuthorizedAlert(m, actor, "freeze", alertId, { lock: true }), via);
}

/** The freeze itself, on an alert loaded (locked) and authorized for "freeze". */
export async function freezeAlert(m: EntityManager, deps: ActionDeps, actor: Actor, alert: AlertRow, via: Via): Promise<FreezeOutcome> {
  return applyFreeze(m, deps, alert, actor.userid, via);
}

/** The system's own freeze (a branch setting decided it in advance): same effect and records, actor "system:<setting>". */
export async function freezeBySetting(m: EntityManager, deps: ActionDeps, alertId: string, setting: string): Promise<FreezeOutcome> {
  const alert = await getAlert(m, alertId, { lock: true });
  if (!alert) throw new NotFoundError("预警不存在");
  return applyFreeze(m, deps, alert, `system:${setting}`, "auto");
}

async function applyFreeze(m: EntityManager, deps: ActionDeps, alert: AlertRow, actorUserid: string, via: Via): Promise<FreezeOutcome> {
  if (alert.status === "frozen" || alert.status === "freeze_pending_it") return { outcome: "already", status: alert.status };
  const now = deps.clock.now();
  const actor = { userid: actorUserid };
  let outcome: FreezeOutcome;
  try {
    await deps.client.user.update({ userid: alert.staffUserId, enable: 0 });
    outcome = { outcome: "frozen" };
  } catch (err) {
    if (!(err instanceof MissingSecretError)) throw err;
    outcome = { outcome: "it_task", taskId: await openItTask(m, alert, actor.userid, now) };
  }
  const status = outcome.outcome === "frozen" ? "frozen" : "freeze_pending_it";
  await m.query(`UPDATE alert SET status = $2 WHERE id = $1`, [alert.id, status]);
  await m.query(
    `INSERT INTO alert_action (alert_id, action, actor_userid, via, result, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [alert.id, outcome.outcome === "frozen" ? "freeze" : "freeze_it_task", actor.userid, via, JSON.stringify(outcome), now],
  );
  if (alert.caseId) {
    const by = via === "auto" ? { type: "system", id: actor.userid } : { type: "staff", id: actor.userid };
    await appendDossier(m, alert.caseId, now, "account_freeze", by, { alertId: alert.id, staffUserId: alert.staffUserId, ...outcome });
  }
  // Decided in the console: the card HR got still offers 冻结账号 / 标记误报 until it is greyed out.
  if (via === "console") await syncAlertCard(m, alert.id, outcome.outcome === "frozen" ? "已冻结（控制台）" : "已通知IT停用（控制台）", now);
  return outcome;
}

async function openItTask(m: EntityManager, alert: AlertRow, requestedBy: string, now: Date): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO alert_it_task (alert_id, kind, staff_userid, requested_by, opened_at) VALUES ($1, 'freeze_account', $2, $3, $4)
     ON CONFLICT (staff_userid, kind) WHERE done_at IS NULL DO UPDATE SET requested_by = alert_it_task.requested_by
     RETURNING id`,
    [alert.id, alert.staffUserId, requestedBy, now],
  );
  await openReminder(m, {
    subjectKind: itFreezeReminders.kind,
    subjectId: String(row.id),
    recipientUserid: IT_ROLE_RECIPIENT,
    openedAt: now,
    policy: itFreezeReminders.policy,
  });
  await notifyIt(m, alert.staffUserId, 0, now);
  return String(row.id);
}

export type ItTaskKind = "freeze_account" | "disable_account";

/** IT staff (role "it") get an app message; nobody holding the role is logged by the caller's monitoring, not lost: the task stays open. */
export async function notifyIt(m: EntityManager, staffUserId: string, reminder: number, now: Date, kind: ItTaskKind = "freeze_account"): Promise<number> {
  const it: { userid: string }[] = await m.query(`SELECT DISTINCT userid FROM role_grant WHERE role = 'it' ORDER BY userid`);
  if (it.length === 0) return 0;
  const [staff]: { name: string; position: string | null; department: string | null }[] = await m.query(
    `SELECT s.name, s.position, d.name AS department FROM staff s LEFT JOIN department d ON d.id = s.main_department WHERE s.userid = $1`,
    [staffUserId],
  );
  const who = staff ? [staff.department, [staff.position, staff.name].filter(Boolean).join(" ")].filter(Boolean).join(" · ") : "（通讯录中已无此成员）";
  const touser = it.map((r) => r.userid);
  const content = kind === "disable_account" ? itDisableTaskText(staff?.name ?? "该员工", reminder) : itFreezeTaskText(who, reminder);
  await enqueueNotification(m, { alertId: null, purpose: "it_task", payload: { type: "text", touser, content } }, now);
  return touser.length;
}

/**
 * The last day's disable by hand (no contacts secret): one open task per
 * person, reminded like a freeze until the directory shows the account
 * disabled. A freeze task already open for the person is the same work for
 * IT, so it is not doubled.
 */
export async function openItDisableTask(m: EntityManager, staffUserId: string, now: Date): Promise<{ taskId: string; notified: number; reused: boolean }> {
  const [open] = await m.query(`SELECT id FROM alert_it_task WHERE staff_userid = $1 AND done_at IS NULL ORDER BY id LIMIT 1`, [staffUserId]);
  if (open) return { taskId: String(open.id), notified: 0, reused: true };
  const [row] = await m.query(
    `INSERT INTO alert_it_task (alert_id, kind, staff_userid, requested_by, opened_at) VALUES (NULL, 'disable_account', $1, 'system:last_day', $2) RETURNING id`,
    [staffUserId, now],
  );
  await openReminder(m, { subjectKind: itFreezeReminders.kind, subjectId: String(row.id), recipientUserid: IT_ROLE_RECIPIENT, openedAt: now, policy: itFreezeReminders.policy });
  return { taskId: String(row.id), notified: await notifyIt(m, staffUserId, 0, now, "disable_account"), reused: false };
}

/**
 * Records that HR judged the alert wrong. Deliberately changes no rule or
 * threshold: the record (who, when, why) is what the rule's owner reviews.
 */
export async function markFalsePositive(m: EntityManager, clock: Clock, actor: Actor, alertId: string, reason: string, via: Via): Promise<void> {
  await dismissAlert(m, clock, actor, await loadAuthorizedAlert(m, actor, "dismiss", alertId, { lock: true }), reason, via);
}

/** The false-positive record, on an alert loaded (locked) and authorized for "dismiss". */
export async function dismissAlert(m: EntityManager, clock: Clock, actor: Actor, alert: AlertRow, reason: string, via: Via): Promise<void> {
  const now = clock.now();
  await m.query(`UPDATE alert SET status = 'false_positive' WHERE id = $1`, [alert.id]);
  await m.query(`INSERT INTO alert_action (alert_id, action, actor_userid, via, reason, at) VALUES ($1, 'false_positive', $2, $3, $4, $5)`, [
    alert.id, actor.userid, via, reason, now,
  ]);
  if (alert.caseId) {
    await appendDossier(m, alert.caseId, now, "risk_alert_false_positive", { type: "staff", id: actor.userid }, { alertId: alert.id, reason });
  }
  if (via === "console") await syncAlertCard(m, alert.id, "已标记误报（控制台）", now);
}
