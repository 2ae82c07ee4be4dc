import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import { displayNames } from "../../org";
import { responsibleHr } from "../../org";
import type { Actor } from "../../org";
import { loadCompanySettings } from "../../org";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { authorizeCase, loadAuthorizedCase } from "../commands/caseAccess";
import { loadExitInterview, presentExitInterview, recordExitInterview, scheduleExitInterview } from "../commands/exitInterview";
import type { ResignationDeps } from "../deps";
import { presentSummary } from "../presenters/casePresenter";
import { EXIT_OUTCOMES, EXIT_REASONS, REHIRE_RECOMMENDATIONS, type ExitOutcome, type ExitReason, type RehireRecommendation } from "../rules/exitInterview";
import { getCase } from "../store/caseStore";

const caseParams = z.object({ id: z.string().uuid("无效的编号") });
const keys = <T extends string>(o: Record<T, string>) => Object.keys(o) as [T, ...T[]];
const scheduleSchema = z.object({ scheduledAt: z.string().datetime({ offset: true, message: "请填写带时区的面谈时间" }), interviewerUserid: z.string().min(1).max(64) });
const outcomeSchema = z.object({
  reasons: z.array(z.enum(keys<ExitReason>(EXIT_REASONS))).min(1, "请至少选择一项离职原因").max(11),
  outcome: z.enum(keys<ExitOutcome>(EXIT_OUTCOMES)),
  rehireRecommendation: z.enum(keys<RehireRecommendation>(REHIRE_RECOMMENDATIONS)),
  notes: z.string().trim().max(1000, "面谈记录不超过1000字").default(""),
});

/** The exit interview of a case: HR of the leaver's branch schedules and records it; the lists are served so forms never drift. */
export function exitInterviewRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Guard<Actor> }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const route = routeChain(router, { dataSource });
  const present = async (m: EntityManager, caseId: string) => {
    const i = await loadExitInterview(m, caseId);
    return presentExitInterview(i, await displayNames(m, i ? [i.interviewerUserid] : []));
  };
  /** The case the interview belongs to, authorized for HR's change, locked when the route writes. */
  const caseFor = (lock: boolean) => async ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { id: string } }) => {
    if (!lock) return loadAuthorizedCase(manager, actor, params.id, "update");
    const row = await getCase(manager, params.id, { lock: true });
    await authorizeCase(manager, actor, "update", row);
    return row;
  };

  route.get("/exit-interview/options", {
    auth: deps.auth,
    // Labels for the forms of people who run cases.
    load: loadCompanySettings("read"),
    handle: () => {
      const list = (o: Record<string, string>) => Object.entries(o).map(([key, label]) => ({ key, label }));
      return { reasons: list(EXIT_REASONS), outcomes: list(EXIT_OUTCOMES), rehireRecommendations: list(REHIRE_RECOMMENDATIONS) };
    },
  });

  route.get("/cases/:id/exit-interview", {
    auth: deps.auth,
    params: caseParams,
    load: caseFor(false),
    handle: async ({ manager, resource }) => ({ exitInterview: await present(manager, resource.id) }),
  });

  /** Who may interview: the leaver's HR and the approvers of the case (never the leaver). */
  route.get("/cases/:id/exit-interview/interviewers", {
    auth: deps.auth,
    params: caseParams,
    load: caseFor(false),
    handle: async ({ manager: m, actor, resource: row }) => {
      const steps: { approver_userids: string[] }[] = await m.query(`SELECT approver_userids FROM approval_step WHERE case_id = $1 ORDER BY step`, [row.id]);
      const ids = [...new Set([actor.userid, ...(await responsibleHr(m, row.employeeUserid)), ...steps.flatMap((s) => s.approver_userids)])].filter((u) => u !== row.employeeUserid);
      const names = await displayNames(m, ids);
      return { interviewers: ids.filter((u) => names.has(u)).map((u) => ({ key: u, label: names.get(u)! })) };
    },
  });

  route.put("/cases/:id/exit-interview", {
    auth: deps.auth,
    params: caseParams,
    body: scheduleSchema,
    transaction: true,
    load: caseFor(true),
    handle: async ({ manager, actor, resource: row, body }) => {
      await scheduleExitInterview(manager, deps, row, actor.userid, new Date(body.scheduledAt), body.interviewerUserid);
      return row.id;
    },
    committed: async (caseId) => {
      deps.wakeOutbox();
      const exitInterview = await present(dataSource.manager, caseId);
      return { exitInterview, message: `离职面谈已安排在 ${exitInterview!.scheduledAtLabel}，已通知员工和面谈人。` };
    },
  });

  route.post("/cases/:id/exit-interview/outcome", {
    auth: deps.auth,
    params: caseParams,
    body: outcomeSchema,
    transaction: true,
    load: caseFor(true),
    handle: async ({ manager, actor, resource: row, body }) => ({ updated: (await recordExitInterview(manager, deps, row, actor.userid, body)).case, outcome: body.outcome }),
    committed: async ({ updated, outcome }) => {
      deps.wakeOutbox();
      return {
        exitInterview: await present(dataSource.manager, updated.id),
        case: presentSummary(updated),
        message: outcome === "retained" ? "已记录：员工留任，离职申请已撤回。" : "已记录：确认离职，返聘建议已存入离职人才库。",
      };
    },
  });
  return router;
}
