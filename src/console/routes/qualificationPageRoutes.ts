import Router from "@koa/router";
import { z } from "zod";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import { qualificationPageView, type QualificationPage, type QualificationRow } from "../views/qualificationViews";
import { pageForm, renderPage } from "./page";

const importForm = z.object({ csv: z.string().max(5_000_000) });
const count = z.coerce.number().int().min(0).max(1_000_000);
const importedQuery = z.object({ result: z.literal("imported"), created: count, updated: count, unchanged: count }).partial();

type ListAnswer = { data: { records: QualificationRow[]; canImport: boolean; today: string } };

/** Teachers' qualifications in the console: the list HR and campus heads read, the CSV import HR uses. */
export function qualificationPageRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/qualifications" });
  const route = routeChain(router);

  route.get("/", {
    auth: deps.guard,
    query: importedQuery,
    handle: async ({ ctx, actor, query }) => {
      const list = await ConsoleApi.for(ctx).get<ListAnswer>(`/api/admin/qualifications`);
      const imported =
        query.result === "imported" && query.created !== undefined && query.updated !== undefined && query.unchanged !== undefined
          ? { created: query.created, updated: query.updated, unchanged: query.unchanged }
          : undefined;
      renderPage(ctx, "教师资质", "qualifications", qualificationPageView({ ...list.data, ...(imported ? { imported } : {}) }, csrfField(actor)));
    },
  });

  route.post("/import", {
    auth: deps.guard,
    body: importForm,
    bodyParser: pageForm,
    limits: { body: 5_000_000 },
    handle: async ({ ctx, actor, body }) => {
      const api = ConsoleApi.for(ctx);
      try {
        const done = await api.sendText<{ data: { created: number; updated: number; unchanged: number } }>("POST", `/api/admin/qualifications/import`, body.csv, "text/csv");
        const { created, updated, unchanged } = done.data;
        ctx.redirect(`/console/qualifications?result=imported&created=${created}&updated=${updated}&unchanged=${unchanged}`);
      } catch (err) {
        // A refused file is shown on the page with every row's problem and the text kept, not as a bare error page.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const problems = Array.isArray(err.details) ? (err.details as { message?: unknown }[]).map((d) => String(d.message ?? "")).filter(Boolean) : [];
        const list = await api.get<ListAnswer>(`/api/admin/qualifications`);
        const page: QualificationPage = { ...list.data, refused: { status: err.status, message: err.message, problems, csv: body.csv } };
        ctx.status = err.status;
        renderPage(ctx, "教师资质", "qualifications", qualificationPageView(page, csrfField(actor)));
      }
    },
  });
  return router;
}
