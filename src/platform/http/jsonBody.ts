import { koaBody } from "koa-body";
import type { Middleware } from "koa";

/** JSON (and form) bodies for API routes, capped so a hostile client cannot exhaust memory. */
export function jsonBody(limit = "256kb"): Middleware {
  return koaBody({ json: true, urlencoded: true, multipart: false, jsonLimit: limit, formLimit: limit, textLimit: limit });
}
