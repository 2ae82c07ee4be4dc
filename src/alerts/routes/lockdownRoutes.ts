import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { authorizeBranch } from "../../org/policies/branchAccess";
import type { Clock } from "../../platform/clock";
import { NotFoundError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { loadAllLockdownSettings, saveLockdownSettings } from "../lockdown/lockdownStore";
import { branchIdSchema } from "./schema";

const saveLockdownBody = z.object({ settings: z.record(z.string(), z.unknown()) });

/**
 * Per-branch leaver lockdown settings (the leaver intercept rule, automatic
 * freeze on a leaver's group send, the disable hour, successor contact
 * days): HR of the subtree sets them, campus heads read them — the same
 * branch policy as the risk-rule settings.
 */
export function lockdownRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; onChanged(): void }): Router {
  const router = new Router({ prefix: "/api/hr" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/lockdown-settings/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    load: async ({ manager, actor, params }) => {
      await authorizeBranch(manager, actor, "read", params.branchId);
      return { branchId: params.branchId };
    },
    handle: async ({ resource, manager }) => {
      const saved = (await loadAllLockdownSettings(manager)).get(resource.branchId);
      if (!saved) throw new NotFoundError("该校区尚未配置离职管控");
      return { branchId: resource.branchId, settings: saved.settings, version: saved.version };
    },
  });

  route.put("/lockdown-settings/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    body: saveLockdownBody,
    transaction: true,
    load: async ({ manager, actor, params }) => {
      await authorizeBranch(manager, actor, "update", params.branchId);
      return { branchId: params.branchId };
    },
    handle: ({ resource, body, actor, manager }) => saveLockdownSettings(manager, resource.branchId, body.settings, actor.userid, deps.clock.now()),
    // The leaver rule follows the committed settings at the worker's next pass.
    committed: (saved) => {
      deps.onChanged();
      return { branchId: saved.branchId, settings: saved.settings, version: saved.version, message: "离职管控设置已保存，企业微信拦截规则将在一分钟内同步" };
    },
  });

  return router;
}
