import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import { consentWithdrawalsView, type WithdrawalRow } from "../views/consentWithdrawalViews";
import { pageForm, problemText, renderPage } from "./page";

const TITLE = "撤回存档同意";
const API = "/api/conversations/erasure-holds";
const id = z.string().min(1).max(128);
const pairParams = z.object({ staffUserid: id, externalUserid: id });
const groupParams = z.object({ roomId: id, externalUserid: id });
// The API decides what a reason may be (required, 500 characters); the page passes long text on so its words answer.
const holdForm = z.object({ reason: z.string().max(20_000).default("") });

/**
 * HR's page for parents who withdrew archive consent: when the pair's stored chats are erased, and the dispute
 * hold (with its reason) and its release — all through the erasure-hold API, which scopes and authorizes.
 */
export function consentWithdrawalPageRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/consent-withdrawals" });
  const route = routeChain(router);

  // The status is the caller's: 200, or a refusal's 4xx. A reader the list refuses (a campus head) gets its refusal page.
  async function render(ctx: Context, actor: ConsoleSession, result: { ok?: string; refused?: string }, status = 200): Promise<void> {
    const list = await ConsoleApi.for(ctx).get<{ data: { graceDays: number; withdrawals: WithdrawalRow[] } }>(API);
    renderPage(ctx, TITLE, "archive", consentWithdrawalsView(list.data, csrfField(actor), result));
    ctx.status = status;
  }

  /** A write: the API's sentence on success; on a refusal its reason on the page with the refusal's status. */
  async function write(ctx: Context, actor: ConsoleSession, refusedPrefix: string, call: (api: ConsoleApi) => Promise<{ message: string }>): Promise<void> {
    try {
      const done = await call(ConsoleApi.for(ctx));
      await render(ctx, actor, { ok: done.message });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      // Someone the API refuses outright (not HR of that teacher) sees the refusal as a page, not a list they may not read.
      if (err.status === 403) throw err;
      await render(ctx, actor, { refused: `${refusedPrefix}${problemText(err)}` }, err.status);
    }
  }

  route.get("/", { auth: deps.guard, handle: async ({ ctx, actor }) => render(ctx, actor, {}) });

  const pairPath = (p: { staffUserid: string; externalUserid: string }) => `${API}/${encodeURIComponent(p.staffUserid)}/${encodeURIComponent(p.externalUserid)}`;
  const groupPath = (p: { roomId: string; externalUserid: string }) => `${API}/groups/${encodeURIComponent(p.roomId)}/${encodeURIComponent(p.externalUserid)}`;
  const holdSpec = { auth: deps.guard, body: holdForm, bodyParser: pageForm, limits: { body: 20_000 } };
  const releaseSpec = { auth: deps.guard, body: z.object({}), bodyParser: pageForm };

  route.post("/:staffUserid/:externalUserid/hold", {
    ...holdSpec,
    params: pairParams,
    handle: async ({ ctx, actor, params, body }) => write(ctx, actor, "未暂缓：", (api) => api.send("PUT", pairPath(params), { reason: body.reason })),
  });
  route.post("/:staffUserid/:externalUserid/release", {
    ...releaseSpec,
    params: pairParams,
    handle: async ({ ctx, actor, params }) => write(ctx, actor, "未解除：", (api) => api.remove(pairPath(params))),
  });
  route.post("/groups/:roomId/:externalUserid/hold", {
    ...holdSpec,
    params: groupParams,
    handle: async ({ ctx, actor, params, body }) => write(ctx, actor, "未暂缓：", (api) => api.send("PUT", groupPath(params), { reason: body.reason })),
  });
  route.post("/groups/:roomId/:externalUserid/release", {
    ...releaseSpec,
    params: groupParams,
    handle: async ({ ctx, actor, params }) => write(ctx, actor, "未解除：", (api) => api.remove(groupPath(params))),
  });
  return router;
}
