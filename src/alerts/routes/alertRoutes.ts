import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import { scope } from "../../org";
import { scopeSql } from "../../org";
import { loadBranch } from "../../org";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { NotFoundError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { dismissAlert, freezeAlert, loadAuthorizedAlert, type ActionDeps } from "../actions/alertActions";
import { syncInterceptRules } from "../intercept/syncInterceptRules";
import { loadAlertContext } from "../store/alertContext";
import { ALERT_COLUMNS, toAlertRow, type AlertRow } from "../store/alertStore";
import { loadBranchSettings, saveBranchSettings } from "../store/branchSettings";
import { alertIdSchema, branchIdSchema, falsePositiveBody, listAlertsSchema, saveSettingsBody } from "./schema";
import { displayNames } from "../../org";

export interface AlertRouteDeps extends ActionDeps {
  dataSource: DataSource;
  auth: Guard<Actor>;
  keyRing?: DataKeyRing;
  onSettingsChanged(): void;
}

/** HR console: alerts within the caller's subtree, their context and actions, and per-branch rule settings. */
export function alertRoutes(deps: AlertRouteDeps): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const route = routeChain(router, { dataSource });

  route.get("/alerts", {
    auth: deps.auth,
    query: listAlertsSchema,
    list: "alert",
    handle: async ({ actor, query, manager }) => {
      const visible = scopeSql(scope(actor, "read", "alert"), 3);
      const rows = await manager.query(
        `SELECT ${ALERT_COLUMNS.split(",").map((c) => `a.${c.trim()}`).join(", ")} FROM alert a
          WHERE ($1::text IS NULL OR a.status = $1) AND ${visible.staff("a.staff_userid")}
          ORDER BY a.opened_at DESC LIMIT $2`,
        [query.status ?? null, query.limit, ...visible.params],
      );
      const alerts: AlertRow[] = rows.map(toAlertRow);
      const names = await displayNames(manager, alerts.map((a) => a.staffUserId));
      return { alerts: alerts.map((a) => ({ ...a, staffName: names.get(a.staffUserId) ?? a.staffUserId })) };
    },
  });

  route.get("/alerts/:id", {
    auth: deps.auth,
    params: alertIdSchema,
    load: ({ manager, actor, params }) => loadAuthorizedAlert(manager, actor, "read", params.id),
    handle: async ({ resource: alert, manager }) => {
      const actions = await manager.query(`SELECT action, actor_userid, via, reason, result, at FROM alert_action WHERE alert_id = $1 ORDER BY id`, [alert.id]);
      const context = deps.keyRing ? await loadAlertContext(dataSource, deps.keyRing, alert.hitMsgids) : [];
      // Names for the people on the page (the staff member and the parents affected); ids without one stay ids.
      const names = Object.fromEntries(await displayNames(manager, [alert.staffUserId, ...alert.parents]));
      return { alert: { ...alert, staffName: names[alert.staffUserId] ?? alert.staffUserId }, names, context, actions };
    },
  });

  route.post("/alerts/:id/freeze", {
    auth: deps.auth,
    params: alertIdSchema,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedAlert(manager, actor, "freeze", params.id, { lock: true }),
    handle: ({ manager, actor, resource }) => freezeAlert(manager, deps, actor, resource, "console"),
  });

  route.post("/alerts/:id/false-positive", {
    auth: deps.auth,
    params: alertIdSchema,
    body: falsePositiveBody,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedAlert(manager, actor, "dismiss", params.id, { lock: true }),
    handle: async ({ manager, actor, resource, body }) => {
      await dismissAlert(manager, deps.clock, actor, resource, body.reason, "console");
    },
  });


  route.get("/alert-settings/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    load: loadBranch("read"),
    handle: async ({ resource, manager }) => {
      const settings = await loadBranchSettings(manager, resource.branchId);
      if (!settings) throw new NotFoundError("该校区尚未配置风险规则");
      return { branchId: resource.branchId, rules: settings.risk.config, notifier: settings.notifier, version: settings.version };
    },
  });

  route.put("/alert-settings/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    body: saveSettingsBody,
    transaction: true,
    load: loadBranch("update"),
    handle: ({ resource, body, actor, manager }) => saveBranchSettings(manager, resource.branchId, body, actor.userid, deps.clock.now()),
    // WeCom's interception rules follow the committed settings, never a rolled-back save.
    committed: async (saved) => {
      deps.onSettingsChanged();
      const intercept = await syncInterceptRules(deps, saved);
      return { branchId: saved.branchId, version: saved.version, intercept };
    },
  });

  return router;
}
