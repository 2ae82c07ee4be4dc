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
import type { CaseDetail, CaseSummary, ChecklistView, NoticeView, SentReminder, Verification } from "../presenters/apiTypes";
import { caseListView, caseView, type CasePage, type MyApproval } from "../views/caseViews";
import { printableDocument, registerForm as registerFormView, type PersonChoice } from "../views/caseActionsView";
import { shortTime } from "../views/format";
import { html, type Html } from "../views/html";
import { flash } from "../views/layout";
import type { Clock } from "../../platform/clock";
import { fromInstant } from "../../platform/localDate";
import type { Context } from "koa";
import { pageForm, redirectWith, renderPage, resultKey } from "./page";

const caseId = z.object({ id: z.string().uuid() });
const verifyForm = z.object({ dossier: z.string().max(5_000_000).optional() });

const agreementForm = z.object({ lastDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "请选择最后工作日"), proposedBy: z.enum(["employee", "employer"]) });
const withdrawalForm = z.object({ accept: z.enum(["true", "false"]), note: z.string().trim().max(500).default("") });
const approvalForm = z.object({ step: z.string().min(1).max(64), decision: z.enum(["approve", "reject"]), reasonOptionId: z.string().max(32).optional() });
const partiesForm = z.object({ receiver: z.string().trim().max(128).default(""), supervisor: z.string().trim().max(128).default("") });
const registerForm = z.object({
  employee: z.string().trim().min(1, "请填写员工姓名").max(128),
  channel: z.enum(["wechat", "wecom_chat", "phone", "in_person", "email", "other"]),
  receivedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "请填写收到时间"),
  evidenceText: z.string().trim().min(1, "请填写员工的原话或通话记录").max(2000),
  requestedLastDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "请选择最后工作日"),
  reasonCategory: z.string().max(40).default("other"),
});

/** What a write on the case page tells HR afterwards (fixed keys: a link cannot put words in the page's mouth). */
const RESULTS: Record<string, string> = {
  registered: "已登记离职通知，已请员工在小程序中签署书面通知",
  agreement: "已记录协商一致的最后工作日",
  withdrawal_accepted: "已同意撤回，案件结束",
  withdrawal_declined: "已不同意撤回，案件按原计划继续",
  parties: "已更新交接接收人与监交人",
};

/**
 * Case list and case page with HR's actions; dossier export links go straight
 * to the API (cookie session, GET). Every write goes through the API with the
 * person's session (same policies); a refusal re-renders the page with the
 * API's reason and status.
 */
