import type { Middleware } from "koa";
import type { Metrics } from "../metrics";

/**
 * Label by the matched route template (set by @koa/router as ctx._matchedRoute),
 * never by the raw path, so ids in URLs cannot explode the label set.
 */
export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const end = metrics.httpRequestDuration.startTimer({ method: ctx.method });
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? "unmatched";
      end({ route: String(route), status: String(ctx.status) });
    }
  };
}
