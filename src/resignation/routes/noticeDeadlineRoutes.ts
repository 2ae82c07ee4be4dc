import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { authorize } from "../../org/policies/authorize";
import type { Clock } from "../../platform/clock";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { noticeDeadlineWorkingDays, saveNoticeDeadlineWorkingDays } from "../commands/noticeDeadline";
import { MAX_NOTICE_DEADLINE_WORKING_DAYS } from "../rules/writtenNoticeDeadline";

const saveSchema = z.object({
  workingDays: z.number().int("须为整数").min(1, "至少 1 个工作日").max(MAX_NOTICE_DEADLINE_WORKING_DAYS, `不超过 ${MAX_NOTICE_DEADLINE_WORKING_DAYS} 个工作日`),
});

/** The company's written-notice deadline (working days): HR and campus heads read it, HQ sets it; new cases use it. */
export function noticeDeadlineRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/hr/settings/written-notice-deadline" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  router.get("/", deps.auth, async (ctx) => {
    authorize(actorOf(ctx), "read", { kind: "company_settings" });
    const s = await noticeDeadlineWorkingDays(deps.dataSource.manager);
    ctx.body = { workingDays: s.workingDays, updatedBy: s.updatedBy, updatedAt: s.updatedAt?.toISOString() ?? null };
  });
  router.put("/", deps.auth, jsonBody(), validate(saveSchema), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, "update", { kind: "company_settings" });
    const { workingDays } = ctx.state.input as z.infer<typeof saveSchema>;
    const now = deps.clock.now();
    await deps.dataSource.transaction((m) => saveNoticeDeadlineWorkingDays(m, workingDays, actor.userid, now));
    ctx.body = { workingDays, updatedBy: actor.userid, updatedAt: now.toISOString(), message: `书面离职通知签署期限已设为 ${workingDays} 个工作日，此后新发起的离职申请适用。` };
  });
  return router;
}
