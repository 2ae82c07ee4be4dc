import Router from "@koa/router";
import { koaBody } from "koa-body";
import type { Middleware } from "koa";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { parseTermsCsv, updateEmploymentTerms } from "./employmentTerms";
import { updateTermsSchema } from "./schema";

/**
 * HR-maintained employment terms (hire date, probation, contract term,
 * subject): one person at a time, or a CSV from the payroll system, all or
 * nothing. The termination certificate cannot be issued without a hire date.
 */
export function staffTermsRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/admin/staff" });
  router.patch("/:userid/terms", deps.auth, jsonBody(), validate(updateTermsSchema), async (ctx) => {
    const { userid, ...terms } = ctx.state.input;
    await updateEmploymentTerms(deps.dataSource.manager, ctx.state.actor, userid, terms, deps.clock.now());
    ctx.status = 204;
  });
  router.post("/terms/import", deps.auth, koaBody({ text: true, textLimit: "5mb", json: false, multipart: false }), async (ctx) => {
    const rows = parseTermsCsv(String((ctx.request as unknown as { body: unknown }).body ?? ""));
    await deps.dataSource.transaction(async (m) => {
      for (const row of rows) await updateEmploymentTerms(m, ctx.state.actor, row.userid, row.terms, deps.clock.now());
    });
    ctx.body = { data: { updated: rows.length } };
  });
  return router;
}
