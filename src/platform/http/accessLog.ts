import type { Middleware } from "koa";
import { redactUrl, type Logger } from "../logger";

export function accessLog(fallbackLogger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const log: Logger = ctx.state.log ?? fallbackLogger;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: ctx.method, url: redactUrl(ctx.originalUrl), status: ctx.status, ms: Math.round(ms * 10) / 10 }, "http");
    }
  };
}
