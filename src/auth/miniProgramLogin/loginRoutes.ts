import Router from "@koa/router";
import { z } from "zod";
import type { DataSource } from "typeorm";
import type { LoginResult } from "../../../miniprogram/services/types";
import type { Clock } from "../../platform/clock";
import { AuthenticationError } from "../../platform/errors";
import { publicAccess } from "../../platform/http/guard";
import { jsonBody } from "../../platform/http/jsonBody";
import { routeChain } from "../../platform/http/route";
import { SharedRateLimiter } from "../../platform/rateLimit";
import type { Logger } from "../../platform/logger";
import { WECOM_ERRCODE, WeComApiError, type WeComClient } from "../../wecom";
import { StaffDirectory } from "../../org";
import type { SessionTokens } from "../sessionToken";
import { LoginRateLimiter } from "./loginRateLimiter";

const loginSchema = z.object({ code: z.string().trim().min(1).max(256) });

export const MP_SESSION_SECONDS = 2 * 3600;

/**
 * POST /api/mp/login: a wx.qy.login code → jscode2session → our own short
 * session bound to the WeCom userid. The code's corp must be ours; the
 * session_key never leaves this function.
 */
export function mpLoginRoutes(deps: { dataSource: DataSource; client: WeComClient; tokens: SessionTokens; clock: Clock; logger: Logger }): Router {
  const limiter = new LoginRateLimiter(new SharedRateLimiter(deps.dataSource, deps.clock), deps.clock);
  const router = new Router();
  routeChain(router).post("/api/mp/login", {
    auth: publicAccess("mini-program login: the one-time wx.qy.login code is the credential"),
    body: loginSchema,
    bodyParser: jsonBody("4kb"),
    handle: async ({ ctx, body }): Promise<LoginResult> => {
      // Per address before WeCom is asked (ctx.ip honours X-Forwarded-For only from TRUST_PROXY's proxies) …
      await limiter.take(`ip:${ctx.ip}`);
      let session;
      try {
        session = await deps.client.miniProgram.jscode2session(body.code);
      } catch (err) {
        if (err instanceof WeComApiError && (err.errcode === WECOM_ERRCODE.INVALID_CODE || err.errcode === WECOM_ERRCODE.CODE_USED)) throw new AuthenticationError("登录凭证无效或已使用，请重新进入小程序");
        throw err;
      }
      if (session.corpid !== deps.client.settings.corpId || !session.userid) {
        deps.logger.warn({ corpid: session.corpid }, "mini-program login from another corp refused");
        throw new AuthenticationError("请使用本企业的企业微信登录");
      }
      // … and per account, so rotating addresses cannot mint sessions for one person without bound.
      await limiter.take(`user:${session.userid}`);
      const now = deps.clock.now();
      return {
        token: deps.tokens.issue(session.userid, "mp", now, MP_SESSION_SECONDS),
        expiresAt: new Date(now.getTime() + MP_SESSION_SECONDS * 1000).toISOString(),
        user: { userid: session.userid, name: (await new StaffDirectory(deps.dataSource.manager).find(session.userid))?.name ?? session.userid },
      };
    },
  });
  return router;
}
