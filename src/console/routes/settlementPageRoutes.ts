import Router from "@koa/router";
import { z } from "zod";
import { fromWallTime } from "../../calendar";
import { AppError, ValidationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { ConsoleSession } from "../auth/consoleSession";
import type { SettlementStatement } from "../../resignation";
import { COMPENSATION_GROUNDS } from "../../resignation";
import { ConsoleApi } from "../consoleApi";
import type { CaseDetail } from "../presenters/apiTypes";
import { csrfField } from "../views/layout";
import { settlementPageView, type ExitInterviewView, type Option } from "../views/settlementViews";
import { pageForm, problemText, redirectWith, renderPage, resultKey } from "./page";

const caseId = z.object({ id: z.string().uuid() });
const many = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const inputsForm = z.object({
  ground: z.string().max(40),
  wages: z.string().max(400),
  overtime: z.string().max(400).default(""),
  entitlementDays: z.string().max(3).optional(),
  takenDays: z.string().max(3).optional(),
});
const scheduleForm = z.object({ at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "请选择面谈时间"), interviewerUserid: z.string().min(1).max(64) });
const outcomeForm = z.object({ reasons: many, outcome: z.string().max(30), rehireRecommendation: z.string().max(30), notes: z.string().max(1000).default("") });

/** Yuan as typed by HR ("12,000.50") → fen; anything else is a clear 400. */
function yuanToFen(text: string): number {
  const clean = text.replace(/[,，\s¥￥]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) throw new ValidationError(`工资金额格式无效：${text}`);
  return Math.round(Number(clean) * 100);
}

/** "12000; 12000、11,500" → fen per month, in the order typed. */
function yuanList(text: string): number[] {
  return text.split(/[;；、\s]+/).map((w) => w.trim()).filter(Boolean).map(yuanToFen);
}

/** The settlement statement and exit interview page of a case (HR), over the same APIs. */
export function settlementPageRoutes(deps: { guard: Guard<ConsoleSession> }): Router {
  const router = new Router({ prefix: "/console/cases" });
  const route = routeChain(router);

  route.get("/:id/settlement", { auth: deps.guard, params: caseId, handle: async ({ ctx, actor, params: { id } }) => {
    const api = ConsoleApi.for(ctx);
    const [detail, settlement, interview, options] = await Promise.all([
      api.get<{ case: CaseDetail & { employeeName: string } }>(`/api/hr/cases/${id}`),
      api.get<{ settlement: SettlementStatement }>(`/api/hr/cases/${id}/settlement`),
      api.get<{ exitInterview: ExitInterviewView | null }>(`/api/hr/cases/${id}/exit-interview`),
      api.get<{ reasons: Option[]; outcomes: Option[]; rehireRecommendations: Option[] }>(`/api/hr/exit-interview/options`),
    ]);
    const c = detail.case;
    const staff = await interviewerChoices(api, id);
    renderPage(
      ctx,
      `离职结算与面谈 · ${c.employeeName}`,
      "cases",
      settlementPageView(
        {
          caseId: id,
          employeeName: c.employeeName,
          statusLabel: c.statusLabel,
          settlement: settlement.settlement,
          grounds: Object.entries(COMPENSATION_GROUNDS).map(([key, g]) => ({ key, label: `${g.label}（${g.owed ? "应付经济补偿" : "无经济补偿"}）` })),
          exitInterview: interview.exitInterview,
          options,
          staff,
        },
        resultKey(ctx),
        csrfField(actor),
      ),
    );
  } });

  route.post("/:id/settlement/inputs", { auth: deps.guard, params: caseId, body: inputsForm, bodyParser: pageForm, handle: async ({ ctx, params: { id }, body }) => {
    const f = { ...body, id };
    const monthlyWagesFen = yuanList(f.wages);
    // Month by month, the overtime inside each wage (unused-leave pay leaves it out, 带薪年休假实施办法 11);
    // a blank field is sent as no months, which the API refuses with the count it expects.
    const monthlyOvertimeFen = yuanList(f.overtime);
    const hasLeave = (f.entitlementDays ?? "").trim() !== "";
    try {
      await ConsoleApi.for(ctx).send("PUT", `/api/hr/cases/${f.id}/settlement-inputs`, {
        ground: f.ground,
        monthlyWagesFen,
        monthlyOvertimeFen,
        annualLeave: hasLeave ? { entitlementDays: Number(f.entitlementDays), takenDays: Number(f.takenDays || 0) } : null,
      });
    } catch (err) {
      // HR reads what to fix, not the API's field keys.
      if (err instanceof AppError && err.status === 400) throw new ValidationError(problemText(err));
      throw err;
    }
    redirectWith(ctx, `/console/cases/${f.id}/settlement`, "inputs_saved");
  } });

  route.post("/:id/settlement/archive-transfer", { auth: deps.guard, params: caseId, body: z.object({}), bodyParser: pageForm, handle: async ({ ctx, params: { id } }) => {
    await ConsoleApi.for(ctx).send("POST", `/api/hr/cases/${id}/archive-transfer`, {});
    redirectWith(ctx, `/console/cases/${id}/settlement`, "transfer_recorded");
  } });

  route.post("/:id/exit-interview", { auth: deps.guard, params: caseId, body: scheduleForm, bodyParser: pageForm, handle: async ({ ctx, params: { id }, body }) => {
    const f = { ...body, id };
    const [d, t] = f.at.split("T") as [string, string];
    const [year, month, day] = d.split("-").map(Number) as [number, number, number];
    const [hour, minute] = t.split(":").map(Number) as [number, number];
    const at = fromWallTime({ year, month, day, hour, minute, second: 0 }, "Asia/Shanghai");
    await ConsoleApi.for(ctx).send("PUT", `/api/hr/cases/${f.id}/exit-interview`, { scheduledAt: at.toISOString(), interviewerUserid: f.interviewerUserid });
    redirectWith(ctx, `/console/cases/${f.id}/settlement`, "interview_scheduled");
  } });

  route.post("/:id/exit-interview/outcome", { auth: deps.guard, params: caseId, body: outcomeForm, bodyParser: pageForm, handle: async ({ ctx, params: { id }, body }) => {
    const f = { ...body, id };
    await ConsoleApi.for(ctx).send("POST", `/api/hr/cases/${f.id}/exit-interview/outcome`, {
      reasons: f.reasons,
      outcome: f.outcome,
      rehireRecommendation: f.rehireRecommendation,
      notes: f.notes,
    });
    redirectWith(ctx, `/console/cases/${f.id}/settlement`, "interview_recorded");
  } });
  return router;
}

/** The people who may hold the interview (HR and approvers of the case), by name; ids only as form values. */
async function interviewerChoices(api: ConsoleApi, caseId: string): Promise<Option[]> {
  const r = await api.get<{ interviewers: Option[] }>(`/api/hr/cases/${caseId}/exit-interview/interviewers`);
  return r.interviewers;
}
