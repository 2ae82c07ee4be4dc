import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import { exportDossierJson, renderDossierMarkdown } from "../../dossier";
import { verifyChain, type DossierEntry } from "../../dossier";
import type { Actor } from "../../org";
import { scope } from "../../org";
import { scopeSql } from "../../org";
import type { Guard } from "../../platform/http/guard";
import { jsonBody } from "../../platform/http/jsonBody";
import { routeChain } from "../../platform/http/route";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import { caseResource, loadAuthorizedCase } from "../commands/caseAccess";
import { can } from "../../org";
import { loadNotice } from "../store/noticeStore";
import { presentCertificate, presentNotice, type CertificateRow } from "../presenters/documentPresenters";
import { z } from "zod";
import { earliestFor } from "../commands/earliest";
import { registerInformalNotice } from "../commands/registerInformalNotice";
import { resubmitStep } from "../commands/resubmitStep";
import { decideInConsole, myOpenStep } from "../commands/decideInConsole";
import { decideWithdrawal } from "../commands/withdraw";
import type { ResignationDeps } from "../deps";
import { appendDossier, loadDossier } from "../../dossier";
import { presentCase, presentSummary } from "../presenters/casePresenter";
import { loadChecklistView } from "../presenters/checklistPresenter";
import { loadSignatures } from "../store/checklistStore";
import { presentAwaitingSignatures } from "../presenters/documentPresenters";
import { refreshAutoItems } from "../commands/checklist";
import { presentSettlement } from "../presenters/settlementPresenter";
import { DOSSIER_KIND_LABELS } from "../presenters/dossierLabels";
import {
  agreementSchema,
  alumniSchema,
  caseIdSchema,
  consoleApprovalSchema,
  dossierVerifySchema,
  partiesSchema,
  registerSchema,
  resubmitSchema,
  withdrawDecisionSchema,
} from "../schema";
import { getCase, updateCase } from "../store/caseStore";
import { remindersSentForCase } from "../../schedules";
import { StaffDirectory } from "../../org";
import { displayNames } from "../../org";
import { mpPagePath } from "../../../miniprogram/pagePaths";

