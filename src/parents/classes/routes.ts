import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { koaBody } from "koa-body";
import { z } from "zod";
import type { Actor } from "../../org";
import { authorize } from "../../org";
import { ValidationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { classImportSchema } from "./schema";
import { importClasses, parseClassCsv } from "./importClasses";

/**
 * A CSV text, or JSON `{rows}`. Rows are checked by parseClassCsv or
 * classImportSchema so that every bad row is named (a CSV's by its line).
 */
const importBody = z.string().or(z.object({ rows: z.array(z.unknown()) }));

/** Roster import (JSON `{rows}` or a CSV body) for HQ admins. */
export function classRoutes(deps: { dataSource: DataSource; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/admin/classes" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  route.post("/import", {
    auth: deps.auth,
    body: importBody,
    bodyParser: koaBody({ json: true, text: true, textLimit: "5mb", jsonLimit: "5mb", multipart: false }),
    limits: { body: 5_000_000 },
    load: async ({ actor }) => authorize(actor, "manage", { kind: "roles" }),
    transaction: true,
    handle: async ({ body, manager }) => {
      const rows = typeof body === "string" ? parseClassCsv(body) : classImportSchema.parse(body).rows;
      if (rows.length === 0) throw new ValidationError("没有可导入的行");
      return { data: await importClasses(manager, rows) };
    },
  });
  return router;
}
