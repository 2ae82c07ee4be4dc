import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { displayNames } from "../../org/directory/displayNames";
import { responsibleHr } from "../../org/directory/responsibleHr";
import type { Actor } from "../../org/policies/actor";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { authorizeCase, loadAuthorizedCase } from "../commands/caseAccess";
import { loadExitInterview, presentExitInterview, recordExitInterview, scheduleExitInterview } from "../commands/exitInterview";
import type { ResignationDeps } from "../deps";
import { presentSummary } from "../presenters/casePresenter";
import { EXIT_OUTCOMES, EXIT_REASONS, REHIRE_RECOMMENDATIONS, type ExitOutcome, type ExitReason, type RehireRecommendation } from "../rules/exitInterview";
import { getCase } from "../store/caseStore";

const id = z.string().uuid("无效的编号");
const keys = <T extends string>(o: Record<T, string>) => Object.keys(o) as [T, ...T[]];
const scheduleSchema = z.object({ id, scheduledAt: z.string().datetime({ offset: true, message: "请填写带时区的面谈时间" }), interviewerUserid: z.string().min(1).max(64) });
const outcomeSchema = z.object({
  id,
  reasons: z.array(z.enum(keys<ExitReason>(EXIT_REASONS))).min(1, "请至少选择一项离职原因").max(11),
  outcome: z.enum(keys<ExitOutcome>(EXIT_OUTCOMES)),
  rehireRecommendation: z.enum(keys<RehireRecommendation>(REHIRE_RECOMMENDATIONS)),
  notes: z.string().trim().max(1000, "面谈记录不超过1000字").default(""),
});

/** The exit interview of a case: HR of the leaver's branch schedules and records it; the lists are served so forms never drift. */
export function exitInterviewRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Middleware }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  const present = async (caseId: string) => {
    const i = await loadExitInterview(dataSource.manager, caseId);
    return presentExitInterview(i, await displayNames(dataSource.manager, i ? [i.interviewerUserid] : []));
  };

  router.get("/exit-interview/options", deps.auth, async (ctx) => {
    const list = (o: Record<string, string>) => Object.entries(o).map(([key, label]) => ({ key, label }));
    ctx.body = { reasons: list(EXIT_REASONS), outcomes: list(EXIT_OUTCOMES), rehireRecommendations: list(REHIRE_RECOMMENDATIONS) };
  });

  router.get("/cases/:id/exit-interview", deps.auth, validate(z.object({ id })), async (ctx) => {
    const row = await loadAuthorizedCase(dataSource.manager, actorOf(ctx), (ctx.state.input as { id: string }).id, "update");
    ctx.body = { exitInterview: await present(row.id) };
  });

  /** Who may interview: the leaver's HR and the approvers of the case (never the leaver). */
  router.get("/cases/:id/exit-interview/interviewers", deps.auth, validate(z.object({ id })), async (ctx) => {
    const m = dataSource.manager;
    const row = await loadAuthorizedCase(m, actorOf(ctx), (ctx.state.input as { id: string }).id, "update");
    const steps: { approver_userids: string[] }[] = await m.query(`SELECT approver_userids FROM approval_step WHERE case_id = $1 ORDER BY step`, [row.id]);
    const ids = [...new Set([actorOf(ctx).userid, ...(await responsibleHr(m, row.employeeUserid)), ...steps.flatMap((s) => s.approver_userids)])].filter((u) => u !== row.employeeUserid);
    const names = await displayNames(m, ids);
    ctx.body = { interviewers: ids.filter((u) => names.has(u)).map((u) => ({ key: u, label: names.get(u)! })) };
  });

  router.put("/cases/:id/exit-interview", deps.auth, jsonBody(), validate(scheduleSchema), async (ctx) => {
    const body = ctx.state.input as z.infer<typeof scheduleSchema>;
    await dataSource.transaction(async (m) => {
      const row = await getCase(m, body.id, { lock: true });
      await authorizeCase(m, actorOf(ctx), "update", row);
      await scheduleExitInterview(m, deps, row, actorOf(ctx).userid, new Date(body.scheduledAt), body.interviewerUserid);
    });
    deps.wakeOutbox();
    const exitInterview = await present(body.id);
    ctx.body = { exitInterview, message: `离职面谈已安排在 ${exitInterview!.scheduledAtLabel}，已通知员工和面谈人。` };
  });

  router.post("/cases/:id/exit-interview/outcome", deps.auth, jsonBody(), validate(outcomeSchema), async (ctx) => {
    const body = ctx.state.input as z.infer<typeof outcomeSchema>;
    const updated = await dataSource.transaction(async (m) => {
      const row = await getCase(m, body.id, { lock: true });
      await authorizeCase(m, actorOf(ctx), "update", row);
      return (await recordExitInterview(m, deps, row, actorOf(ctx).userid, body)).case;
    });
    deps.wakeOutbox();
    ctx.body = {
      exitInterview: await present(body.id),
      case: presentSummary(updated),
      message: body.outcome === "retained" ? "已记录：员工留任，离职申请已撤回。" : "已记录：确认离职，返聘建议已存入离职人才库。",
    };
  });
  return router;
}
