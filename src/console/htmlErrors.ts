import type { Middleware } from "koa";
import { ZodError } from "zod";
import { AppError, AuthenticationError } from "../platform/errors";
import { edgeMiddleware } from "../platform/http/route";
import { errorPage } from "./views/errorPage";

/**
 * Console pages answer errors as pages (a refused case is "没有权限", not a
 * JSON body). An expired session on a page load goes back to the login.
 * Anything unexpected is left to the service's error handler, which logs it.
 */
export function htmlErrors(options: { loginRedirect: boolean } = { loginRedirect: true }): Middleware {
  return edgeMiddleware("console html errors", async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (options.loginRedirect && err instanceof AuthenticationError && ctx.method === "GET") {
        ctx.redirect(`/console/login?next=${encodeURIComponent(ctx.originalUrl)}`);
        return;
      }
      const known = err instanceof AppError ? err : err instanceof ZodError ? new AppError(400, "validation_failed", err.issues.map((i) => i.message).join("；")) : undefined;
      if (!known) throw err;
      ctx.status = known.status;
      ctx.type = "html";
      // A failed sign-in offers a new one; any other refusal leads back to the dashboard.
      ctx.body = errorPage(known.status, known.message, options.loginRedirect ? undefined : { href: "/console/login", label: "重新登录" }).value;
    }
  });
}
