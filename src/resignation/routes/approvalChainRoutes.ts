import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import { loadBranch } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { approvalChainFor, saveApprovalChain } from "../store/orgContext";

const branchIdSchema = z.object({ branchId: z.coerce.number().int().positive() });
const stepSchema = z.object({
  key: z.string().trim().min(1).max(32).regex(/^[a-z0-9_]+$/, "环节标识只能包含小写字母、数字和下划线"),
  role: z.enum(["department_head", "it", "hr"]),
  label: z.string().trim().min(1).max(20),
  duties: z.array(z.string().trim().min(1).max(100)).max(10).default([]),
});
const saveBody = z.object({ chain: z.array(stepSchema).min(1, "审批链至少需要一个环节").max(10) });

/** The handover approval chain of a branch (policy `branch`: its HR sets it, HR and campus heads read it). */
export function approvalChainRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/hr/approval-chain" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    load: loadBranch("read"),
    handle: async ({ manager, resource }) => ({ branchId: resource.branchId, chain: await approvalChainFor(manager, resource.branchId) }),
  });

  route.put("/:branchId", {
    auth: deps.auth,
    params: branchIdSchema,
    body: saveBody,
    transaction: true,
    load: loadBranch("update"),
    handle: async ({ manager, actor, resource, body }) => {
      await saveApprovalChain(manager, resource.branchId, body.chain, actor.userid, deps.clock.now());
      return { branchId: resource.branchId, chain: body.chain };
    },
  });
  return router;
}
