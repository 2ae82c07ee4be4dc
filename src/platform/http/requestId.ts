import { randomUUID } from "node:crypto";
import type { Middleware } from "koa";
import type { Logger } from "../logger";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Honour an upstream X-Request-Id (when it looks sane), else make one; echo it
 * back and bind it to a per-request child logger at ctx.state.log. The child
 * is made when something first reads ctx.state.log: most requests of a
 * high-volume caller (WeCom's callbacks, issue 20) write no line at all, and a
 * pino child costs its bindings' serialisation and an object per request.
 */
export function requestId(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get("X-Request-Id");
    const id = acceptable.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, "log", {
      configurable: true,
      enumerable: true,
      get: (): Logger => (log ??= logger.child({ requestId: id })),
      set: (replacement: Logger) => {
        log = replacement;
      },
    });
    ctx.set("X-Request-Id", id);
    await next();
  };
}