export function caseRoutes(deps: { dataSource: DataSource; guard: Guard<ConsoleSession>; clock: Clock }): Router {
  const router = new Router({ prefix: "/console/cases" });
  const route = routeChain(router);

  const showList = async (ctx: Context, session: ConsoleSession, notice?: Html) => {
    const api = ConsoleApi.for(ctx);
    const [{ cases }, { people }] = await Promise.all([
      api.get<{ cases: CaseSummary[] }>("/api/hr/cases"),
      api.get<{ people: PersonChoice[] }>("/api/hr/case-people"),
    ]);
    const today = fromInstant(deps.clock.now());
    renderPage(ctx, "离职案件", "cases", html`${notice ?? ""}${people.length > 0 ? registerFormView(people, csrfField(session), today) : ""}${caseListView(cases)}`);
  };

  const showCase = async (ctx: Context, session: ConsoleSession, id: string, notice?: Html, verified?: { source: "database" | "export"; verification: Verification }) => {
    const page = await loadCasePage(ConsoleApi.for(ctx), deps.dataSource, id);
    const result = resultKey(ctx);
    const flashed = notice ?? (result && RESULTS[result] ? flash("ok", RESULTS[result] as string) : "");
    renderPage(ctx, `离职案件 · ${page.case.employeeName}`, "cases", html`${flashed}${caseView(page, verified, csrfField(session))}`);
  };

  /** Runs a write; a 4xx from the API is shown on the page it came from, with its reason. */
  const attempt = async (ctx: Context, work: () => Promise<void>, refused: (message: string) => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      ctx.status = err.status;
      await refused(err.message);
    }
  };

  route.get("/", {
    auth: deps.guard,
    handle: async ({ ctx, actor }) => showList(ctx, actor, resultKey(ctx) === "registered" ? flash("ok", RESULTS.registered as string) : undefined),
  });

  route.post("/register", {
    auth: deps.guard,
    body: registerForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, body }) => {
      const api = ConsoleApi.for(ctx);
      await attempt(
        ctx,
        async () => {
          const { people } = await api.get<{ people: PersonChoice[] }>("/api/hr/case-people");
          const employee = pickPerson(people, body.employee, "员工");
          const { case: created } = await api.send<{ case: { id: string } }>("POST", "/api/hr/resignations", {
            employeeUserid: employee,
            channel: body.channel,
            // The form's local time is Beijing time (the console's users are in China).
            receivedAt: `${body.receivedAt}:00+08:00`,
            evidenceText: body.evidenceText,
            requestedLastDay: body.requestedLastDay,
            reasonCategory: body.reasonCategory,
          });
          redirectWith(ctx, `/console/cases/${created.id}`, "registered");
        },
        (message) => showList(ctx, actor, flash("bad", `未登记：${message}`)),
      );
    },
  });

  route.get("/:id", {
    auth: deps.guard,
    params: caseId,
    handle: async ({ ctx, actor, params: { id } }) => showCase(ctx, actor, id),
  });

  route.post("/:id/agreement", {
    auth: deps.guard,
    params: caseId,
    body: agreementForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params: { id }, body }) =>
      attempt(
        ctx,
        async () => {
          await ConsoleApi.for(ctx).send("PUT", `/api/hr/cases/${id}/mutual-agreement`, body);
          redirectWith(ctx, `/console/cases/${id}`, "agreement");
        },
        (message) => showCase(ctx, actor, id, flash("bad", `未记录：${message}`)),
      ),
  });

  route.post("/:id/withdrawal", {
    auth: deps.guard,
    params: caseId,
    body: withdrawalForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params: { id }, body }) =>
      attempt(
        ctx,
        async () => {
          await ConsoleApi.for(ctx).send("POST", `/api/hr/cases/${id}/withdrawal-decision`, { accept: body.accept === "true", note: body.note });
          redirectWith(ctx, `/console/cases/${id}`, body.accept === "true" ? "withdrawal_accepted" : "withdrawal_declined");
        },
        (message) => showCase(ctx, actor, id, flash("bad", `未处理：${message}`)),
      ),
  });

  route.post("/:id/parties", {
    auth: deps.guard,
    params: caseId,
    body: partiesForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params: { id }, body }) =>
      attempt(
        ctx,
        async () => {
          if (!body.receiver && !body.supervisor) throw new ValidationError("请至少填写接收人或监交人");
          const api = ConsoleApi.for(ctx);
          const { people } = await api.get<{ people: PersonChoice[] }>("/api/hr/case-people");
          await api.send("PUT", `/api/hr/cases/${id}/parties`, {
            ...(body.receiver ? { receiverUserid: pickPerson(people, body.receiver, "接收人") } : {}),
            ...(body.supervisor ? { supervisorUserid: pickPerson(people, body.supervisor, "监交人") } : {}),
          });
          redirectWith(ctx, `/console/cases/${id}`, "parties");
        },
        (message) => showCase(ctx, actor, id, flash("bad", `未更换：${message}`)),
      ),
  });

  /** The approver's own step, decided on the page (the card's "查看详情" leads here); the answer names the step. */
  route.post("/:id/approval", {
    auth: deps.guard,
    params: caseId,
    body: approvalForm,
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params: { id }, body }) =>
      attempt(
        ctx,
        async () => {
          const { message } = await ConsoleApi.for(ctx).send<{ message: string }>("POST", `/api/hr/cases/${id}/approval`, body);
          await showCase(ctx, actor, id, flash("ok", message));
        },
        (message) => showCase(ctx, actor, id, flash("bad", `未审批：${message}`)),
      ),
  });

  route.post("/:id/remind-now", {
    auth: deps.guard,
    params: caseId,
    body: z.object({}),
    bodyParser: pageForm,
    handle: async ({ ctx, actor, params: { id } }) =>
      attempt(
        ctx,
        async () => {
          const { message } = await ConsoleApi.for(ctx).send<{ message: string }>("POST", `/api/hr/cases/${id}/remind-now`, {});
          await showCase(ctx, actor, id, flash("ok", message));
        },
        (message) => showCase(ctx, actor, id, flash("bad", `未提醒：${message}`)),
      ),
  });

  route.get("/:id/notice", {
    auth: deps.guard,
    params: caseId,
    handle: async ({ ctx, params: { id } }) => {
      const api = ConsoleApi.for(ctx);
      const [{ case: c }, { notice, signatureImage }] = await Promise.all([
        api.get<{ case: CaseDetail }>(`/api/hr/cases/${id}`),
        api.get<{ notice: NoticeView; signatureImage: string | null }>(`/api/hr/cases/${id}/notice`),
      ]);
      const signed = notice.signed
        ? html`<p>签署人：${notice.signed.typedName}　签署时间：${shortTime(notice.signed.signedAt)}</p>${signatureImage ? html`<img alt="${notice.signed.typedName}的手写签名" src="${signatureImage}" style="max-width:16rem;border-bottom:1px solid #999">` : ""}`
        : html`<p class="notice bad">员工尚未签署此通知。</p>`;
      renderPage(ctx, `书面离职通知 · ${c.employeeName}`, "cases", printableDocument("notice", `/console/cases/${id}`, notice.text, notice.sha256, signed));
    },
  });

  route.get("/:id/certificate", {
    auth: deps.guard,
    params: caseId,
    handle: async ({ ctx, params: { id } }) => {
      const { certificate } = await ConsoleApi.for(ctx).get<{ certificate: { text: string; sha256: string; fields: { employeeName: string } } }>(`/api/hr/cases/${id}/certificate`);
      renderPage(ctx, `离职证明 · ${certificate.fields.employeeName}`, "cases", printableDocument("certificate", `/console/cases/${id}`, certificate.text, certificate.sha256, html``));
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
    const result = await api.send<{ source: "database" | "export"; verification: Verification }>("POST", `/api/hr/cases/${id}/dossier/verify`, body);
    await showCase(ctx, actor, id, undefined, result);
  } });
  return router;
}

