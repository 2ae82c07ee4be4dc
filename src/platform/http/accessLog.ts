import type { Context } from "koa";
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

/**
 * The access line of a finished request, through the request's own logger.
 * The level is checked on the service's logger first (a request's logger is
 * its child, at the same level): a line nobody will write costs no child
 * logger, URL redaction or serialisation.
 */
export function writeAccessLine(ctx: Context, serviceLogger: Logger, ms: number): void {
  const level = ctx.state.routineRequest === true && ctx.status < 400 ? "debug" : "info";
  if (!serviceLogger.isLevelEnabled(level)) return;
  const log: Logger = ctx.state.log ?? serviceLogger;
  log[level]({ method: ctx.method, url: redactUrl(ctx.originalUrl), status: ctx.status, ms: Math.round(ms * 10) / 10 }, "http");
}
