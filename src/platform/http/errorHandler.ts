import type { Context } from "koa";
import { ZodError } from "zod";
import { AppError, RateLimitedError, ValidationError } from "../errors";
import type { Logger } from "../logger";

interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/** Koa and its body parser throw http-errors with `status`/`expose`; keep their status. */
function isHttpError(err: unknown): err is { status: number; expose?: boolean; message: string } {
  return typeof err === "object" && err !== null && typeof (err as { status?: unknown }).status === "number";
}

function fromZod(err: ZodError): ValidationError {
  return new ValidationError(
    "请求参数有误",
    err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  );
}

const httpCodes: Record<number, string> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** Nothing answered the request (no route matched): the error body instead of Koa's plain "Not Found". */
export function answerUnanswered(ctx: Context): void {
  if (ctx.status === 404 && ctx.body === undefined) {
    ctx.status = 404;
    ctx.body = { error: { code: "not_found", message: "Not found" } } satisfies ErrorBody;
  }
}

/** The single place that turns any thrown error into the service's error body (and its log line). */
export function answerError(ctx: Context, raw: unknown, serviceLogger: Logger): void {
  const err = raw instanceof ZodError ? fromZod(raw) : raw;
  const log: Logger = ctx.state.log ?? serviceLogger;
  if (err instanceof AppError) {
    ctx.status = err.status;
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    if (err instanceof RateLimitedError && err.retryAfterSeconds) ctx.set("Retry-After", String(err.retryAfterSeconds));
    ctx.body = body;
    log.info({ status: err.status, code: err.code }, "request refused");
  } else if (isHttpError(err) && err.status < 500) {
    ctx.status = err.status;
    ctx.body = {
      error: { code: httpCodes[err.status] ?? "bad_request", message: err.expose ? err.message : "Bad request" },
    } satisfies ErrorBody;
    log.info({ status: err.status }, "request refused");
  } else {
    ctx.status = isHttpError(err) ? err.status : 500;
    ctx.body = {
      error: { code: "internal_error", message: "Internal server error", requestId: ctx.state.requestId },
    } satisfies ErrorBody;
    log.error({ err }, "unhandled error");
  }
}
