import type Router from "@koa/router";
import type { MiddlewareGuard } from "../platform/http/guard";
import type { PlatformServices } from "../platform/services";
import type { Actor } from "../org";
import type { WeComClient } from "../wecom";
import { authenticate, resolveActor } from "./authenticate";
import { mpLoginRoutes } from "./miniProgramLogin/loginRoutes";
import { sessionSecret } from "./sessionSecret";
import { SessionTokens } from "./sessionToken";

export interface Auth {
  tokens: SessionTokens;
  /** Mini-program sessions (Authorization: Bearer). */
  miniProgram: MiddlewareGuard<Actor>;
  /** HR console sessions (cookie or bearer) and the operator token. */
  console: MiddlewareGuard<Actor>;
  /** The console's pages resolve their cookie themselves (they redirect to the login instead of answering 401). */
  consoleActor(token: string): Promise<Actor>;
  /** POST /api/mp/login: a wx.qy.login code, checked with WeCom, for a mini-program session. */
  miniProgramLoginRoutes(client: WeComClient): Router;
}

export function createAuth(services: PlatformServices): Auth {
  const tokens = new SessionTokens(sessionSecret(services.config, services.logger));
  const deps = { tokens, clock: services.clock, dataSource: services.dataSource, opsToken: services.config.OPS_TOKEN };
  return {
    tokens,
    miniProgram: authenticate(deps, "mp"),
    console: authenticate(deps, "console"),
    consoleActor: (token) => resolveActor(deps, token, "console"),
    miniProgramLoginRoutes: (client) => mpLoginRoutes({ dataSource: services.dataSource, client, tokens, clock: services.clock, logger: services.logger }),
  };
}
