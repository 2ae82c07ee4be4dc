import type { Middleware } from "koa";
import type { PlatformServices } from "../platform/services";
import { authenticate } from "./authenticate";
import { sessionSecret } from "./sessionSecret";
import { SessionTokens } from "./sessionToken";

export interface Auth {
  tokens: SessionTokens;
  /** Mini-program sessions (Authorization: Bearer). */
  miniProgram: Middleware;
  /** HR console sessions (cookie or bearer) and the operator token. */
  console: Middleware;
}

export function createAuth(services: PlatformServices): Auth {
  const tokens = new SessionTokens(sessionSecret(services.config, services.logger));
  const deps = { tokens, clock: services.clock, dataSource: services.dataSource, opsToken: services.config.OPS_TOKEN };
  return { tokens, miniProgram: authenticate(deps, "mp"), console: authenticate(deps, "console") };
}