/** HR console API: cases within the caller's subtree only (authorize() on every case). */
export function hrResignationRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Guard<Actor> }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/hr" });
  const route = routeChain(router, { dataSource });

  /** Routes on one case: the URL's case, loaded and authorized for reading. */
  const readCase = {
    auth: deps.auth,
    params: caseIdSchema,
    load: ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { id: string } }) => loadAuthorizedCase(manager, actor, params.id, "read"),
  };
  /** A change to one case: in one transaction on the locked case; queued messages go out after the commit. */
  const changeCase = {
    auth: deps.auth,
    params: caseIdSchema,
    transaction: true,
    load: ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { id: string } }) =>
      loadAuthorizedCase(manager, actor, params.id, "update", { lock: true }),
    committed: <T>(result: T) => {
      deps.wakeOutbox();
      return result;
    },
  };

  route.post("/resignations", {
    auth: deps.auth,
    body: registerSchema,
    transaction: true,
    status: 201,
    // registerInformalNotice authorizes the caller for the employee it registers.
    handle: async ({ manager, actor, body }) => ({ case: await presentCase(manager, await registerInformalNotice(manager, deps, actor, body)) }),
    committed: (result) => {
      deps.wakeOutbox();
      return result;
    },
  });

  route.get("/cases", {
    auth: deps.auth,
    list: "case",
    handle: async ({ actor, manager }) => {
      const visible = scopeSql(scope(actor, "read", "case"), 1);
      const ids: { id: string }[] = await manager.query(
        `SELECT c.id FROM resignation_case c WHERE ${visible.staff("c.employee_userid")} ORDER BY c.created_at DESC LIMIT 200`,
        visible.params,
      );
      const rows = await Promise.all(ids.map((r) => getCase(manager, r.id)));
      const names = await displayNames(manager, rows.map((r) => r.employeeUserid));
      return { cases: rows.map((r) => ({ ...presentSummary(r), employeeUserid: r.employeeUserid, employeeName: names.get(r.employeeUserid) ?? r.employeeUserid })) };
    },
  });

  /**
   * People HR may open a case for or name as receiver / supervisor: active staff
   * in the caller's change scope, labelled "姓名（部门 · 职位）" so namesakes differ.
   */
  route.get("/case-people", {
    auth: deps.auth,
    list: "case",
    handle: async ({ actor, manager }) => {
      const visible = scopeSql(scope(actor, "update", "case"), 1);
      const rows: { userid: string; name: string; department: string | null; position: string | null }[] = await manager.query(
        `SELECT s.userid, s.name, d.name AS department, s.position FROM staff s LEFT JOIN department d ON d.id = s.main_department
         WHERE s.status = 1 AND ${visible.staff("s.userid")} ORDER BY s.name, s.userid LIMIT 2000`,
        visible.params,
      );
      return { people: rows.map((r) => ({ userid: r.userid, name: r.name, label: `${r.name}（${[r.department, r.position].filter(Boolean).join(" · ") || "未设部门"}）` })) };
    },
  });

  /**
   * The handovers the caller still has to sign as receiver or supervisor — their
   * own duties, for the successor's console page: whose handover, the last day
   * and the mini-program page to sign on; nothing else of the leaver's case.
   */
  route.get("/handover-duties", {
    auth: deps.auth,
    handle: async ({ actor, manager }) => {
      const rows: { id: string; role: "receiver" | "supervisor"; employee_userid: string; last_day: string }[] = await manager.query(
        `SELECT c.id, r.role, c.employee_userid, to_char(c.last_day, 'YYYY-MM-DD') AS last_day
           FROM resignation_case c
           CROSS JOIN LATERAL (VALUES ('receiver', c.receiver_userid), ('supervisor', c.supervisor_userid)) AS r(role, userid)
          WHERE r.userid = $1 AND c.state NOT IN ('closed', 'withdrawn')
            AND NOT EXISTS (SELECT 1 FROM handover_signature h WHERE h.case_id = c.id AND h.role = r.role)
          ORDER BY c.last_day, c.id`,
        [actor.userid],
      );
      const names = await displayNames(manager, rows.map((r) => r.employee_userid));
      return {
        duties: rows.map((r) => ({
          caseId: r.id,
          roleLabel: r.role === "receiver" ? "接收人" : "监交人",
          leaverName: names.get(r.employee_userid) ?? "（未同步姓名）",
          lastDay: r.last_day,
          miniProgramPage: mpPagePath("checklist", { id: r.id }),
        })),
      };
    },
  });

  route.get("/cases/:id", {
    ...readCase,
    handle: async ({ manager, actor, resource: row }) => ({
      case: { ...(await presentCase(manager, row)), employeeUserid: row.employeeUserid, receiverUserid: row.receiverUserid, supervisorUserid: row.supervisorUserid },
      settlement: await presentSettlement(manager, row, deps.clock.now()),
      // What the reader may do here, so a page shows HR's buttons to HR only (the writes check again);
      // `approve` is the step they decide now with the reasons a return may give (the key is a form value, never shown).
      permissions: { update: can(actor, "update", await caseResource(manager, row)), approve: await myOpenStep(manager, row, actor.userid) },
    }),
  });

  /** The written notice as HR reads and prints it: the text, its hash and the signature's evidence (never the raw image bytes' hash alone). */
  route.get("/cases/:id/notice", {
    ...readCase,
    handle: async ({ manager, resource: row }) => {
      const notice = await loadNotice(manager, row.id);
      if (!notice) throw new NotFoundError("该案件没有书面离职通知（人事登记的非书面通知在员工签署后才有）");
      return {
        notice: presentNotice(notice),
        signatureImage: notice.signatureImage ? `data:image/png;base64,${notice.signatureImage.toString("base64")}` : null,
      };
    },
  });

  route.get("/cases/:id/certificate", {
    ...readCase,
    handle: async ({ manager, resource: row }) => {
      const rows: CertificateRow[] = await manager.query(`SELECT fields, text, sha256 FROM termination_certificate WHERE case_id = $1`, [row.id]);
      if (!rows[0]) throw new NotFoundError("离职证明尚未开具（最后工作日当天开具）");
      return { certificate: presentCertificate(rows[0]) };
    },
  });

  /**
   * "Remind now": every open reminder of the case falls due at once and goes out
   * with the next sweep (every minute); the answer names who will be reminded.
   */
  route.post("/cases/:id/remind-now", {
    ...changeCase,
    body: z.object({}),
    handle: async ({ manager: m, actor, resource: row }) => {
      const now = deps.clock.now();
      // An UPDATE … RETURNING answers [rows, affected count] through TypeORM.
      const [due]: [{ recipient_userid: string }[], number] = await m.query(
        `UPDATE reminder SET next_due_at = $2 WHERE case_id = $1 AND done_at IS NULL RETURNING recipient_userid`,
        [row.id, now],
      );
      const recipients = [...new Set(due.map((d) => d.recipient_userid))];
      if (recipients.length === 0) throw new ConflictError("该案件当前没有待办的审批、签署或签字，无需提醒");
      const names = await displayNames(m, recipients);
      const people = recipients.map((u) => names.get(u) ?? "（未同步姓名）");
      await appendDossier(m, row.id, now, "reminders_sent_now", { type: "hr", id: actor.userid }, { recipients });
      return { reminded: people, message: `已安排立即提醒：${people.join("、")}（1 分钟内发出）` };
    },
  });

  /** The handover checklist as HR sees it: items, who verified them and who signed (HR signs nothing, so no role). */
  route.get("/cases/:id/checklist", {
    ...readCase,
    // Automatic items are checked against the facts (WeCom's transfer results, the account's status) before they are shown.
    transaction: true,
    handle: async ({ manager, resource: row }) => {
      await refreshAutoItems(manager, row, deps.clock.now());
      const signatures = await loadSignatures(manager, row.id);
      const parties = { handover: row.employeeUserid, receiver: row.receiverUserid, supervisor: row.supervisorUserid };
      const names = await displayNames(manager, Object.values(parties).filter((u): u is string => !!u));
      return {
        checklist: { ...(await loadChecklistView(manager, row.id, null)), awaitingSignatures: presentAwaitingSignatures(signatures, parties, names) },
      };
    },
  });

  route.get("/cases/:id/reminders", {
    ...readCase,
    handle: async ({ manager, resource: row }) => ({
      reminders: (await remindersSentForCase(manager, row.id)).map((r) => ({ ...r, queuedAt: r.queuedAt.toISOString() })),
    }),
  });

  /** An approver decides their open step here instead of on the card: same rule, same dossier entry (marked via console). */
  route.post("/cases/:id/approval", {
    ...changeCase,
    load: ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { id: string } }) =>
      loadAuthorizedCase(manager, actor, params.id, "approve", { lock: true }),
    body: consoleApprovalSchema,
    handle: async ({ manager, actor, resource: row, body }) => {
      const { outcome, stepLabel } = await decideInConsole(manager, deps, row, actor.userid, body);
      return {
        outcome,
        message: outcome === "approved" ? `已同意“${stepLabel}”环节` : `已退回“${stepLabel}”环节，已通知员工`,
        case: await presentCase(manager, await getCase(manager, row.id)),
      };
    },
  });

  route.post("/cases/:id/withdrawal-decision", {
    ...changeCase,
    body: withdrawDecisionSchema,
    handle: async ({ manager, actor, resource: row, body }) => ({
      case: await presentCase(manager, await decideWithdrawal(manager, deps, row, actor.userid, body.accept, body.note)),
    }),
  });

  route.post("/cases/:id/resubmit", {
    ...changeCase,
    body: resubmitSchema,
    handle: async ({ manager, actor, resource: row, body }) => ({ case: await presentCase(manager, await resubmitStep(manager, deps, row, actor.userid, body.note)) }),
  });

  route.put("/cases/:id/parties", {
    ...changeCase,
    body: partiesSchema,
    handle: async ({ manager: m, actor, resource: row, body }) => {
      const directory = new StaffDirectory(m);
      for (const u of [body.receiverUserid, body.supervisorUserid]) {
        if (u && (u === row.employeeUserid || !(await directory.find(u)))) throw new ValidationError(u === row.employeeUserid ? "接收人和监交人不能是离职员工本人" : "所选人员不在通讯录中，请从列表中选择");
      }
      const signed: unknown[] = await m.query(`SELECT 1 FROM handover_signature WHERE case_id = $1 AND role <> 'handover'`, [row.id]);
      if (signed.length > 0) throw new ConflictError("接收人或监交人已签字，不能再更换");
      const now = deps.clock.now();
      const updated = await updateCase(m, row, { receiverUserid: body.receiverUserid ?? row.receiverUserid, supervisorUserid: body.supervisorUserid ?? row.supervisorUserid }, now);
      await appendDossier(m, row.id, now, "handover_parties_set", { type: "hr", id: actor.userid }, { receiver: updated.receiverUserid, supervisor: updated.supervisorUserid });
      return { case: await presentCase(m, updated) };
    },
  });

  route.put("/cases/:id/mutual-agreement", {
    ...changeCase,
    body: agreementSchema,
    handle: async ({ manager: m, actor, resource: row, body }) => {
      if (!["notice_pending_signature", "registered_by_hr", "notice_signed", "in_approval", "step_returned", "approved", "handover_in_progress", "handover_done"].includes(row.state)) {
        throw new ConflictError("当前状态下不能再调整最后工作日");
      }
      const now = deps.clock.now();
      const agreement = { lastDay: body.lastDay, hrApproverUserId: actor.userid, approvedAt: now.toISOString(), proposedBy: body.proposedBy };
      const staff = await new StaffDirectory(m).find(row.employeeUserid);
      const earliest = earliestFor({ probationEnd: staff?.probationEnd ?? null }, row.noticeDate, "mutual_agreement", agreement);
      const updated = await updateCase(m, row, { basis: "mutual_agreement", mutualAgreement: agreement, lastDay: earliest.lastDay, earliestLastDay: earliest.lastDay }, now);
      await appendDossier(m, row.id, now, "mutual_agreement_recorded", { type: "hr", id: actor.userid }, { ...agreement });
      return { case: await presentCase(m, updated) };
    },
  });

  route.patch("/cases/:id/alumni", {
    ...changeCase,
    body: alumniSchema,
    handle: async ({ manager: m, resource: row, body }) => {
      const rows = await m.query(
        `UPDATE alumni SET rehire_eligible = coalesce($2, rehire_eligible), performance_grade = CASE WHEN $3 THEN $4 ELSE performance_grade END,
           tags = coalesce($5, tags) WHERE case_id = $1
         RETURNING userid, name, position, reason_category, to_char(left_on, 'YYYY-MM-DD') AS left_on, rehire_eligible, performance_grade, tags`,
        [row.id, body.rehireEligible ?? null, body.performanceGrade !== undefined, body.performanceGrade ?? null, body.tags ?? null],
      );
      if (!rows[0]?.[0]) throw new ConflictError("员工尚未离职，未进入离职人员库");
      return { alumni: rows[0][0] };
    },
  });

  route.get("/cases/:id/dossier.json", {
    ...readCase,
    handle: async ({ ctx, manager, resource: row }) => {
      ctx.set("Content-Disposition", `attachment; filename="dossier-${row.id}.json"`);
      return exportDossierJson(row.id, await loadDossier(manager, row.id), deps.clock.now());
    },
  });

  route.get("/cases/:id/dossier.md", {
    ...readCase,
    handle: async ({ ctx, manager, resource: row }) => {
      ctx.type = "text/markdown; charset=utf-8";
      ctx.body = renderDossierMarkdown(row.id, await loadDossier(manager, row.id), { exportedAt: deps.clock.now(), kindLabels: DOSSIER_KIND_LABELS });
    },
  });

  /** Verifies the stored chain, or an exported copy sent back (`{dossier}`), e.g. one a lawyer received. */
  route.post("/cases/:id/dossier/verify", {
    ...readCase,
    body: dossierVerifySchema,
    bodyParser: jsonBody("5mb"),
    // An exported dossier carries whole documents (notice text, signatures) in its entries.
    limits: { body: 1_000_000 },
    handle: async ({ manager: m, resource: row, body }) => {
      if (body.dossier === undefined) return { source: "database", verification: verifyChain(await loadDossier(m, row.id)) };
      if (body.dossier.caseId !== row.id || !Array.isArray(body.dossier.entries)) throw new ValidationError("导出文件不属于该案件或格式无效");
      const entries = body.dossier.entries as DossierEntry[];
      const exportedHead = Math.max(0, ...entries.map((e) => Number(e?.seq) || 0));
      // Every stored entry up to the copy's head is an anchor: a copy rewritten consistently from an edited entry onwards still fails.
      const anchors = (await loadDossier(m, row.id)).filter((e) => e.seq <= exportedHead).map((e) => ({ seq: e.seq, hash: e.hash }));
      return { source: "export", verification: verifyChain(entries, anchors) };
    },
  });

  return router;
}