/** The userid behind a name HR typed or picked: the picker's label, else a unique name; namesakes must be picked from the list. */
function pickPerson(people: PersonChoice[], typed: string, role: string): string {
  const byLabel = people.filter((p) => p.label === typed);
  if (byLabel.length === 1) return byLabel[0]!.userid;
  const byName = people.filter((p) => p.name === typed);
  if (byName.length === 1) return byName[0]!.userid;
  if (byName.length > 1) throw new ValidationError(`有 ${byName.length} 位员工叫“${typed}”，请从列表中选择带部门的一项作为${role}`);
  throw new ValidationError(`您负责的范围内没有名为“${typed}”的在职员工，请从列表中选择${role}`);
}

async function loadCasePage(api: ConsoleApi, dataSource: DataSource, id: string): Promise<CasePage> {
  const [detail, checklist, reminders] = await Promise.all([
    api.get<{ case: CaseDetail; permissions?: { update: boolean; approve?: MyApproval | null } }>(`/api/hr/cases/${id}`),
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
      ...(board?.data ?? []).flatMap((b) => [...(b.successorUserid ? [b.successorUserid] : []), ...(b.followUp?.ownerUserids ?? [])]),
      ...(board?.data ?? []).filter((b) => b.kind === "group").map((b) => b.id),
      ...[detail.case.receiverUserid, detail.case.supervisorUserid].filter((u): u is string => !!u),
    ],
    parents: (board?.data ?? []).filter((b) => b.kind === "parent").map((b) => b.id),
  });
  // HR's actions only for those who may change the case; the people they may name come with them.
  const people = detail.permissions?.update ? (await api.get<{ people: PersonChoice[] }>("/api/hr/case-people")).people : undefined;
  return { case: detail.case, checklist: checklist.checklist, reminders: reminders.reminders, board: board?.data, names, people, approve: detail.permissions?.approve ?? null };
}
