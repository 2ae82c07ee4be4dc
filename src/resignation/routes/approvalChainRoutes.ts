import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { authorizeBranch } from "../../org/policies/branchAccess";
import type { Clock } from "../../platform/clock";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { approvalChainFor, saveApprovalChain } from "../store/orgContext";

const branchIdSchema = z.object({ branchId: z.coerce.number().int().positive() });
const stepSchema = z.object({
  key: z.string().trim().min(1).max(32).regex(/^[a-z0-9_]+$/, "环节标识只能包含小写字母、数字和下划线"),
  role: z.enum(["department_head", "it", "hr"]),
  label: z.string().trim().min(1).max(20),
  duties: z.array(z.string().trim().min(1).max(100)).max(10).default([]),
});
const saveSchema = branchIdSchema.extend({ chain: z.array(stepSchema).min(1, "审批链至少需要一个环节").max(10) });

/** The handover approval chain of a branch (policy `branch`: its HR sets it, HR and campus heads read it). */
export function approvalChainRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/hr/approval-chain" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;

  router.get("/:branchId", deps.auth, validate(branchIdSchema), async (ctx) => {
    const { branchId } = ctx.state.input as z.infer<typeof branchIdSchema>;
    await authorizeBranch(deps.dataSource.manager, actorOf(ctx), "read", branchId);
    ctx.body = { branchId, chain: await approvalChainFor(deps.dataSource.manager, branchId) };
  });

  router.put("/:branchId", deps.auth, jsonBody(), validate(saveSchema), async (ctx) => {
    const { branchId, chain } = ctx.state.input as z.infer<typeof saveSchema>;
    const actor = actorOf(ctx);
    await deps.dataSource.transaction(async (m) => {
      await authorizeBranch(m, actor, "update", branchId);
      await saveApprovalChain(m, branchId, chain, actor.userid, deps.clock.now());
    });
    ctx.body = { branchId, chain };
  });
  return router;
}
