import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import { StaffDirectory } from "../../org";
import { authorizeBranch, loadBranch } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { leaverRuleName, parseLockdownSettings } from "../lockdown/lockdownSettings";
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
    // `wecomRuleName`: the leaver rule's name in WeCom (HR's name and the branch's: unique, as WeCom requires);
    // `ruleProblem`: why WeCom refused the branch's rule at the last attempt, until a pass succeeds.
    handle: async ({ resource, manager }) => {
      const all = await loadAllLockdownSettings(manager);
      const own = all.get(resource.id);
      const above = own ? undefined : lockdownFor(resource.path, all);
      const names = await new StaffDirectory(manager).departmentNames([resource.id, ...(above ? [above.branchId] : [])]);
      const settings = own?.settings ?? above?.settings ?? parseLockdownSettings({});
      const governing = own ?? above;
      return {
        branchId: resource.id,
        configured: own !== undefined,
        inheritedFrom: above ? { branchId: above.branchId, name: names.get(above.branchId) ?? "上级部门" } : null,
        settings,
        version: own?.version ?? 0,
        wecomRuleName: leaverRuleName(settings.rule.name, names.get(governing?.branchId ?? resource.id) ?? ""),
        ruleProblem: governing?.ruleProblem ? { message: governing.ruleProblem.message, since: governing.ruleProblem.since.toISOString() } : null,
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
