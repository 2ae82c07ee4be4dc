import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { Names } from "../presenters/names";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { AlertDetail, AlertRow } from "../presenters/apiTypes";
import { alertListView, alertView } from "../views/alertViews";
import { csrfField } from "../views/layout";
import { pageForm, redirectWith, renderPage, resultKey } from "./page";

const listQuery = z.object({ status: z.enum(["open", "frozen", "freeze_pending_it", "false_positive"]).optional() });
const alertId = z.object({ id: z.string().regex(/^[1-9]\d{0,18}$/, "无效的预警编号") });
const falsePositive = z.object({ reason: z.string().trim().min(1, "请填写误报原因").max(500) });
/** Freezing locks a teacher out of WeCom: the form must carry the person's explicit confirmation. */
const freezeForm = z.object({ confirm: z.literal("1", { message: "请勾选确认后再冻结账号" }) });
const unfreezeForm = z.object({ reason: z.string().trim().min(1, "请填写解除冻结的原因").max(500) });

/** Alerts in the caller's subtree, the conversation around each hit, freeze and false-positive actions. */
export function alertPageRoutes(deps: { dataSource: DataSource; guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/alerts" });
  const route = routeChain(router);
  const auth = deps.guard;

  route.get("/", {
    auth,
    query: listQuery,
    handle: async ({ ctx, query: { status } }) => {
      const query = new URLSearchParams({ limit: "200", ...(status ? { status } : {}) });
      const { alerts } = await ConsoleApi.for(ctx).get<{ alerts: AlertRow[] }>(`/api/hr/alerts?${query}`);
      renderPage(ctx, "风险预警", "alerts", alertListView(alerts, status));
    },
  });

  route.get("/:id", {
    auth,
    params: alertId,
    handle: async ({ ctx, actor, params: { id } }) => {
      const detail = await ConsoleApi.for(ctx).get<AlertDetail>(`/api/hr/alerts/${id}`);
      const names = await Names.load(deps.dataSource, { people: [detail.alert.staffUserId, ...detail.actions.map((a) => a.actor_userid)], parents: detail.alert.parents });
      renderPage(ctx, `预警 · ${detail.alert.title}`, "alerts", alertView(detail, resultKey(ctx), csrfField(actor), names));
    },
  });

  route.post("/:id/freeze", {
    auth,
    params: alertId,
    body: freezeForm,
    bodyParser: pageForm,
    handle: async ({ ctx, params: { id } }) => {
      const { outcome } = await ConsoleApi.for(ctx).send<{ outcome: string }>("POST", `/api/hr/alerts/${id}/freeze`);
      redirectWith(ctx, `/console/alerts/${id}`, `freeze_${outcome}`);
    },
  });

  route.post("/:id/unfreeze", {
    auth,
    params: alertId,
    body: unfreezeForm,
    bodyParser: pageForm,
    handle: async ({ ctx, params: { id }, body: { reason } }) => {
      await ConsoleApi.for(ctx).send("POST", `/api/hr/alerts/${id}/unfreeze`, { reason });
      redirectWith(ctx, `/console/alerts/${id}`, "unfrozen");
    },
  });

  route.post("/:id/false-positive", {
    auth,
    params: alertId,
    body: falsePositive,
    bodyParser: pageForm,
    handle: async ({ ctx, params: { id }, body: { reason } }) => {
      await ConsoleApi.for(ctx).send("POST", `/api/hr/alerts/${id}/false-positive`, { reason });
      redirectWith(ctx, `/console/alerts/${id}`, "false_positive");
    },
  });
  return router;
}
