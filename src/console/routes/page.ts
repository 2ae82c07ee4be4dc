import type { Context } from "koa";
import { sessionOf } from "../auth/consoleSession";
import type { AppError } from "../../platform/errors";
import { jsonBody } from "../../platform/http/jsonBody";
import type { Fragment } from "../views/html";
import { layout, type NavKey } from "../views/layout";

/** Renders a page in the console's layout for the signed-in person. */
export function renderPage(ctx: Context, title: string, active: NavKey | undefined, body: Fragment): void {
  ctx.type = "html";
  ctx.set("Cache-Control", "no-store");
  ctx.body = layout(title, sessionOf(ctx), active, body).value;
}

/** Post/redirect/get: the result is named by a fixed key, so a link cannot put words in the page's mouth. */
export function redirectWith(ctx: Context, path: string, result: string): void {
  ctx.redirect(`${path}${path.includes("?") ? "&" : "?"}result=${encodeURIComponent(result)}`);
}

export function resultKey(ctx: Context): string | undefined {
  return typeof ctx.query.result === "string" ? ctx.query.result : undefined;
}

/** Console forms post urlencoded bodies; a pasted dossier may be a few MB. */
export const pageForm = jsonBody("5mb");

/**
 * A 400's field problems say what to fix in the person's words; the API's own message wraps them
 * with the field's key ("请求参数有误（monthlyOvertimeFen：…）"), which a person never reads.
 */
export function problemText(err: AppError): string {
  const messages = problemList(err);
  return messages.length > 0 ? messages.join("；") : err.message;
}

/** Each problem of a refused file or form on its own (a CSV row, a calendar line), in the API's words. */
export function problemList(err: AppError): string[] {
  const details = Array.isArray(err.details) ? (err.details as Array<{ message?: unknown }>) : [];
  return details.map((d) => d.message).filter((m): m is string => typeof m === "string" && m !== "");
}
