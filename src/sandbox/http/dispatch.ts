import type Koa from "koa";
import type { Logger } from "../../platform/logger";
import { errmsgFor, SandboxApiError } from "../apiError";
import type { CallLog } from "../callLog";
import type { Clock } from "../../platform/clock";
import { ERR } from "../errcodes";
import type { Faults } from "../faults";
import type { SandboxRoute } from "../routes/route";
import type { TokenStore } from "../state/tokens";
import { readJsonBody } from "./readBody";

export interface DispatchDeps {
  routes: SandboxRoute[];
  tokens: TokenStore;
  faults: Faults;
  calls: CallLog;
  clock: Clock;
  logger: Logger;
  /** Runs before every call: due transfers complete lazily, as if time had passed on WeCom's side. */
  beforeEach: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function firstValues(query: Koa.Context["query"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) out[k] = Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  return out;
}

/**
 * The whole request path: record → lazy tick → fault → token and permission →
 * handler. WeCom answers HTTP 200 with `{errcode, errmsg, ...}` for every refusal.
 */
export function dispatch(deps: DispatchDeps): Koa.Middleware {
  const byKey = new Map(deps.routes.map((r) => [`${r.method} ${r.path}`, r]));
  return async (ctx) => {
    const query = firstValues(ctx.query);
    const route = byKey.get(`${ctx.method} ${ctx.path}`);
    let body: Record<string, unknown> = {};
    let errcode: number | undefined;
    try {
      if (!route) {
        ctx.status = 404;
        ctx.body = { errcode: 404, errmsg: `sandbox: no API ${ctx.method} ${ctx.path}` };
        return;
      }
      deps.beforeEach();
      let bodyError: unknown;
      if (ctx.method === "POST") body = await readJsonBody(ctx.req).catch((e: unknown) => ((bodyError = e), {}));
      const fault = deps.faults.take(route.path);
      const before = fault && !fault.afterHandling ? fault : undefined;
      const after = fault?.afterHandling ? fault : undefined;
      if (before?.latencyMs) await sleep(before.latencyMs);
      if (before?.httpStatus) {
        ctx.status = before.httpStatus;
        ctx.body = "sandbox injected gateway failure";
        return;
      }
      if (before?.errcode !== undefined) throw new SandboxApiError(before.errcode, "sandbox injected fault");
      if (route.grants !== "public") {
        const kind = deps.tokens.resolve(query.access_token);
        if (!route.grants.includes(kind)) throw new SandboxApiError(ERR.noPermission, "api forbidden for this secret");
      }
      if (bodyError) throw bodyError;
      const result = await route.handle({ query, body });
      errcode = 0;
      // The call took effect; an "after" fault loses only its answer (slow past the timeout, or a gateway error).
      if (after?.latencyMs) await sleep(after.latencyMs);
      if (after?.httpStatus) {
        ctx.status = after.httpStatus;
        ctx.body = "sandbox injected gateway failure after handling";
        return;
      }
      ctx.body = { errcode: 0, errmsg: "ok", ...result };
    } catch (err) {
      if (!(err instanceof SandboxApiError)) deps.logger.error({ err, path: ctx.path }, "sandbox handler failed");
      const apiError = err instanceof SandboxApiError ? err : new SandboxApiError(ERR.busy, "system busy");
      errcode = apiError.errcode;
      ctx.body = { errcode, errmsg: errmsgFor(errcode, apiError.message), ...apiError.extra };
    } finally {
      deps.calls.record({
        at: deps.clock.now(),
        method: ctx.method,
        path: ctx.path,
        query,
        body,
        errcode,
        httpStatus: ctx.status,
        response: ctx.body,
      });
    }
  };
}
