import type { Middleware } from "koa";
import { ZodError } from "zod";
import { AppError, AuthenticationError } from "../platform/errors";
import { edgeMiddleware } from "../platform/http/route";
import { errorPage } from "./views/errorPage";
import { problemText } from "./routes/page";
import type { Logger } from "../platform/logger";

/**
 * Console pages answer errors as pages (a refused case is "没有权限", not a
 * JSON body). An expired session on a page load goes back to the login.
 * Anything unexpected is logged with the request id (as the service's error
 * handler would) and answered with a Chinese page naming that id, so a person
 * can tell IT which request failed — never the English JSON of the API.
 */
export function htmlErrors(fallbackLogger: Logger, options: { loginRedirect: boolean } = { loginRedirect: true }): Middleware {
  return edgeMiddleware("console html errors", async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (options.loginRedirect && err instanceof AuthenticationError && ctx.method === "GET") {
        ctx.redirect(`/console/login?next=${encodeURIComponent(ctx.originalUrl)}`);
        return;
      }
      const known = err instanceof AppError ? err : err instanceof ZodError ? new AppError(400, "validation_failed", err.issues.map((i) => i.message).join("；")) : undefined;
      if (!known) {
        const log: Logger = ctx.state.log ?? fallbackLogger;
        log.error({ err }, "unhandled error on a console page");
        ctx.status = 500;
        ctx.type = "html";
        const id = typeof ctx.state.requestId === "string" ? ctx.state.requestId : undefined;
        ctx.body = errorPage(500, `服务器处理时出错了，请稍后重试。${id ? `如果一直出现，请把编号 ${id} 告诉 IT。` : "如果一直出现，请联系 IT。"}`).value;
        return;
      }
      ctx.status = known.status;
      ctx.type = "html";
      // A failed sign-in offers a new one; any other refusal leads back to the dashboard.
      // A refused form field reads as its problem ("包含不允许的控制字符"), never with the form field's key.
      const message = known.status === 400 && Array.isArray(known.details) ? `提交的内容有误：${problemText(known)}` : known.message;
      ctx.body = errorPage(known.status, message, options.loginRedirect ? undefined : { href: "/console/login", label: "重新登录" }).value;
    }
  });
}
