import Router from "@koa/router";
import type { Middleware } from "koa";
import type { DataSource } from "typeorm";
import { koaBody } from "koa-body";
import { ValidationError } from "../../platform/errors";
import { authorize } from "../../org/policies/authorize";
import { classImportSchema } from "./schema";
import { importClasses, parseClassCsv } from "./importClasses";

/** Roster import (JSON `{rows}` or a CSV body) for HQ admins. */
export function classRoutes(deps: { dataSource: DataSource; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/admin/classes" });
  router.post(
    "/import",
    deps.auth,
    (ctx, next) => {
      authorize(ctx.state.actor, "manage", { kind: "roles" });
      return next();
    },
    koaBody({ json: true, text: true, textLimit: "5mb", jsonLimit: "5mb", multipart: false }),
    async (ctx) => {
      const body = (ctx.request as unknown as { body: unknown }).body;
      const rows = ctx.is("text/csv")
        ? parseClassCsv(String(body ?? ""))
        : classImportSchema.parse(body).rows;
      if (rows.length === 0) throw new ValidationError("没有可导入的行");
      ctx.body = { data: await deps.dataSource.transaction((m) => importClasses(m, rows)) };
    },
  );
  return router;
}
