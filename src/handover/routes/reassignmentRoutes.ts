import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { leaverRoute } from "./leaverRoute";
import { applyOverrides, confirmPlan, planView } from "../plan/planStore";
import { reassignmentFacts } from "../reassignmentFacts";
import type { Reassignments } from "../reassignments";
import { onJobBody, overridesBody } from "./schema";

/**
 * HR's view of a leaver's reassignment: the plan with counts per successor,
 * overrides, confirmation and the on-job start. Only HR whose subtree covers
 * the leaver (or HQ) may see or change it, and every route acts on the
 * leaver it loaded and authorized — the URL's, never one named in a body.
 */
export function reassignmentRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; reassignments: Reassignments }): Router {
  const router = new Router({ prefix: "/api/handover/reassignments/:leaver" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  const common = leaverRoute(deps.auth);

  route.get("/plan", {
    ...common,
    handle: async ({ resource, manager }) => ({
      data: { ...(await planView(manager, resource.userid)), progress: await reassignmentFacts(manager, resource.userid) },
    }),
  });
  route.post("/plan", {
    ...common,
    status: 201,
    handle: async ({ resource, manager }) => {
      await deps.reassignments.preparePlan(resource.userid, { origin: "hr" });
      return { data: await planView(manager, resource.userid) };
    },
  });
  route.put("/plan/overrides", {
    ...common,
    body: overridesBody,
    transaction: true,
    handle: async ({ resource, body, manager }) => {
      await applyOverrides(manager, resource.userid, body, deps.clock.now());
      return { data: await planView(manager, resource.userid) };
    },
  });
  route.post("/plan/confirm", {
    ...common,
    transaction: true,
    handle: async ({ resource, actor, manager }) => {
      await confirmPlan(manager, resource.userid, actor.userid, deps.clock.now());
      return { data: await planView(manager, resource.userid) };
    },
  });
  route.post("/on-job-transfer", {
    ...common,
    body: onJobBody,
    status: 202,
    handle: async ({ resource, body }) => ({
      data: await deps.reassignments.startOnJobReassignment(resource.userid, body.message ? { message: body.message } : {}),
    }),
  });
  return router;
}
