import type { Context } from "koa";
import { sessionOf } from "../auth/consoleSession";
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
