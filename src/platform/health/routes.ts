import Router from "@koa/router";
import type { EmbeddedStatus } from "../db/embedded/supervisedPostgres";
import { checkLiveness, checkReadiness } from "../db/readiness";
import { publicAccess } from "../http/guard";
import { routeChain } from "../http/route";
import type { PlatformServices } from "../services";

export interface HealthOptions {
  /** The embedded server's supervisor status, when the service runs one. */
  embedded?: () => EmbeddedStatus;
  /** false when /metrics is served on the internal metrics port instead. */
  metrics?: boolean;
}

/** Operations endpoints: liveness, readiness and (unless it has its own port) Prometheus metrics. */
export function healthRoutes(services: PlatformServices, options: HealthOptions = {}): Router {
  const router = new Router();
  const route = routeChain(router);
  const auth = publicAccess("operations probes, no data");
  route.get("/healthz", {
    auth,
    handle: ({ ctx }) => {
      const embedded = options.embedded?.();
      // Real time, not the injected clock: this measures how long the process itself has been unable to heal.
      const live = checkLiveness(embedded, new Date());
      ctx.status = live.alive ? 200 : 503;
      ctx.body = {
        status: live.alive ? "ok" : "failing",
        uptimeSeconds: Math.round(process.uptime()),
        ...(live.error ? { error: live.error } : {}),
        ...(embedded ? { embedded } : {}),
      };
    },
  });
  route.get("/readyz", {
    auth,
    handle: async ({ ctx }) => {
      const report = await checkReadiness(services.dataSource, options.embedded?.());
      ctx.status = report.ready ? 200 : 503;
      ctx.body = { status: report.ready ? "ready" : "not_ready", ...report };
    },
  });
  if (options.metrics !== false) {
    route.get("/metrics", {
      auth,
      handle: async ({ ctx }) => {
        ctx.type = services.metrics.registry.contentType;
        ctx.body = await services.metrics.registry.metrics();
      },
    });
  }
  return router;
}
