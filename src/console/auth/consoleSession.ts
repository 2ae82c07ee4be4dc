import type { Context, Middleware, Next } from "koa";
import { SESSION_COOKIE } from "../../auth/authenticate";
import { SAFE_METHODS } from "../../auth/csrf";
import type { Auth } from "../../auth/module";
import type { Actor } from "../../org/policies/actor";
import { AuthenticationError, AuthorizationError } from "../../platform/errors";

/** What every console page knows about the signed-in person. */
export interface ConsoleSession {
  actor: Actor;
  /** The cookie's session token; the console forwards it to the API as a bearer token. */
  token: string;
  csrf: string;
}

export function sessionOf(ctx: Context): ConsoleSession {
  return ctx.state.console as ConsoleSession;
}

/**
 * No page without login: the console cookie is resolved exactly as the API
 * resolves it (bearer tokens are not accepted here, pages are for browsers). A missing or expired session sends the browser
 * to the login; a form post must carry the session's CSRF token.
 */
export function consoleSession(auth: Auth): Middleware {
  return async (ctx: Context, next: Next) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (!token) return toLogin(ctx);
    if (!SAFE_METHODS.has(ctx.method)) {
      const body = ctx.request.body as Record<string, unknown> | undefined;
      if (!auth.tokens.validCsrf(token, body?._csrf ?? ctx.get("X-CSRF-Token"))) throw new AuthorizationError("页面已过期，请刷新后重试");
    }
    let actor: Actor;
    try {
      actor = await auth.consoleActor(token);
    } catch (err) {
      if (err instanceof AuthenticationError) return toLogin(ctx);
      throw err;
    }
    ctx.state.console = { actor, token, csrf: auth.tokens.csrfToken(token) } satisfies ConsoleSession;
    return next();
  };
}

function toLogin(ctx: Context): void {
  if (ctx.method !== "GET") throw new AuthenticationError();
  ctx.redirect(`/console/login?next=${encodeURIComponent(ctx.originalUrl)}`);
}
