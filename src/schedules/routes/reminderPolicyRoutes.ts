import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import { loadBranch } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { ownReminderPolicy, reminderPolicyFor, reminderPolicySchema, saveReminderPolicy } from "../reminders/reminderPolicyStore";

const branchIdSchema = z.object({ branchId: z.coerce.number().int().positive() });

/**
 * A branch's reminder policy (first reminder, interval, escalation, quiet
 * hours): read by HR and campus heads of the branch, set by its HR (policy
 * `branch`). `inherited` says the branch has none of its own yet.
 */
export function reminderPolicyRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/hr/reminder-policy" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    load: loadBranch("read"),
    handle: async ({ manager: m, resource: { branchId } }) => {
      const own = await ownReminderPolicy(m, branchId);
      return { branchId, policy: own ?? (await reminderPolicyFor(m, branchId)), inherited: own === undefined };
    },
  });

  route.put("/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    body: reminderPolicySchema,
    transaction: true,
    load: loadBranch("update"),
    handle: async ({ manager, actor, resource: { branchId }, body: policy }) => {
      await saveReminderPolicy(manager, branchId, policy, actor.userid, deps.clock.now());
      return { branchId, policy, inherited: false };
    },
  });
  return router;
}
