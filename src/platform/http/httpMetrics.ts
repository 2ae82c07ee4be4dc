import type { Context } from "koa";
import type { Metrics } from "../metrics";

type Observer = { observe(seconds: number): void };

/**
 * Records a finished request's duration in http_request_duration_seconds.
 * Labelled by the matched route template (set by @koa/router as
 * ctx._matchedRoute), never by the raw path, so ids in URLs cannot explode
 * the label set. Each label set's observer is made once and kept: the set is
 * bounded (methods × route templates × statuses), and prom-client's timer
 * would merge and hash two label objects per request.
 */
export function httpDurationRecorder(metrics: Metrics): (ctx: Context, ms: number) => void {
  const observers = new Map<string, Observer>();
  return (ctx, ms) => {
    const route = String((ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? "unmatched");
    const status = String(ctx.status);
    const key = `${ctx.method} ${status} ${route}`;
    let observer = observers.get(key);
    if (observer === undefined) {
      observer = metrics.httpRequestDuration.labels({ method: ctx.method, route, status });
      observers.set(key, observer);
    }
    observer.observe(ms / 1000);
  };
}
