import Router from "@koa/router";
import { checkReadiness } from "../db/readiness";
import type { PlatformServices } from "../services";

/** Operations endpoints: liveness, readiness and Prometheus metrics. */
export function healthRoutes(services: PlatformServices): Router {
  const router = new Router();
  router.get("/healthz", (ctx) => {
    ctx.body = { status: "ok", uptimeSeconds: Math.round(process.uptime()) };
  });
  router.get("/readyz", async (ctx) => {
    const report = await checkReadiness(services.dataSource);
    ctx.status = report.ready ? 200 : 503;
    ctx.body = { status: report.ready ? "ready" : "not_ready", ...report };
  });
  router.get("/metrics", async (ctx) => {
    ctx.type = services.metrics.registry.contentType;
    ctx.body = await services.metrics.registry.metrics();
  });
  return router;
}
