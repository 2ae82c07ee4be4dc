import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { authorizeBranch } from "../../org/policies/branchAccess";
import type { Clock } from "../../platform/clock";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { ownReminderPolicy, reminderPolicyFor, reminderPolicySchema, saveReminderPolicy } from "../reminders/reminderPolicyStore";

const branchIdSchema = z.object({ branchId: z.coerce.number().int().positive() });
const saveSchema = z.object({ ...branchIdSchema.shape, ...reminderPolicySchema.shape });

/**
 * A branch's reminder policy (first reminder, interval, escalation, quiet
 * hours): read by HR and campus heads of the branch, set by its HR (policy
 * `branch`). `inherited` says the branch has none of its own yet.
 */
export function reminderPolicyRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/hr/reminder-policy" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;

  router.get("/:branchId", deps.auth, validate(branchIdSchema), async (ctx) => {
    const { branchId } = ctx.state.input as z.infer<typeof branchIdSchema>;
    const m = deps.dataSource.manager;
    await authorizeBranch(m, actorOf(ctx), "read", branchId);
    const own = await ownReminderPolicy(m, branchId);
    ctx.body = { branchId, policy: own ?? (await reminderPolicyFor(m, branchId)), inherited: own === undefined };
  });

  router.put("/:branchId", deps.auth, jsonBody(), validate(saveSchema), async (ctx) => {
    const { branchId, ...policy } = ctx.state.input as z.infer<typeof saveSchema>;
    const actor = actorOf(ctx);
    await deps.dataSource.transaction(async (m) => {
      await authorizeBranch(m, actor, "update", branchId);
      await saveReminderPolicy(m, branchId, policy, actor.userid, deps.clock.now());
    });
    ctx.body = { branchId, policy, inherited: false };
  });
  return router;
}
