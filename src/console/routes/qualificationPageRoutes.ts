import Router from "@koa/router";
import type { Context } from "koa";
import { z } from "zod";
import { AppError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import {
  qualificationDetailView,
  qualificationPageView,
  type QualificationDetail,
  type QualificationForm,
  type QualificationPage,
  type QualificationRow,
} from "../views/qualificationViews";
import { pageForm, renderPage, problemList } from "./page";

const importForm = z.object({ csv: z.string().max(5_000_000) });
const idParams = z.object({ id: z.string().regex(/^\d{1,18}$/, "记录编号无效") });
const editForm = z.object({
  kind: z.string().max(32),
  certificateName: z.string().max(80).default(""),
  certificateNo: z.string().max(80).default(""),
  subject: z.string().max(64).default(""),
  level: z.string().max(32).default(""),
  registeredOn: z.string().max(20).default(""),
  expiresOn: z.string().max(20).default(""),
});
const count = z.coerce.number().int().min(0).max(1_000_000);
const importedQuery = z.object({ result: z.literal("imported"), created: count, updated: count, unchanged: count }).partial();

type ListAnswer = { data: { records: QualificationRow[]; canImport: boolean; readsOthers: boolean; today: string } };

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
        const problems = problemList(err);
        const list = await api.get<ListAnswer>(`/api/admin/qualifications`);
        const page: QualificationPage = { ...list.data, refused: { status: err.status, message: err.message, problems, csv: body.csv } };
        ctx.status = err.status;
        renderPage(ctx, "教师资质", "qualifications", qualificationPageView(page, csrfField(actor)));
      }
    },
  });
  /** One record: its facts, HR's edit form and delete, and who changed what. */
  route.get("/:id", {
    auth: deps.guard,
    params: idParams,
    handle: async ({ ctx, actor, params }) => {
      const detail = await ConsoleApi.for(ctx).get<{ data: QualificationDetail }>(`/api/admin/qualifications/${params.id}`);
      renderPage(ctx, "教师资质", "qualifications", qualificationDetailView(detail.data, csrfField(actor)));
    },
  });

  route.post("/:id", {
    auth: deps.guard,
    params: idParams,
    body: editForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params, body }) => {
      const api = ConsoleApi.for(ctx);
      const blank = (v: string) => (v.trim() === "" ? null : v);
      try {
        const done = await api.send<{ data: { message: string } }>("PUT", `/api/admin/qualifications/${params.id}`, {
          kind: body.kind,
          certificateName: body.certificateName,
          certificateNo: body.certificateNo,
          subject: blank(body.subject),
          level: blank(body.level),
          registeredOn: blank(body.registeredOn),
          expiresOn: blank(body.expiresOn),
        });
        await renderList(ctx, actor, done.data.message);
      } catch (err) {
        // A refused edit stays on the form with the reason and what was typed; a vanished record goes back to the list.
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        const detail = await api.get<{ data: QualificationDetail }>(`/api/admin/qualifications/${params.id}`);
        const form: QualificationForm = { ...body };
        ctx.status = err.status;
        renderPage(ctx, "教师资质", "qualifications", qualificationDetailView(detail.data, csrfField(actor), { refused: `未保存：${err.message}`, form }));
      }
    },
  });

  route.post("/:id/delete", {
    auth: deps.guard,
    params: idParams,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params }) => {
      const done = await ConsoleApi.for(ctx).remove<{ data: { message: string } }>(`/api/admin/qualifications/${params.id}`);
      await renderList(ctx, actor, done.data.message);
    },
  });

  /** The list with what a write just did (rendered, not redirected, so the API's own sentence is shown). */
  async function renderList(ctx: Context, actor: ConsoleSession, done: string): Promise<void> {
    const list = await ConsoleApi.for(ctx).get<ListAnswer>(`/api/admin/qualifications`);
    renderPage(ctx, "教师资质", "qualifications", qualificationPageView({ ...list.data, done }, csrfField(actor)));
  }
  return router;
}
