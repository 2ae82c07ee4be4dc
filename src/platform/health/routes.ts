import Router from "@koa/router";
import { checkReadiness } from "../db/readiness";
import { publicAccess } from "../http/guard";
import { routeChain } from "../http/route";
import type { PlatformServices } from "../services";

/** Operations endpoints: liveness, readiness and Prometheus metrics. */
export function healthRoutes(services: PlatformServices): Router {
  const router = new Router();
  const route = routeChain(router);
  const auth = publicAccess("operations probes, no data");
  route.get("/healthz", {
    auth,
    handle: () => ({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }),
  });
  route.get("/readyz", {
    auth,
    handle: async ({ ctx }) => {
      const report = await checkReadiness(services.dataSource);
      ctx.status = report.ready ? 200 : 503;
      ctx.body = { status: report.ready ? "ready" : "not_ready", ...report };
    },
  });
  route.get("/metrics", {
    auth,
    handle: async ({ ctx }) => {
      ctx.type = services.metrics.registry.contentType;
      ctx.body = await services.metrics.registry.metrics();
    },
  });
  return router;
}
