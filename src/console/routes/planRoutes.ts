import Router from "@koa/router";
import { z } from "zod";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import type { PlanView } from "../presenters/apiTypes";
import { csrfField } from "../views/layout";
import { planView } from "../views/planView";
import { pageForm, redirectWith, renderPage, resultKey } from "./page";

const userid = z.string().min(1).max(64);
const leaverParams = z.object({ leaver: userid });
const pageQuery = z.object({ class: z.string().max(128).optional(), result: z.string().max(64).optional() });
const reassignForm = z.object({
  scope: z.enum(["parent", "class", "group"]),
  target: z.string().trim().min(1).max(128),
  successor: userid,
});

/** The successor plan of one leaver: counts per successor, reassign by parent / class / group, confirm. */
export function planRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/handover/:leaver" });
  const route = routeChain(router);
  const auth = deps.guard;
  const apiPath = (leaver: string) => `/api/handover/reassignments/${encodeURIComponent(leaver)}`;
  const pagePath = (leaver: string) => `/console/handover/${encodeURIComponent(leaver)}`;

  route.get("/", {
    auth,
    params: leaverParams,
    query: pageQuery,
    handle: async ({ ctx, actor, params: { leaver }, query }) => {
      const plan = await ConsoleApi.for(ctx).find<{ data: PlanView }>(`${apiPath(leaver)}/plan`);
      renderPage(ctx, `接替方案 · ${leaver}`, "cases", planView(leaver, plan?.data, { classFilter: query.class, result: resultKey(ctx), csrf: csrfField(actor) }));
    },
  });

  route.post("/prepare", {
    auth,
    params: leaverParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, params: { leaver } }) => {
      await ConsoleApi.for(ctx).send("POST", `${apiPath(leaver)}/plan`);
      redirectWith(ctx, pagePath(leaver), "prepared");
    },
  });

  route.post("/reassign", {
    auth,
    params: leaverParams,
    body: reassignForm,
    bodyParser: pageForm,
    handle: async ({ ctx, params: { leaver }, body: { scope, target, successor } }) => {
      const key = scope === "parent" ? "parents" : scope === "class" ? "classes" : "groups";
      await ConsoleApi.for(ctx).send("PUT", `${apiPath(leaver)}/plan/overrides`, { [key]: { [target]: successor } });
      redirectWith(ctx, pagePath(leaver), "reassigned");
    },
  });

  route.post("/confirm", {
    auth,
    params: leaverParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, params: { leaver } }) => {
      await ConsoleApi.for(ctx).send("POST", `${apiPath(leaver)}/plan/confirm`);
      redirectWith(ctx, pagePath(leaver), "confirmed");
    },
  });
  return router;
}
