import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { CONSOLE_ROUTES } from "../../platform/http/consoleLinks";
import type { HandoverDuty, InheritedRow } from "../presenters/handoverTypes";
import { Names } from "../presenters/names";
import { inheritedView } from "../views/inheritedView";
import { renderPage } from "./page";

/** The successor's own page: their inherited parents, the history with them, their open tasks (the handover API's answer for the caller). */
export function inheritedRoutes(deps: { dataSource: DataSource; guard: Guard<ConsoleSession> }): Router {
  const router = new Router();
  routeChain(router).get(CONSOLE_ROUTES.inherited, { auth: deps.guard, handle: async ({ ctx, actor: { actor } }) => {
    const api = ConsoleApi.for(ctx);
    const [inherited, duties] = await Promise.all([
      api.get<{ data: InheritedRow[] }>("/api/handover/inherited"),
      api.get<{ duties: HandoverDuty[] }>("/api/hr/handover-duties"),
    ]);
    const rows = inherited.data;
    const names = await Names.load(deps.dataSource, {
      people: rows.flatMap((r) => [r.leaverUserid, ...(r.kind === "group" ? [r.id] : [])]),
      parents: rows.filter((r) => r.kind === "parent").map((r) => r.id),
    });
    renderPage(ctx, "我的交接", "inherited", inheritedView(actor.userid, rows, duties.duties, names));
  } });
  return router;
}
