import { timingSafeEqual } from "node:crypto";
import type { Middleware } from "koa";
import type { DataSource } from "typeorm";
import type { Clock } from "../platform/clock";
import { AuthenticationError } from "../platform/errors";
import { StaffDirectory } from "../org/directory/staffDirectory";
import { systemActor } from "../org/policies/actor";
import { InvalidSession, type SessionAudience, type SessionTokens } from "./sessionToken";

export interface AuthDeps {
  tokens: SessionTokens;
  clock: Clock;
  dataSource: DataSource;
  opsToken?: string;
}

const sessionMessages: Record<InvalidSession["reason"], string> = {
  malformed: "登录信息无效，请重新登录",
  bad_signature: "登录信息无效，请重新登录",
  expired: "登录已过期，请重新登录",
  wrong_audience: "登录信息无效，请重新登录",
};

/**
 * Resolve the caller into ctx.state.actor: a session token of the given
 * audience (header `Authorization: Bearer …`, or the console's cookie), or
 * the operator token acting as the system.
 */
export function authenticate(deps: AuthDeps, audience: SessionAudience): Middleware {
  return async (ctx, next) => {
    const header = ctx.get("Authorization");
    const bearer = header.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    const token = bearer ?? (audience === "console" ? ctx.cookies.get("wpg_session") : undefined);
    if (!token) throw new AuthenticationError();
    if (deps.opsToken && equalSecret(token, deps.opsToken)) {
      ctx.state.actor = systemActor;
      return next();
    }
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
    ctx.state.actor = await new StaffDirectory(deps.dataSource.manager).actor(userid);
    return next();
  };
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
