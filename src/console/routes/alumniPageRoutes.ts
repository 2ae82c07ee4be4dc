import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import { alumniPageView, type AlumniPage, type AlumniRow } from "../views/alumniViews";
import { pageForm, renderPage } from "./page";

const searchQuery = z.object({ q: z.string().trim().max(50).default(""), tag: z.string().trim().max(40).default("") });
// A single checked box posts a string, several an array.
const sendForm = z.object({
  topic: z.string().max(20),
  content: z.string().max(2000),
  userids: z.union([z.string().max(64), z.array(z.string().max(64)).max(500)]).optional(),
});

/** The alumni pool in the console: search by words or tag, and opt-in outreach (the API decides who may receive). */
export function alumniPageRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/alumni" });
  const route = routeChain(router);

  async function page(ctx: Context, q: string, tag: string, extra: Pick<AlumniPage, "sent" | "refused">): Promise<AlumniPage> {
    const api = ConsoleApi.for(ctx);
    const query = new URLSearchParams({ ...(q ? { q } : {}), ...(tag ? { tag } : {}) }).toString();
    const [found, all] = await Promise.all([
      api.get<{ alumni: AlumniRow[] }>(`/api/hr/alumni${query ? `?${query}` : ""}`),
      api.get<{ alumni: AlumniRow[] }>(`/api/hr/alumni`),
    ]);
    const allTags = [...new Set(all.alumni.flatMap((a) => a.labels))].sort((a, b) => a.localeCompare(b, "zh-CN"));
    return { alumni: found.alumni, q, tag, allTags, ...extra };
  }

  route.get("/", {
    auth: deps.guard,
    query: searchQuery,
    handle: async ({ ctx, actor, query }) => {
      renderPage(ctx, "离职人才库", "alumni", alumniPageView(await page(ctx, query.q, query.tag, {}), csrfField(actor)));
    },
  });

  route.post("/outreach", {
    auth: deps.guard,
    body: sendForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, body }) => {
      const userids = body.userids === undefined ? [] : Array.isArray(body.userids) ? body.userids : [body.userids];
      let extra: Pick<AlumniPage, "sent" | "refused">;
      try {
        const done = await ConsoleApi.for(ctx).send<{ message: string }>("POST", `/api/hr/alumni/outreach`, { topic: body.topic, content: body.content, userids });
        extra = { sent: done.message };
      } catch (err) {
        // A refusal (nobody chosen, empty text, someone outside HR's scope) is shown on the page with its reason.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        ctx.status = err.status;
        extra = { refused: `未发送：${err.message}` };
      }
      const status = ctx.status;
      renderPage(ctx, "离职人才库", "alumni", alumniPageView(await page(ctx, "", "", extra), csrfField(actor)));
      ctx.status = status;
    },
  });
  return router;
}
