import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import { alumDetailView, alumniPageView, type AlumDetail, type AlumniPage, type AlumniRow } from "../views/alumniViews";
import { pageForm, renderPage } from "./page";

const searchQuery = z.object({ q: z.string().trim().max(50).default(""), tag: z.string().trim().max(40).default("") });
// A single checked box posts a string, several an array.
const sendForm = z.object({
  topic: z.string().max(20),
  content: z.string().max(2000),
  userids: z.union([z.string().max(64), z.array(z.string().max(64)).max(500)]).optional(),
});

const alumParams = z.object({ userid: z.string().min(1).max(64) });
const tagForm = z.object({ tag: z.string().max(60) });
// An unchecked box is absent from the form.
const optinForm = z.object({
  externalUserid: z.string().max(64).default(""),
  festival: z.literal("on").optional(),
  jobs: z.literal("on").optional(),
  evidence: z.string().max(1000).default(""),
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
  async function detail(ctx: Context, actor: ConsoleSession, userid: string, result: { ok?: string; refused?: string }): Promise<void> {
    const status = ctx.status;
    const found = await ConsoleApi.for(ctx).get<{ alum: AlumDetail }>(`/api/hr/alumni/${encodeURIComponent(userid)}`);
    renderPage(ctx, "离职人才库", "alumni", alumDetailView(found.alum, csrfField(actor), result));
    ctx.status = status;
  }

  /** A write from the alum's page: the API's sentence on success, its reason (with the right status) on refusal. */
  async function write(ctx: Context, actor: ConsoleSession, userid: string, call: (api: ConsoleApi) => Promise<{ message: string }>): Promise<void> {
    try {
      const done = await call(ConsoleApi.for(ctx));
      await detail(ctx, actor, userid, { ok: done.message });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      ctx.status = err.status;
      await detail(ctx, actor, userid, { refused: `未保存：${err.message}` });
    }
  }

  route.get("/:userid", {
    auth: deps.guard,
    params: alumParams,
    handle: async ({ ctx, actor, params }) => detail(ctx, actor, params.userid, {}),
  });

  route.post("/:userid/tags", {
    auth: deps.guard,
    params: alumParams,
    body: tagForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params, body }) =>
      write(ctx, actor, params.userid, (api) => api.send("POST", `/api/hr/alumni/${encodeURIComponent(params.userid)}/tags`, { tag: body.tag })),
  });

  route.post("/:userid/tags/remove", {
    auth: deps.guard,
    params: alumParams,
    body: tagForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params, body }) =>
      write(ctx, actor, params.userid, (api) => api.remove(`/api/hr/alumni/${encodeURIComponent(params.userid)}/tags/${encodeURIComponent(body.tag.trim())}`)),
  });

  route.post("/:userid/optin", {
    auth: deps.guard,
    params: alumParams,
    body: optinForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params, body }) =>
      write(ctx, actor, params.userid, (api) =>
        api.send("PUT", `/api/hr/alumni/${encodeURIComponent(params.userid)}/outreach`, {
          externalUserid: body.externalUserid,
          festival: body.festival === "on",
          jobs: body.jobs === "on",
          evidence: body.evidence,
        }),
      ),
  });

  route.post("/:userid/optin/withdraw", {
    auth: deps.guard,
    params: alumParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params }) => write(ctx, actor, params.userid, (api) => api.remove(`/api/hr/alumni/${encodeURIComponent(params.userid)}/outreach`)),
  });
  return router;
}
