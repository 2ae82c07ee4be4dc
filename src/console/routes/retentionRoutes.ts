import Router from "@koa/router";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { HandoverHealthView } from "../presenters/retentionTypes";
import { retentionView } from "../views/retentionView";
import { renderPage } from "./page";

/**
 * 家长留存: retention of handed-over parents and the parents to follow up.
 * The handover-health API scopes it (HQ all, HR and campus heads their
 * subtree, anyone else the parents they inherited), so a successor opening
 * it sees their own inherited parents.
 */
export function retentionRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router();
  routeChain(router).get("/console/retention", {
    auth: deps.guard,
    list: "conversation",
    handle: async ({ ctx }) => {
      const health = await ConsoleApi.for(ctx).get<HandoverHealthView>("/api/hr/handover-health");
      // The API says whose view this is (from the same policy scope that filtered it).
      renderPage(ctx, health.personal ? "我接手的家长" : "家长留存", "retention", retentionView(health, { personal: health.personal }));
    },
  });
  return router;
}
