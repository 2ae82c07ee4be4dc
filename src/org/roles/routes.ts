import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { Actor } from "../policies/actor";
import { authorize } from "../policies/authorize";
import { grantRole, listGrants, revokeRole } from "./roleGrants";
import { grantRoleSchema, revokeRoleSchema } from "./schema";

/** Admin API for role grants: HQ admins (or the operator token) only. */
export function roleRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/admin/roles" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  const mayManage = async ({ actor }: { actor: Actor }) => authorize(actor, "manage", { kind: "roles" });

  route.get("/", {
    auth: deps.auth,
    load: mayManage,
    list: "roles",
    handle: async ({ manager }) => ({ data: await listGrants(manager) }),
  });
  route.post("/", {
    auth: deps.auth,
    body: grantRoleSchema,
    load: mayManage,
    transaction: true,
    status: 201,
    handle: async ({ actor, body, manager }) => {
      const id = await grantRole(manager, body, actor.userid, deps.clock.now());
      return { data: { id, ...body } };
    },
  });
  route.delete("/:id", {
    auth: deps.auth,
    params: revokeRoleSchema,
    load: mayManage,
    transaction: true,
    handle: async ({ params, manager }) => {
      await revokeRole(manager, params.id);
    },
  });
  return router;
}
