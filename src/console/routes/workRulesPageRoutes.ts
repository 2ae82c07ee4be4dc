import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import { workRulesPageView, type UnsignedMember } from "../views/workRulesViews";
import { pageForm, renderPage } from "./page";

const staffParams = z.object({ userid: z.string().min(1).max(64) });
const TITLE = "入职规则签署";

/** Who has not signed the work-account rules, per campus, and HR's "remind again". */
export function workRulesPageRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/work-rules" });
  const route = routeChain(router);

  async function render(ctx: Context, actor: ConsoleSession, result: { ok?: string; refused?: string }): Promise<void> {
    const status = ctx.status;
    const list = await ConsoleApi.for(ctx).get<{ data: { members: UnsignedMember[] } }>(`/api/hr/work-rules/unsigned`);
    renderPage(ctx, TITLE, "workRules", workRulesPageView(list.data.members, csrfField(actor), result));
    ctx.status = status;
  }

  route.get("/", { auth: deps.guard, handle: async ({ ctx, actor }) => render(ctx, actor, {}) });

  route.post("/:userid/remind", {
    auth: deps.guard,
    params: staffParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params }) => {
      try {
        const done = await ConsoleApi.for(ctx).send<{ data: { message: string } }>("POST", `/api/hr/work-rules/${encodeURIComponent(params.userid)}/remind`);
        await render(ctx, actor, { ok: done.data.message });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        ctx.status = err.status;
        await render(ctx, actor, { refused: `未提醒：${err.message}` });
      }
    },
  });
  return router;
}
