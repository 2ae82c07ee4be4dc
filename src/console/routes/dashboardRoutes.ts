import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { AppError } from "../../platform/errors";
import type { AlertRow, CaseSummary } from "../presenters/apiTypes";
import { followUps } from "../../schedules";
import { dashboardStats } from "../presenters/dashboardStats";
import { dashboardView } from "../views/dashboardView";
import { Names } from "../presenters/names";
import type { HandoverHealthView } from "../presenters/retentionTypes";
import { renderPage } from "./page";
import { holdsConsoleRole } from "../views/layout";
import { CONSOLE_ROUTES } from "../../platform/http/consoleLinks";

export function dashboardRoutes(deps: { dataSource: DataSource; clock: Clock; guard: Guard<ConsoleSession> }): Router {
  const router = new Router();
  routeChain(router).get("/console", { auth: deps.guard, list: "case", handle: async ({ ctx, actor: session }) => {
    // A teacher without a role (a successor, a leaver) has nothing on HR's dashboard: their home is their own page.
    if (!holdsConsoleRole(session)) return ctx.redirect(CONSOLE_ROUTES.inherited);
    const { actor } = session;
    const api = ConsoleApi.for(ctx);
    const now = deps.clock.now();
    const [cases, alerts, stats, follow, retention, calendar] = await Promise.all([
      api.get<{ cases: CaseSummary[] }>("/api/hr/cases"),
      api.find<{ alerts: AlertRow[] }>("/api/hr/alerts?status=open&limit=200"),
      dashboardStats(deps.dataSource, actor, now),
      followUps(deps.dataSource, actor, now),
      api.find<HandoverHealthView>("/api/hr/handover-health"),
      // Roles that may not read the calendar (IT) are simply not warned here.
      api.get<{ warning: string | null }>("/api/admin/calendar").catch((err: unknown) => {
        if (err instanceof AppError && err.status === 403) return undefined;
        throw err;
      }),
    ]);
    const names = await Names.load(deps.dataSource, {
      people: [...follow.overdue.flatMap((o) => [o.recipientUserid, o.employeeUserid ?? ""]), ...follow.today.flatMap((t) => [...t.recipients, t.employeeUserid ?? ""])].filter(Boolean),
    });
    renderPage(ctx, "概览", "dashboard", dashboardView(cases.cases, alerts?.alerts, stats, follow, names, retention, calendar?.warning));
  } });
  return router;
}
