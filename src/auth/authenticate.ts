import { timingSafeEqual } from "node:crypto";
import type { Context } from "koa";
import type { DataSource } from "typeorm";
import type { Clock } from "../platform/clock";
import { AuthenticationError, AuthorizationError } from "../platform/errors";
import { StaffDirectory } from "../org";
import { systemActor, type Actor } from "../org";
import { middlewareGuard, type MiddlewareGuard } from "../platform/http/guard";
import { SAFE_METHODS } from "./csrf";
import { InvalidSession, type SessionAudience, type SessionTokens } from "./sessionToken";

export interface AuthDeps {
  tokens: SessionTokens;
  clock: Clock;
  dataSource: DataSource;
  opsToken?: string;
}

/** The HR console's session cookie (HttpOnly, set by the console's OAuth login). */
export const SESSION_COOKIE = "wpg_session";

const sessionMessages: Record<InvalidSession["reason"], string> = {
  malformed: "登录信息无效，请重新登录",
  bad_signature: "登录信息无效，请重新登录",
  expired: "登录已过期，请重新登录",
  wrong_audience: "登录信息无效，请重新登录",
};

/**
 * The caller as a session of the given audience (header `Authorization:
 * Bearer …`, or the console's cookie), or the operator token acting as the
 * system. Usable as the route chain's guard and as plain middleware.
 */
export function authenticate(deps: AuthDeps, audience: SessionAudience): MiddlewareGuard<Actor> {
  return middlewareGuard({
    kind: audience === "console" ? "console session" : "mini-program session",
    resolve: async (ctx: Context) => {
      const header = ctx.get("Authorization");
      const bearer = header.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
      const cookie = bearer === undefined && audience === "console" ? ctx.cookies.get(SESSION_COOKIE) : undefined;
      const token = bearer ?? cookie;
      if (!token) throw new AuthenticationError();
      // A browser sends the cookie on its own; a change it carries must also prove it came from our pages.
      if (cookie !== undefined && !SAFE_METHODS.has(ctx.method) && !deps.tokens.validCsrf(cookie, ctx.get("X-CSRF-Token"))) {
        throw new AuthorizationError("页面已过期，请刷新后重试");
      }
      return resolveActor(deps, token, audience);
    },
  });
}

/** Who a session token (or the operator token) stands for; AuthenticationError when it is not valid. */
export async function resolveActor(deps: AuthDeps, token: string, audience: SessionAudience): Promise<Actor> {
  if (deps.opsToken && equalSecret(token, deps.opsToken)) return systemActor;
  let userid: string;
  try {
    userid = deps.tokens.verify(token, audience, deps.clock.now()).sub;
  } catch (err) {
    if (err instanceof InvalidSession) {
      const error = new AuthenticationError(sessionMessages[err.reason]);
      throw Object.assign(error, { details: { reason: err.reason } });
    }
    throw err;
  }
  return new StaffDirectory(deps.dataSource.manager).actor(userid);
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
