import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { StaffDirectory } from "../../org/directory/staffDirectory";
import { authorizeBranch, loadBranch } from "../../org/policies/branchAccess";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { parseLockdownSettings } from "../lockdown/lockdownSettings";
import { loadAllLockdownSettings, lockdownFor, saveLockdownSettings } from "../lockdown/lockdownStore";
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
      return { id: params.branchId, path: (await new StaffDirectory(manager).departmentPath(params.branchId)) ?? [] };
    },
    // A branch without its own settings answers what governs it: the nearest branch above that has some
    // (named), or the defaults with `inheritedFrom: null` — then nobody there is locked down until HR saves.
    handle: async ({ resource, manager }) => {
      const all = await loadAllLockdownSettings(manager);
      const own = all.get(resource.id);
      if (own) return { branchId: resource.id, configured: true, inheritedFrom: null, settings: own.settings, version: own.version };
      const above = lockdownFor(resource.path, all);
      const [named] = above ? await manager.query(`SELECT name FROM department WHERE id = $1`, [above.branchId]) : [];
      return {
        branchId: resource.id,
        configured: false,
        inheritedFrom: above ? { branchId: above.branchId, name: (named?.name as string | undefined) ?? "上级部门" } : null,
        settings: above?.settings ?? parseLockdownSettings({}),
        version: 0,
      };
    },
  });

  route.put("/lockdown-settings/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    body: saveLockdownBody,
    transaction: true,
    load: loadBranch("update"),
    handle: ({ resource, body, actor, manager }) => saveLockdownSettings(manager, resource.branchId, body.settings, actor.userid, deps.clock.now()),
    // The leaver rule follows the committed settings at the worker's next pass.
    committed: (saved) => {
      deps.onChanged();
      return { branchId: saved.branchId, configured: true, inheritedFrom: null, settings: saved.settings, version: saved.version, message: "离职管控设置已保存，企业微信拦截规则将在一分钟内同步" };
    },
  });

  return router;
}
