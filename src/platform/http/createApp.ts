import Koa from "koa";
import type Router from "@koa/router";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { ProxyTrust } from "./clientAddress";
import { requestEdge } from "./requestEdge";

/**
 * The Koa app: the request's edge (client address, request id, access log,
 * metrics, error model) → routers.
 * Body parsing is per route (callbacks need the raw body and a size cap;
 * JSON APIs need koa-body), so it is not global.
 */
export function createApp(options: { logger: Logger; metrics: Metrics; routers: Router[]; trustProxy?: ProxyTrust }): Koa {
  const trust = options.trustProxy ?? { kind: "none" };
  // X-Forwarded-Proto/Host are believed only behind a configured proxy; the client address is set by the edge.
  const app = new Koa({ proxy: trust.kind !== "none" });
  app.silent = true;
  app.use(requestEdge({ logger: options.logger, metrics: options.metrics, trust }));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
