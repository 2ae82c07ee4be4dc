import { performance } from "node:perf_hooks";
import type { Middleware } from "koa";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { writeAccessLine } from "./accessLog";
import { clientAddress, type ProxyTrust } from "./clientAddress";
import { answerError, answerUnanswered } from "./errorHandler";
import { httpDurationRecorder } from "./httpMetrics";
import { RequestState, requestIdFrom } from "./requestId";

/**
 * What every request passes through before its router, in this order:
 * client address (TRUST_PROXY) → request id (echoed, bound to ctx.state.log)
 * → access log and duration metric (of the answer as sent, errors included)
 * → error model. One Koa middleware, not five: each layer costs an async
 * frame, its promises and a compose step per request, and WeCom's callbacks
 * arrive by the thousand a second during a mass transfer.
 */
export function requestEdge(options: { logger: Logger; metrics: Metrics; trust: ProxyTrust }): Middleware {
  const { logger, trust } = options;
  const recordDuration = httpDurationRecorder(options.metrics);
  return async (ctx, next) => {
    const started = performance.now();
    const headers = ctx.req.headers;
    // Set once per request, so the limiter, the logs and signatures' device records all see the same client.
    ctx.request.ip = clientAddress(trust, ctx.req.socket.remoteAddress ?? "", trust.kind === "none" ? undefined : ctx.get("X-Forwarded-For") || undefined);
    const id = requestIdFrom(headers["x-request-id"]);
    ctx.state = new RequestState(id, logger);
    ctx.set("X-Request-Id", id);
    try {
      await next();
      answerUnanswered(ctx);
    } catch (err) {
      answerError(ctx, err, logger);
    } finally {
      const ms = performance.now() - started;
      recordDuration(ctx, ms);
      writeAccessLine(ctx, logger, ms);
    }
  };
}
