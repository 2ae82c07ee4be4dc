import { randomUUID } from "node:crypto";
import type { Middleware } from "koa";
import type { Logger } from "../logger";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Honour an upstream X-Request-Id (when it looks sane), else make one; echo it
 * back and bind it to a per-request child logger at ctx.state.log.
 */
export function requestId(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get("X-Request-Id");
    const id = acceptable.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = logger.child({ requestId: id });
    ctx.set("X-Request-Id", id);
    await next();
  };
}
