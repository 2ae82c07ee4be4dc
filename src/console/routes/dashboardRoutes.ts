import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import { sessionOf } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { AlertRow, CaseSummary } from "../presenters/apiTypes";
import { dashboardStats } from "../presenters/dashboardStats";
import { dashboardView } from "../views/dashboardView";
import { renderPage } from "./page";

export function dashboardRoutes(deps: { dataSource: DataSource; clock: Clock }): Router {
  const router = new Router();
  router.get("/console", async (ctx) => {
    const api = ConsoleApi.for(ctx);
    const [cases, alerts, stats] = await Promise.all([
      api.get<{ cases: CaseSummary[] }>("/api/hr/cases"),
      api.find<{ alerts: AlertRow[] }>("/api/hr/alerts?status=open&limit=200"),
      dashboardStats(deps.dataSource, sessionOf(ctx).actor, deps.clock.now()),
    ]);
    renderPage(ctx, "概览", "dashboard", dashboardView(cases.cases, alerts?.alerts, stats));
  });
  return router;
}
