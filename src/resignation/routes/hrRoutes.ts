import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource, EntityManager } from "typeorm";
import { exportDossierJson, renderDossierMarkdown } from "../../dossier/dossierExport";
import { verifyChain, type DossierEntry } from "../../dossier/hashChain";
import type { Actor } from "../../org/policies/actor";
import { ConflictError, ValidationError } from "../../platform/errors";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { authorizeCase, loadAuthorizedCase } from "../commands/caseAccess";
import { earliestFor } from "../commands/earliest";
import { registerInformalNotice, type InformalNoticeInput } from "../commands/registerInformalNotice";
import { resubmitStep } from "../commands/resubmitStep";
import { decideWithdrawal } from "../commands/withdraw";
import type { ResignationDeps } from "../deps";
import { appendDossier, loadDossier } from "../dossier/dossierStore";
import { presentCase, presentSummary } from "../presenters/casePresenter";
import { presentChecklist } from "../presenters/documentPresenters";
import { presentSettlement } from "../presenters/settlementPresenter";
import { DOSSIER_KIND_LABELS } from "../presenters/dossierLabels";
import {
  agreementSchema,
  alumniSchema,
  caseIdSchema,
  dossierVerifySchema,
  partiesSchema,
  registerSchema,
  resubmitSchema,
  withdrawDecisionSchema,
} from "../schema";
import { getCase, updateCase, type CaseRow } from "../store/caseStore";
import { loadItems, loadSignatures } from "../store/checklistStore";
import { remindersSentForCase } from "../../schedules/reminders/reminderStore";
import { StaffDirectory } from "../../org/directory/staffDirectory";
import { displayNames } from "../../org/directory/displayNames";

