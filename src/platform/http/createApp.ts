import Koa from "koa";
import type Router from "@koa/router";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { accessLog } from "./accessLog";
import { clientAddressMiddleware, type ProxyTrust } from "./clientAddress";
import { errorHandler } from "./errorHandler";
import { httpMetrics } from "./httpMetrics";
import { requestId } from "./requestId";

/**
 * The Koa app: client address (TRUST_PROXY) → request id → access log →
 * metrics → error model → routers.
 * Body parsing is per route (callbacks need the raw body and a size cap;
 * JSON APIs need koa-body), so it is not global.
 */
export function createApp(options: { logger: Logger; metrics: Metrics; routers: Router[]; trustProxy?: ProxyTrust }): Koa {
  const trust = options.trustProxy ?? { kind: "none" };
  // X-Forwarded-Proto/Host are believed only behind a configured proxy; the client address is set below.
  const app = new Koa({ proxy: trust.kind !== "none" });
  app.silent = true;
  app.use(clientAddressMiddleware(trust));
  app.use(requestId(options.logger));
  app.use(accessLog(options.logger));
  app.use(httpMetrics(options.metrics));
  app.use(errorHandler(options.logger));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
