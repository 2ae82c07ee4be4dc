import { randomBytes } from "node:crypto";
import Router from "@koa/router";
import { z } from "zod";
import { SESSION_COOKIE } from "../../auth/authenticate";
import type { Auth } from "../../auth/module";
import type { Clock } from "../../platform/clock";
import { AuthenticationError, NotFoundError, ValidationError } from "../../platform/errors";
import { publicAccess } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { Logger } from "../../platform/logger";
import type { WeComClient } from "../../wecom/client";
import { sandboxLoginPage } from "../views/loginPages";
import { consolePageGuard } from "./consoleSession";
import { safeNextPath, weComAuthorizeUrl } from "./weComAuthorizeUrl";

const SESSION_HOURS = 8;
const STATE_COOKIE = "wpg_oauth";

export interface LoginDeps {
  auth: Auth;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
  /** https in production: the cookies are then Secure. */
  publicBaseUrl?: string;
  /** Real WeCom: the corp to authorize against. Undefined in sandbox mode. */
  corpId?: string;
  agentId?: number;
  /** Sandbox mode only: issue an OAuth code for a member, as WeCom would after its silent authorize. */
  sandboxCode?: (userid: string) => string;
}

const callbackSchema = z.object({ code: z.string().min(1).max(512), state: z.string().min(1).max(64) });
const sandboxSchema = z.object({ userid: z.string().trim().min(1).max(64), state: z.string().min(1).max(64) });
/** Where to go after the login: any string, reduced to a safe console path by safeNextPath. */
const loginQuery = z.object({ next: z.unknown().optional() });

/**
 * WeCom OAuth (snsapi_base) into an HttpOnly session cookie. In sandbox mode
 * the authorize step is a local page (the sandbox has no WeCom app to show
 * it); that page and its code shortcut do not exist when a corp is configured.
 */
export function consoleLoginRoutes(deps: LoginDeps): Router {
  const router = new Router({ prefix: "/console" });
  const secure = deps.publicBaseUrl?.startsWith("https://") ?? false;
  const cookieOptions = { httpOnly: true, sameSite: "lax" as const, secure, path: "/", overwrite: true };
  const sandboxMode = deps.corpId === undefined;

  const route = routeChain(router);
  const signingIn = publicAccess("console sign-in: WeCom OAuth");

  route.get("/login", {
    auth: signingIn,
    query: loginQuery,
    // A next path may carry a whole console query string.
    limits: { query: 2048 },
    handle: ({ ctx, query }) => {
      const state = randomBytes(16).toString("base64url");
      const next = safeNextPath(query.next);
      ctx.cookies.set(STATE_COOKIE, `${state}.${Buffer.from(next).toString("base64url")}`, { ...cookieOptions, maxAge: 10 * 60_000 });
      const redirectUri = `${deps.publicBaseUrl ?? ctx.origin}/console/oauth/callback`;
      ctx.redirect(
        sandboxMode
          ? `/console/sandbox-login?${new URLSearchParams({ state, redirect_uri: redirectUri })}`
          : weComAuthorizeUrl(deps.corpId as string, redirectUri, state, deps.agentId),
      );
    },
  });

  route.get("/oauth/callback", {
    auth: signingIn,
    query: callbackSchema,
    handle: async ({ ctx, query: { code, state } }) => {
      const [expected, encodedNext] = (ctx.cookies.get(STATE_COOKIE) ?? "").split(".");
      if (!expected || expected !== state) throw new AuthenticationError("登录已失效，请重新打开");
      ctx.cookies.set(STATE_COOKIE, null, cookieOptions);
      const who = await deps.client.oauth.getUserInfo(code);
      // Parents and outsiders (openid / external_userid) have no console.
      if (!who.userid) throw new AuthenticationError("仅限本企业成员登录");
      const token = deps.auth.tokens.issue(who.userid, "console", deps.clock.now(), SESSION_HOURS * 3600);
      ctx.cookies.set(SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_HOURS * 3600_000 });
      deps.logger.info({ userid: who.userid }, "console login");
      ctx.redirect(safeNextPath(Buffer.from(encodedNext ?? "", "base64url").toString("utf8")));
    },
  });

  route.post("/logout", {
    auth: consolePageGuard(deps.auth),
    body: z.object({}),
    handle: ({ ctx, actor }) => {
      deps.logger.info({ userid: actor.actor.userid }, "console logout");
      ctx.cookies.set(SESSION_COOKIE, null, cookieOptions);
      ctx.redirect("/console/login");
    },
  });

  if (sandboxMode) {
    route.get("/sandbox-login", {
      auth: signingIn,
      query: z.object({ state: z.string().min(1).max(64) }),
      handle: ({ ctx, query }) => {
        ctx.type = "html";
        ctx.body = sandboxLoginPage(query.state, deps.sandboxCode !== undefined).value;
      },
    });
    route.post("/sandbox-login", {
      auth: signingIn,
      body: sandboxSchema,
      handle: ({ ctx, body: { userid, state } }) => {
        if (!deps.sandboxCode) throw new NotFoundError("沙箱未在本进程运行");
        let code: string;
        try {
          code = deps.sandboxCode(userid);
        } catch {
          throw new ValidationError("沙箱企业中没有该成员");
        }
        ctx.redirect(`/console/oauth/callback?${new URLSearchParams({ code, state })}`);
      },
    });
  }
  return router;
}
