import type { Context, Middleware } from "koa";
import { redactUrl, type Logger } from "../logger";

/**
 * A route that answers a high-volume machine caller and counts its outcomes in
 * metrics (WeCom's callbacks: thousands a second during a mass transfer) marks
 * a success as routine: its access line is written at debug, so production's
 * info log keeps refusals and failures, not a line per stored event.
 */
export function markRoutine(ctx: Context): void {
  ctx.state.routineRequest = true;
}

export function accessLog(fallbackLogger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const level = ctx.state.routineRequest === true && ctx.status < 400 ? "debug" : "info";
      // Checked first, on the service's logger (a request's child has its level): a line nobody will write costs no
      // URL redaction, no serialisation and no child logger (requestId.ts makes it on first use).
      if (fallbackLogger.isLevelEnabled(level)) {
        const log: Logger = ctx.state.log ?? fallbackLogger;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log[level]({ method: ctx.method, url: redactUrl(ctx.originalUrl), status: ctx.status, ms: Math.round(ms * 10) / 10 }, "http");
      }
    }
  };
}
