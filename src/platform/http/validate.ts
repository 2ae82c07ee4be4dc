import type { Middleware } from "koa";
import type { z } from "zod";

export interface ValidatedInput<T> {
  input: T;
}

/**
 * Validate body + query + route params against one zod schema and expose the
 * parsed result as ctx.state.input. A ZodError becomes a 400 with field details
 * in the error handler.
 */
export function validate<S extends z.ZodType>(schema: S): Middleware {
  return async (ctx, next) => {
    const params = (ctx as unknown as { params?: Record<string, string> }).params ?? {};
    const body = (ctx.request as unknown as { body?: unknown }).body;
    const merged = {
      ...(ctx.query as Record<string, unknown>),
      ...params,
      ...(body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {}),
    };
    ctx.state.input = schema.parse(merged);
    await next();
  };
}
