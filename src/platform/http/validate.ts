import type { Middleware } from "koa";
import type { z } from "zod";

export interface ValidatedInput<T> {
  input: T;
}

/**
 * @deprecated Write routes with routeChain (./route): it validates params,
 * query and body separately and types the input. Kept only while routes
 * written elsewhere move over; path parameters win over anything else here
 * so a body can never replace them.
 */
export function validate<S extends z.ZodType>(schema: S): Middleware {
  return async (ctx, next) => {
    const params = (ctx as unknown as { params?: Record<string, string> }).params ?? {};
    const body = (ctx.request as unknown as { body?: unknown }).body;
    const merged = {
      ...(ctx.query as Record<string, unknown>),
      ...(body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {}),
      ...params,
    };
    ctx.state.input = schema.parse(merged);
    await next();
  };
}
