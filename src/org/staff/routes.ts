import Router from "@koa/router";
import { koaBody } from "koa-body";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { Actor } from "../policies/actor";
import { loadAuthorizedStaff } from "../policies/staffAccess";
import { parseTermsCsv, updateEmploymentTerms } from "./employmentTerms";
import { employmentTermsSchema } from "./schema";

const staffParams = z.object({ userid: z.string().min(1).max(64) });
/** The CSV as text; any other content type arrives as an empty object and is an empty file. */
const csvBody = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string());

/**
 * HR-maintained employment terms (hire date, probation, contract term,
 * subject): one person at a time, or a CSV from the payroll system, all or
 * nothing. The termination certificate cannot be issued without a hire date.
 * updateEmploymentTerms loads and authorizes each person it changes.
 */
export function staffTermsRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/admin/staff" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  route.patch("/:userid/terms", {
    auth: deps.auth,
    params: staffParams,
    body: employmentTermsSchema,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedStaff(manager, actor, "update", params.userid),
    handle: async ({ actor, resource, body, manager }) => {
      await updateEmploymentTerms(manager, actor, resource.userid, body, deps.clock.now());
    },
  });
  route.post("/terms/import", {
    auth: deps.auth,
    body: csvBody,
    bodyParser: koaBody({ text: true, textLimit: "5mb", json: false, multipart: false }),
    limits: { body: 5_000_000 },
    transaction: true,
    handle: async ({ actor, body, manager }) => {
      const rows = parseTermsCsv(body);
      for (const row of rows) await updateEmploymentTerms(manager, actor, row.userid, row.terms, deps.clock.now());
      return { data: { updated: rows.length } };
    },
  });
  return router;
}
