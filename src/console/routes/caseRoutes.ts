import Router from "@koa/router";
import { z } from "zod";
import type { DataSource } from "typeorm";
import { AppError, ValidationError } from "../../platform/errors";
import type { BoardRow } from "../presenters/handoverTypes";
import { Names } from "../presenters/names";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import { ConsoleApi } from "../consoleApi";
import { csrfField } from "../views/layout";
import type { CaseDetail, CaseSummary, ChecklistView, SentReminder, Verification } from "../presenters/apiTypes";
import { caseListView, caseView, type CasePage } from "../views/caseViews";
import { pageForm, renderPage } from "./page";

const caseId = z.object({ id: z.string().uuid() });
const verifyForm = z.object({ dossier: z.string().max(5_000_000).optional() });

/** Case list and case page; dossier export links go straight to the API (cookie session, GET). */
export function caseRoutes(deps: { dataSource: DataSource; guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/cases" });
  const route = routeChain(router);

  route.get("/", {
    auth: deps.guard,
    handle: async ({ ctx }) => {
      const { cases } = await ConsoleApi.for(ctx).get<{ cases: CaseSummary[] }>("/api/hr/cases");
      renderPage(ctx, "离职案件", "cases", caseListView(cases));
    },
  });

  route.get("/:id", {
    auth: deps.guard,
    params: caseId,
    handle: async ({ ctx, actor, params: { id } }) => {
      const page = await loadCasePage(ConsoleApi.for(ctx), deps.dataSource, id);
      renderPage(ctx, `离职案件 · ${page.case.employeeName}`, "cases", caseView(page, undefined, csrfField(actor)));
    },
  });

  /** Runs the API's verification (of the stored chain, or of an exported copy pasted in) and shows the result on the case page. */
  route.post("/:id/verify", { auth: deps.guard, params: caseId, body: verifyForm, bodyParser: pageForm, limits: { body: 5_000_000 }, handle: async ({ ctx, actor, params: { id }, body: { dossier } }) => {
    const api = ConsoleApi.for(ctx);
    let body: { dossier?: unknown } = {};
    if (dossier?.trim()) {
      try {
        body = { dossier: JSON.parse(dossier) };
      } catch {
        throw new ValidationError("导出文件不是有效的 JSON");
      }
    }
    const [result, page] = await Promise.all([
      api.send<{ source: "database" | "export"; verification: Verification }>("POST", `/api/hr/cases/${id}/dossier/verify`, body),
      loadCasePage(api, deps.dataSource, id),
    ]);
    renderPage(ctx, `离职案件 · ${page.case.employeeName}`, "cases", caseView(page, result, csrfField(actor)));
  } });
  return router;
}

async function loadCasePage(api: ConsoleApi, dataSource: DataSource, id: string): Promise<CasePage> {
  const [detail, checklist, reminders] = await Promise.all([
    api.get<{ case: CaseDetail }>(`/api/hr/cases/${id}`),
    api.get<{ checklist: ChecklistView }>(`/api/hr/cases/${id}/checklist`),
    api.get<{ reminders: SentReminder[] }>(`/api/hr/cases/${id}/reminders`),
  ]);
  // The board is HR's (the plan's policy): a campus head or an approver reads the case without it.
  const board = await api
    .find<{ data: BoardRow[] }>(`/api/handover/reassignments/${encodeURIComponent(detail.case.employeeUserid)}/board`)
    .catch((err: unknown) => {
      if (err instanceof AppError && err.status === 403) return undefined;
      throw err;
    });
  const names = await Names.load(dataSource, {
    people: [
      ...reminders.reminders.flatMap((r) => r.recipients),
      ...checklist.checklist.items.flatMap((i) => (i.verifiedBy ? [i.verifiedBy] : [])),
      ...(board?.data ?? []).flatMap((b) => (b.successorUserid ? [b.successorUserid] : [])),
      ...(board?.data ?? []).filter((b) => b.kind === "group").map((b) => b.id),
    ],
    parents: (board?.data ?? []).filter((b) => b.kind === "parent").map((b) => b.id),
  });
  return { case: detail.case, checklist: checklist.checklist, reminders: reminders.reminders, board: board?.data, names };
}
