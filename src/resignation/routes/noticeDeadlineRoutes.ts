import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import { loadCompanySettings } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { noticeDeadlineWorkingDays, saveNoticeDeadlineWorkingDays } from "../commands/noticeDeadline";
import { MAX_NOTICE_DEADLINE_WORKING_DAYS } from "../rules/writtenNoticeDeadline";

const saveSchema = z.object({
  workingDays: z.number().int("须为整数").min(1, "至少 1 个工作日").max(MAX_NOTICE_DEADLINE_WORKING_DAYS, `不超过 ${MAX_NOTICE_DEADLINE_WORKING_DAYS} 个工作日`),
});

/** The company's written-notice deadline (working days): HR and campus heads read it, HQ sets it; new cases use it. */
export function noticeDeadlineRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/hr/settings/written-notice-deadline" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/", {
    auth: deps.auth,
    load: loadCompanySettings("read"),
    handle: async ({ manager }) => {
      const s = await noticeDeadlineWorkingDays(manager);
      return { workingDays: s.workingDays, updatedBy: s.updatedBy, updatedAt: s.updatedAt?.toISOString() ?? null };
    },
  });

  route.put("/", {
    auth: deps.auth,
    body: saveSchema,
    transaction: true,
    load: loadCompanySettings("update"),
    handle: async ({ manager, actor, body }) => {
      const now = deps.clock.now();
      await saveNoticeDeadlineWorkingDays(manager, body.workingDays, actor.userid, now);
      return {
        workingDays: body.workingDays,
        updatedBy: actor.userid,
        updatedAt: now.toISOString(),
        message: `书面离职通知签署期限已设为 ${body.workingDays} 个工作日，此后新发起的离职申请适用。`,
      };
    },
  });
  return router;
}
