import Router from "@koa/router";
import type { Middleware } from "koa";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { authorize } from "../policies/authorize";
import { grantRole, listGrants, revokeRole } from "./roleGrants";
import { grantRoleSchema, revokeRoleSchema, type GrantRoleInput } from "./schema";

/** Admin API for role grants: HQ admins (or the operator token) only. */
export function roleRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/admin/roles" });
  const mayManage: Middleware = (ctx, next) => {
    authorize(ctx.state.actor, "manage", { kind: "roles" });
    return next();
  };
  router.get("/", deps.auth, mayManage, async (ctx) => {
    ctx.body = { data: await listGrants(deps.dataSource.manager) };
  });
  router.post("/", deps.auth, mayManage, jsonBody(), validate(grantRoleSchema), async (ctx) => {
    const input = ctx.state.input as GrantRoleInput;
    const id = await grantRole(deps.dataSource.manager, input, ctx.state.actor.userid, deps.clock.now());
    ctx.status = 201;
    ctx.body = { data: { id, ...input } };
  });
  router.delete("/:id", deps.auth, mayManage, validate(revokeRoleSchema), async (ctx) => {
    await revokeRole(deps.dataSource.manager, (ctx.state.input as { id: number }).id);
    ctx.status = 204;
  });
  return router;
}