/** HR console API: cases within the caller's subtree only (authorize() on every case). */
export function hrResignationRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Middleware }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  const input = <T>(ctx: Context) => ctx.state.input as T;

  const readable = (m: EntityManager, ctx: Context) => loadAuthorizedCase(m, actorOf(ctx), input<{ id: string }>(ctx).id, "read");

  async function write<T>(ctx: Context, work: (m: EntityManager, row: CaseRow) => Promise<T>): Promise<T> {
    const result = await dataSource.transaction(async (m) => {
      const row = await getCase(m, input<{ id: string }>(ctx).id, { lock: true });
      await authorizeCase(m, actorOf(ctx), "update", row);
      return work(m, row);
    });
    deps.wakeOutbox();
    return result;
  }

  router.post("/resignations", deps.auth, jsonBody(), validate(registerSchema), async (ctx) => {
    const presented = await dataSource.transaction(async (m) => presentCase(m, await registerInformalNotice(m, deps, actorOf(ctx), input<InformalNoticeInput>(ctx))));
    deps.wakeOutbox();
    ctx.status = 201;
    ctx.body = { case: presented };
  });

  router.get("/cases", deps.auth, async (ctx) => {
    const actor = actorOf(ctx);
    const all = actor.grants.some((g) => g.role === "hq_admin");
    const scope = actor.grants.filter((g) => (g.role === "hr" || g.role === "campus_head") && g.departmentId !== null).map((g) => g.departmentId);
    const ids: { id: string }[] = await dataSource.query(
      `SELECT c.id FROM resignation_case c WHERE $1 OR EXISTS (
         SELECT 1 FROM staff s JOIN department d ON d.id = ANY(s.department_ids) WHERE s.userid = c.employee_userid AND d.path && $2::int[])
       ORDER BY c.created_at DESC LIMIT 200`,
      [all, scope],
    );
    const rows = await Promise.all(ids.map((r) => getCase(dataSource.manager, r.id)));
    const names = await displayNames(dataSource.manager, rows.map((r) => r.employeeUserid));
    ctx.body = { cases: rows.map((r) => ({ ...presentSummary(r), employeeUserid: r.employeeUserid, employeeName: names.get(r.employeeUserid) ?? r.employeeUserid })) };
  });

  router.get("/cases/:id", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    ctx.body = { case: { ...(await presentCase(m, row)), employeeUserid: row.employeeUserid }, settlement: await presentSettlement(m, row, deps.clock.now()) };
  });

  /** The handover checklist as HR sees it: items, who verified them and who signed (HR signs nothing, so no role). */
  router.get("/cases/:id/checklist", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    ctx.body = { checklist: presentChecklist(await loadItems(m, row.id), await loadSignatures(m, row.id), null) };
  });

  router.get("/cases/:id/reminders", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    ctx.body = { reminders: (await remindersSentForCase(m, row.id)).map((r) => ({ ...r, queuedAt: r.queuedAt.toISOString() })) };
  });

  router.post("/cases/:id/withdrawal-decision", deps.auth, jsonBody(), validate(withdrawDecisionSchema), async (ctx) => {
    const body = input<{ accept: boolean; note: string }>(ctx);
    ctx.body = { case: await write(ctx, async (m, row) => presentCase(m, await decideWithdrawal(m, deps, row, actorOf(ctx).userid, body.accept, body.note))) };
  });

  router.post("/cases/:id/resubmit", deps.auth, jsonBody(), validate(resubmitSchema), async (ctx) => {
    const { note } = input<{ note: string }>(ctx);
    ctx.body = { case: await write(ctx, async (m, row) => presentCase(m, await resubmitStep(m, deps, row, actorOf(ctx).userid, note))) };
  });

  router.put("/cases/:id/parties", deps.auth, jsonBody(), validate(partiesSchema), async (ctx) => {
    const body = input<{ receiverUserid?: string; supervisorUserid?: string }>(ctx);
    ctx.body = {
      case: await write(ctx, async (m, row) => {
        const directory = new StaffDirectory(m);
        for (const u of [body.receiverUserid, body.supervisorUserid]) {
          if (u && (u === row.employeeUserid || !(await directory.find(u)))) throw new ValidationError(`无效的交接人员：${u}`);
        }
        const signed: unknown[] = await m.query(`SELECT 1 FROM handover_signature WHERE case_id = $1 AND role <> 'handover'`, [row.id]);
        if (signed.length > 0) throw new ConflictError("接收人或监交人已签字，不能再更换");
        const now = deps.clock.now();
        const updated = await updateCase(m, row, { receiverUserid: body.receiverUserid ?? row.receiverUserid, supervisorUserid: body.supervisorUserid ?? row.supervisorUserid }, now);
        await appendDossier(m, row.id, now, "handover_parties_set", { type: "hr", id: actorOf(ctx).userid }, { receiver: updated.receiverUserid, supervisor: updated.supervisorUserid });
        return presentCase(m, updated);
      }),
    };
  });

  router.put("/cases/:id/mutual-agreement", deps.auth, jsonBody(), validate(agreementSchema), async (ctx) => {
    const body = input<{ lastDay: string; proposedBy: "employee" | "employer" }>(ctx);
    ctx.body = {
      case: await write(ctx, async (m, row) => {
        if (!["notice_pending_signature", "registered_by_hr", "notice_signed", "in_approval", "step_returned", "approved", "handover_in_progress", "handover_done"].includes(row.state)) {
          throw new ConflictError("当前状态下不能再调整最后工作日");
        }
        const now = deps.clock.now();
        const agreement = { lastDay: body.lastDay, hrApproverUserId: actorOf(ctx).userid, approvedAt: now.toISOString(), proposedBy: body.proposedBy };
        const staff = await new StaffDirectory(m).find(row.employeeUserid);
        const earliest = earliestFor({ probationEnd: staff?.probationEnd ?? null }, row.noticeDate, "mutual_agreement", agreement);
        const updated = await updateCase(m, row, { basis: "mutual_agreement", mutualAgreement: agreement, lastDay: earliest.lastDay, earliestLastDay: earliest.lastDay }, now);
        await appendDossier(m, row.id, now, "mutual_agreement_recorded", { type: "hr", id: actorOf(ctx).userid }, { ...agreement });
        return presentCase(m, updated);
      }),
    };
  });

  router.patch("/cases/:id/alumni", deps.auth, jsonBody(), validate(alumniSchema), async (ctx) => {
    const body = input<{ rehireEligible?: boolean; performanceGrade?: string | null; tags?: string[] }>(ctx);
    ctx.body = {
      alumni: await write(ctx, async (m, row) => {
        const rows = await m.query(
          `UPDATE alumni SET rehire_eligible = coalesce($2, rehire_eligible), performance_grade = CASE WHEN $3 THEN $4 ELSE performance_grade END,
             tags = coalesce($5, tags) WHERE case_id = $1
           RETURNING userid, name, position, reason_category, to_char(left_on, 'YYYY-MM-DD') AS left_on, rehire_eligible, performance_grade, tags`,
          [row.id, body.rehireEligible ?? null, body.performanceGrade !== undefined, body.performanceGrade ?? null, body.tags ?? null],
        );
        if (!rows[0]?.[0]) throw new ConflictError("员工尚未离职，未进入离职人员库");
        return rows[0][0];
      }),
    };
  });

  router.get("/alumni", deps.auth, async (ctx) => {
    const actor = actorOf(ctx);
    const all = actor.grants.some((g) => g.role === "hq_admin");
    const hrScope = actor.grants.filter((g) => g.role === "hr" && g.departmentId !== null).map((g) => g.departmentId);
    const headScope = actor.grants.filter((g) => g.role === "campus_head" && g.departmentId !== null).map((g) => g.departmentId);
    const rows = await dataSource.query(
      `SELECT a.userid, a.name, a.position, a.reason_category, to_char(a.left_on, 'YYYY-MM-DD') AS left_on, a.rehire_eligible, a.tags,
         -- Performance grades are for HR managers only.
         CASE WHEN $1 OR d.path && $2::int[] THEN a.performance_grade END AS performance_grade
       FROM alumni a LEFT JOIN department d ON d.id = a.department_id
       WHERE $1 OR d.path && $2::int[] OR d.path && $3::int[] ORDER BY a.left_on DESC LIMIT 500`,
      [all, hrScope, headScope],
    );
    ctx.body = { alumni: rows };
  });

  router.get("/cases/:id/dossier.json", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    ctx.set("Content-Disposition", `attachment; filename="dossier-${row.id}.json"`);
    ctx.body = exportDossierJson(row.id, await loadDossier(m, row.id), deps.clock.now());
  });

  router.get("/cases/:id/dossier.md", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    ctx.type = "text/markdown; charset=utf-8";
    ctx.body = renderDossierMarkdown(row.id, await loadDossier(m, row.id), { exportedAt: deps.clock.now(), kindLabels: DOSSIER_KIND_LABELS });
  });

  /** Verifies the stored chain, or an exported copy sent back (`{dossier}`), e.g. one a lawyer received. */
  router.post("/cases/:id/dossier/verify", deps.auth, jsonBody("5mb"), validate(dossierVerifySchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    const body = input<{ dossier?: { caseId?: unknown; entries?: unknown } }>(ctx);
    if (body.dossier === undefined) {
      ctx.body = { source: "database", verification: verifyChain(await loadDossier(m, row.id)) };
      return;
    }
    if (body.dossier.caseId !== row.id || !Array.isArray(body.dossier.entries)) throw new ValidationError("导出文件不属于该案件或格式无效");
    const entries = body.dossier.entries as DossierEntry[];
    const exportedHead = Math.max(0, ...entries.map((e) => Number(e?.seq) || 0));
    // Every stored entry up to the copy's head is an anchor: a copy rewritten consistently from an edited entry onwards still fails.
    const anchors = (await loadDossier(m, row.id)).filter((e) => e.seq <= exportedHead).map((e) => ({ seq: e.seq, hash: e.hash }));
    const verification = verifyChain(entries, anchors);
    ctx.body = { source: "export", verification };
  });

  return router;
}
