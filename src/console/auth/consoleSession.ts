import type { Context } from "koa";
import { SESSION_COOKIE } from "../../auth";
import { SAFE_METHODS } from "../../auth";
import type { Auth } from "../../auth";
import type { Actor } from "../../org";
import { AuthenticationError, AuthorizationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";

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
 * resolves it (bearer tokens are not accepted here, pages are for browsers).
 * A missing or expired session is an AuthenticationError, which the pages'
 * error handler turns into the login redirect on a GET; a form post must
 * carry the session's CSRF token (in its `_csrf` field or X-CSRF-Token).
 */
export function consolePageGuard(auth: Auth): Guard<ConsoleSession> {
  return {
    kind: "console page session",
    readsBody: true,
    resolve: async (ctx: Context) => {
      const token = ctx.cookies.get(SESSION_COOKIE);
      if (!token) throw new AuthenticationError();
      if (!SAFE_METHODS.has(ctx.method)) {
        const body = ctx.request.body as Record<string, unknown> | undefined;
        if (!auth.tokens.validCsrf(token, body?._csrf ?? ctx.get("X-CSRF-Token"))) throw new AuthorizationError("页面已过期，请刷新后重试");
      }
      const actor = await auth.consoleActor(token);
      const session: ConsoleSession = { actor, token, csrf: auth.tokens.csrfToken(token) };
      // Layout and the loopback API client read the session off the context.
      ctx.state.console = session;
      return session;
    },
  };
}
