import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import { ARRANGEMENT_TEXT_EXAMPLE } from "../../calendar";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import { calendarPageView, type CalendarForm, type CalendarYears } from "../views/calendarViews";
import { pageForm, renderPage, problemList } from "./page";

const TITLE = "法定节假日安排";
// The text goes to the calendar API as it is; that API validates it (the same rules as a file sent to it directly).
const loadForm = z.object({ year: z.string().max(20).default(""), arrangement: z.string().max(200_000).default("") });

/** Which years the working-day deadlines are counted on, and HQ loading a new year's official arrangement. */
export function calendarPageRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/calendar" });
  const route = routeChain(router);

  async function render(ctx: Context, actor: ConsoleSession, form: CalendarForm, status = 200): Promise<void> {
    const years = await ConsoleApi.for(ctx).get<CalendarYears>("/api/admin/calendar");
    renderPage(ctx, TITLE, "settings", calendarPageView(years, csrfField(actor), ARRANGEMENT_TEXT_EXAMPLE, form));
    ctx.status = status;
  }

  route.get("/", { auth: deps.guard, handle: async ({ ctx, actor }) => render(ctx, actor, {}) });

  route.post("/", {
    auth: deps.guard,
    body: loadForm,
    bodyParser: pageForm,
    limits: { body: 200_000 },
    handle: async ({ ctx, actor, body }) => {
      const year = body.year.trim();
      if (!/^\d{4}$/.test(year)) {
        await render(ctx, actor, { refused: { message: "年份应为四位数字（如 2027）", problems: [] }, year, text: body.arrangement }, 400);
        return;
      }
      try {
        const done = await ConsoleApi.for(ctx).sendText<{ message: string }>("PUT", `/api/admin/calendar/years/${year}`, body.arrangement, "text/plain; charset=utf-8");
        await render(ctx, actor, { ok: done.message });
      } catch (err) {
        // Every line's problem on the page with the text kept, so the notice is corrected in one pass.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const problems = problemList(err);
        // A message that only wraps its one problem is said once.
        const single = problems.length === 1 && err.message.startsWith("请求参数有误");
        await render(ctx, actor, { refused: { message: single ? problems[0]! : err.message, problems: single ? [] : problems }, year, text: body.arrangement }, err.status);
      }
    },
  });
  return router;
}
