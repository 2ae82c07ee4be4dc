import type { Middleware } from "koa";
import Router from "@koa/router";
import { z } from "zod";
import { SESSION_COOKIE } from "../../auth";
import type { Auth } from "../../auth";
import type { Clock } from "../../platform/clock";
import { AuthenticationError } from "../../platform/errors";
import { publicAccess } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { Logger } from "../../platform/logger";
import { WECOM_ERRCODE, WeComApiError, type WeComClient } from "../../wecom";
import { weComAuthorizeUrl, weComWebLoginUrl, type WeComLoginEntry } from "../../wecom";
import { htmlErrors } from "../htmlErrors";
import { errorPage } from "../views/errorPage";
import { consolePageGuard } from "./consoleSession";
import { newLoginState, sameLoginState } from "./loginState";
import { safeNextPath } from "./safeNextPath";

const SESSION_HOURS = 8;
const STATE_COOKIE = "wpg_oauth";
/** WeCom's login codes live 5 minutes (path/91023); a QR page left open a little longer still works. */
const STATE_MINUTES = 10;

export interface LoginDeps {
  auth: Auth;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
  /** https in production: the cookies are then Secure. */
  publicBaseUrl?: string;
  /** The corp and app to sign in with, and where WeCom's (or the sandbox's) login pages are. */
  weCom: WeComLoginEntry;
}

// path/91019 (and the Web login of path/98152): a member who declines comes back with the state and no code.
const callbackSchema = z.object({ code: z.string().min(1).max(512).optional(), state: z.string().min(1).max(128) });
/** Where to go after the login: any string, reduced to a safe console path by safeNextPath. */
const loginQuery = z.object({ next: z.unknown().optional() });

/**
 * The WeCom client's webview says so in its User-Agent ("wxwork/<version>"): there the silent OAuth signs the
 * member in without a click; anywhere else (a desktop browser) WeCom's Web login shows its QR code / "用企业微信
 * 登录" page. A client that hides the marker still gets a page that works: the Web login also accepts a
 * logged-in desktop client (path/98151).
 */
const insideWeComClient = (userAgent: string) => /\bwxwork\//i.test(userAgent);

/**
 * With an https PUBLIC_BASE_URL the login's cookies are Secure, and Koa refuses to send a Secure cookie on a
 * request it sees as plain http ("Cannot send secure cookie over unencrypted connection": a 500). That happens
 * when someone opens the service's http address directly, or when a TLS-terminating proxy's X-Forwarded-Proto
 * is not believed (TRUST_PROXY unset). A redirect to https could loop behind such a proxy, so the person gets a
 * page with the https address, and the operator the reason in the log and on the page.
 */
function httpsOnly(publicBaseUrl: string, logger: Logger): Middleware {
  return async (ctx, next) => {
    if (ctx.protocol === "https") return next();
    logger.warn({ path: ctx.path, forwardedProto: ctx.get("x-forwarded-proto") || null }, "console login over plain http refused: PUBLIC_BASE_URL is https (set TRUST_PROXY if a proxy terminates TLS)");
    const loginUrl = `${publicBaseUrl}/console/login`;
    ctx.status = 400;
    ctx.type = "html";
    ctx.body = errorPage(
      400,
      `控制台只能通过 https 登录，请改用 ${loginUrl} 打开。（给运维：服务配置的地址 PUBLIC_BASE_URL 是 https，但这次请求以 http 到达本服务。如果 https 由前面的反向代理处理，请让代理转发 X-Forwarded-Proto，并设置 TRUST_PROXY 信任该代理。）`,
      { href: loginUrl, label: "用 https 打开登录页" },
    ).value;
  };
}

/**
 * Console sign-in through WeCom into an HttpOnly session cookie. The state is bound to this browser (a
 * SameSite=Lax HttpOnly cookie, 10 minutes) and single-use (the cookie is cleared at the callback whatever its
 * outcome), so a login started in one browser cannot be completed in another (login CSRF) and a callback URL
 * cannot be replayed; WeCom's code is single-use too (40029 the second time).
 */
export function consoleLoginRoutes(deps: LoginDeps): Router {
  const router = new Router({ prefix: "/console" });
  const secure = deps.publicBaseUrl?.startsWith("https://") ?? false;
  const cookieOptions = { httpOnly: true, sameSite: "lax" as const, secure, path: "/", overwrite: true };
  // A refused login is a page with the reason and a way back, never a JSON body or a redirect loop.
  router.use(htmlErrors(deps.logger, { loginRedirect: false }));
  if (secure) router.use(httpsOnly(deps.publicBaseUrl!, deps.logger));

  const route = routeChain(router);
  const signingIn = publicAccess("console sign-in: WeCom OAuth or Web login");

  route.get("/login", {
    auth: signingIn,
    query: loginQuery,
    // A next path may carry a whole console query string.
    limits: { query: 2048 },
    handle: ({ ctx, query }) => {
      const state = newLoginState();
      const next = safeNextPath(query.next);
      ctx.cookies.set(STATE_COOKIE, `${state}.${Buffer.from(next).toString("base64url")}`, { ...cookieOptions, maxAge: STATE_MINUTES * 60_000 });
      // Koa 3's ctx.origin is the Origin request header (absent on a navigation), not this server: build it.
      const redirectUri = `${deps.publicBaseUrl ?? `${ctx.protocol}://${ctx.host}`}/console/oauth/callback`;
      ctx.redirect(insideWeComClient(ctx.get("user-agent")) ? weComAuthorizeUrl(deps.weCom, redirectUri, state) : weComWebLoginUrl(deps.weCom, redirectUri, state));
    },
  });

  route.get("/oauth/callback", {
    auth: signingIn,
    query: callbackSchema,
    handle: async ({ ctx, query: { code, state } }) => {
      const [expected, encodedNext] = (ctx.cookies.get(STATE_COOKIE) ?? "").split(".");
      // Single use: whatever follows, this browser's state is spent.
      ctx.cookies.set(STATE_COOKIE, null, cookieOptions);
      if (!sameLoginState(expected, state)) {
        deps.logger.warn({ hasStateCookie: expected !== undefined && expected !== "" }, "console login refused: state does not match this browser's");
        throw new AuthenticationError("登录已失效或不是从本浏览器发起，请重新登录");
      }
      if (!code) throw new AuthenticationError("你已取消企业微信登录");
      const who = await deps.client.oauth.getUserInfo(code).catch((err: unknown) => {
        // A code is exchanged once and lives 5 minutes (path/96442, 98177): spent, expired or forged.
        if (err instanceof WeComApiError && (err.errcode === WECOM_ERRCODE.INVALID_CODE || err.errcode === WECOM_ERRCODE.CODE_USED)) throw new AuthenticationError("企业微信登录码已失效（只能使用一次），请重新登录");
        throw err;
      });
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
  return router;
}
