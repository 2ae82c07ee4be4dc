import Router from "@koa/router";
import type { Middleware } from "koa";
import type { DataSource } from "typeorm";
import { StaffDirectory } from "../../org/directory/staffDirectory";
import { authorize } from "../../org/policies/authorize";
import type { Clock } from "../../platform/clock";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { applyOverrides, confirmPlan, planView } from "../plan/planStore";
import { reassignmentFacts } from "../reassignmentFacts";
import type { Reassignments } from "../reassignments";
import { leaverParams, onJobSchema, overridesSchema, type OnJobInput, type OverridesInput } from "./schema";

/**
 * HR's view of a leaver's reassignment: the plan with counts per successor,
 * overrides, confirmation and the on-job start. Only HR whose subtree covers
 * the leaver (or HQ) may see or change it.
 */
export function reassignmentRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware; reassignments: Reassignments }): Router {
  const router = new Router({ prefix: "/api/handover/reassignments/:leaver" });
  const mayManage: Middleware = async (ctx, next) => {
    const leaver = (ctx as unknown as { params: { leaver: string } }).params.leaver;
    const departmentPaths = await new StaffDirectory(deps.dataSource.manager).departmentPaths(leaver);
    authorize(ctx.state.actor, "update", { kind: "staff", userid: leaver, departmentPaths });
    return next();
  };
  const leaverOf = (ctx: { state: { input: { leaver: string } } }) => ctx.state.input.leaver;

  router.get("/plan", deps.auth, mayManage, validate(leaverParams), async (ctx) => {
    const leaver = leaverOf(ctx);
    ctx.body = { data: { ...(await planView(deps.dataSource.manager, leaver)), progress: await reassignmentFacts(deps.dataSource.manager, leaver) } };
  });
  router.post("/plan", deps.auth, mayManage, validate(leaverParams), async (ctx) => {
    await deps.reassignments.preparePlan(leaverOf(ctx), { origin: "hr" });
    ctx.status = 201;
    ctx.body = { data: await planView(deps.dataSource.manager, leaverOf(ctx)) };
  });
  router.put("/plan/overrides", deps.auth, mayManage, jsonBody(), validate(overridesSchema), async (ctx) => {
    const input = ctx.state.input as OverridesInput;
    await deps.dataSource.transaction((m) => applyOverrides(m, input.leaver, input, deps.clock.now()));
    ctx.body = { data: await planView(deps.dataSource.manager, input.leaver) };
  });
  router.post("/plan/confirm", deps.auth, mayManage, validate(leaverParams), async (ctx) => {
    await deps.dataSource.transaction((m) => confirmPlan(m, leaverOf(ctx), ctx.state.actor.userid, deps.clock.now()));
    ctx.body = { data: await planView(deps.dataSource.manager, leaverOf(ctx)) };
  });
  router.post("/on-job-transfer", deps.auth, mayManage, jsonBody(), validate(onJobSchema), async (ctx) => {
    const input = ctx.state.input as OnJobInput;
    ctx.status = 202;
    ctx.body = { data: await deps.reassignments.startOnJobReassignment(input.leaver, input.message ? { message: input.message } : {}) };
  });
  return router;
}
