import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import type { Actor } from "../../org/policies/actor";
import { authorize } from "../../org/policies/authorize";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { NotFoundError } from "../../platform/errors";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { authorizeAlert, freezeAccount, markFalsePositive, type ActionDeps } from "../actions/alertActions";
import { syncInterceptRules } from "../intercept/syncInterceptRules";
import { loadAlertContext } from "../store/alertContext";
import { ALERT_COLUMNS, getAlert, toAlertRow, type AlertRow } from "../store/alertStore";
import { loadBranchSettings, saveBranchSettings } from "../store/branchSettings";
import { alertIdSchema, branchIdSchema, falsePositiveSchema, listAlertsSchema, saveSettingsSchema } from "./schema";
import { displayNames } from "../../org/directory/displayNames";

export interface AlertRouteDeps extends ActionDeps {
  dataSource: DataSource;
  auth: Middleware;
  keyRing?: DataKeyRing;
  onSettingsChanged(): void;
}

/** HR console: alerts within the caller's subtree, their context and actions, and per-branch rule settings. */
export function alertRoutes(deps: AlertRouteDeps): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  const input = <T>(ctx: Context) => ctx.state.input as T;

  router.get("/alerts", deps.auth, validate(listAlertsSchema), async (ctx) => {
    const actor = actorOf(ctx);
    const { status, limit } = input<{ status?: string; limit: number }>(ctx);
    const everything = actor.grants.some((g) => g.role === "hq_admin");
    const scope = actor.grants.filter((g) => (g.role === "hr" || g.role === "campus_head") && g.departmentId !== null).map((g) => g.departmentId as number);
    const rows = await dataSource.query(
      `SELECT ${ALERT_COLUMNS.split(",").map((c) => `a.${c.trim()}`).join(", ")} FROM alert a
        WHERE ($1::text IS NULL OR a.status = $1)
          AND ($2 OR EXISTS (SELECT 1 FROM staff s JOIN department d ON d.id = ANY(s.department_ids) WHERE s.userid = a.staff_userid AND d.path && $3::int[]))
        ORDER BY a.opened_at DESC LIMIT $4`,
      [status ?? null, everything, scope, limit],
    );
    const alerts = rows.map(toAlertRow);
    const names = await displayNames(dataSource.manager, alerts.map((a: AlertRow) => a.staffUserId));
    ctx.body = { alerts: alerts.map((a: AlertRow) => ({ ...a, staffName: names.get(a.staffUserId) ?? a.staffUserId })) };
  });

  router.get("/alerts/:id", deps.auth, validate(alertIdSchema), async (ctx) => {
    const alert = await getAlert(dataSource.manager, input<{ id: string }>(ctx).id);
    if (!alert) throw new NotFoundError("预警不存在");
    await authorizeAlert(dataSource.manager, actorOf(ctx), "read", alert);
    const actions = await dataSource.query(`SELECT action, actor_userid, via, reason, result, at FROM alert_action WHERE alert_id = $1 ORDER BY id`, [alert.id]);
    const context = deps.keyRing ? await loadAlertContext(dataSource, deps.keyRing, alert.hitMsgids) : [];
    // Names for the people on the page (the staff member and the parents affected); ids without one stay ids.
    const names = Object.fromEntries(await displayNames(dataSource.manager, [alert.staffUserId, ...alert.parents]));
    ctx.body = { alert: { ...alert, staffName: names[alert.staffUserId] ?? alert.staffUserId }, names, context, actions };
  });

  router.post("/alerts/:id/freeze", deps.auth, validate(alertIdSchema), async (ctx) => {
    ctx.body = await dataSource.transaction((m) => freezeAccount(m, deps, actorOf(ctx), input<{ id: string }>(ctx).id, "console"));
  });

  router.post("/alerts/:id/false-positive", deps.auth, jsonBody(), validate(falsePositiveSchema), async (ctx) => {
    const { id, reason } = input<{ id: string; reason: string }>(ctx);
    await dataSource.transaction((m) => markFalsePositive(m, deps.clock, actorOf(ctx), id, reason, "console"));
    ctx.status = 204;
  });

  router.get("/alert-settings/:branchId", deps.auth, validate(branchIdSchema), async (ctx) => {
    const { branchId } = input<{ branchId: number }>(ctx);
    authorize(actorOf(ctx), "read", { kind: "branch", departmentPath: await pathOf(dataSource, branchId) });
    const settings = await loadBranchSettings(dataSource.manager, branchId);
    if (!settings) throw new NotFoundError("该校区尚未配置风险规则");
    ctx.body = { branchId, rules: settings.risk.config, notifier: settings.notifier, version: settings.version };
  });

  router.put("/alert-settings/:branchId", deps.auth, jsonBody(), validate(saveSettingsSchema), async (ctx) => {
    const body = input<{ branchId: number; rules: unknown; notifier: unknown }>(ctx);
    const actor = actorOf(ctx);
    authorize(actor, "update", { kind: "branch", departmentPath: await pathOf(dataSource, body.branchId) });
    const saved = await dataSource.transaction((m) => saveBranchSettings(m, body.branchId, body, actor.userid, deps.clock.now()));
    deps.onSettingsChanged();
    const intercept = await syncInterceptRules(deps, saved);
    ctx.body = { branchId: saved.branchId, version: saved.version, intercept };
  });

  return router;
}

async function pathOf(dataSource: DataSource, departmentId: number): Promise<number[]> {
  const [row] = await dataSource.query(`SELECT path FROM department WHERE id = $1`, [departmentId]);
  if (!row) throw new NotFoundError("部门不存在");
  return row.path;
}
