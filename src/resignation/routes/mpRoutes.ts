import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../org";
import { AuthorizationError, NotFoundError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { jsonBody } from "../../platform/http/jsonBody";
import { routeChain } from "../../platform/http/route";
import { loadAuthorizedCase } from "../commands/caseAccess";
import { checklistRoleOf, completeItem, refreshAutoItems, signChecklistAs } from "../commands/checklist";
import { createCase, todayIn } from "../commands/createCase";
import { earliestFor } from "../commands/earliest";
import { decodeSignature } from "../commands/signatureImage";
import { signNotice } from "../commands/signNotice";
import { requestWithdrawal } from "../commands/withdraw";
import type { ResignationDeps } from "../deps";
import { presentCase, presentSummary } from "../presenters/casePresenter";
import { loadChecklistView } from "../presenters/checklistPresenter";
import { presentCertificate, presentNotice, type CertificateRow } from "../presenters/documentPresenters";
import { presentEarliest } from "../presenters/earliestPresenter";
import { caseIdSchema, caseItemParams, itemDoneSchema, signChecklistSchema, signNoticeSchema, startSchema, withdrawSchema } from "../schema";
import { openCaseOf, type CaseRow } from "../store/caseStore";
import { loadNotice } from "../store/noticeStore";
import { StaffDirectory } from "../../org";
import type { Overview } from "../../../miniprogram/services/types";

/** The mini-program API (types in miniprogram/services/types.ts). Handlers stay thin: policy, command, presenter. */
export function mpResignationRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Guard<Actor> }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/mp" });
  const route = routeChain(router, { dataSource });

  type CaseLoad = { manager: EntityManager; actor: Actor; params: { id: string } };
  const readCase = {
    auth: deps.auth,
    params: caseIdSchema,
    load: ({ manager, actor, params }: CaseLoad) => loadAuthorizedCase(manager, actor, params.id, "read"),
  };
  /** A step on the locked case in one transaction; queued messages go out after the commit. */
  const onCase = (action: "read" | "update" | "handover") => ({
    auth: deps.auth,
    transaction: true,
    load: ({ manager, actor, params }: CaseLoad) => loadAuthorizedCase(manager, actor, params.id, action, { lock: true }),
    committed: <T>(result: T) => {
      deps.wakeOutbox();
      return result;
    },
  });

  const checklistFor = (m: EntityManager, row: CaseRow, userid: string) => loadChecklistView(m, row.id, checklistRoleOf(row, userid));

  route.get("/resignation/overview", {
    auth: deps.auth,
    handle: async ({ actor, manager: m }): Promise<Overview> => {
      const row = await openCaseOf(m, actor.userid);
      const staff = await new StaffDirectory(m).find(actor.userid);
      return {
        case: row ? presentSummary(row) : null,
        earliest: presentEarliest(earliestFor({ probationEnd: staff?.probationEnd ?? null }, todayIn(deps.clock.now()))),
      };
    },
  });

  route.post("/resignations", {
    auth: deps.auth,
    body: startSchema,
    transaction: true,
    status: 201,
    // The employee opens their own case only: the employee is the caller, never a field.
    handle: async ({ actor, body, manager: m }) => {
      const now = deps.clock.now();
      const row = await createCase(m, { ...body, employeeUserid: actor.userid, origin: "employee", noticeDate: todayIn(now) }, { type: "employee", id: actor.userid }, now);
      return { case: await presentCase(m, row) };
    },
  });

  route.get("/resignations/:id", {
    ...readCase,
    handle: async ({ manager, resource }) => ({ case: await presentCase(manager, resource) }),
  });

  route.get("/resignations/:id/notice", {
    ...readCase,
    handle: async ({ manager, resource }) => {
      const notice = await loadNotice(manager, resource.id);
      if (!notice) throw new NotFoundError("离职通知不存在");
      return { notice: presentNotice(notice) };
    },
  });

  route.post("/resignations/:id/notice/sign", {
    ...onCase("update"),
    params: caseIdSchema,
    body: signNoticeSchema,
    bodyParser: jsonBody("400kb"),
    // The signature image is a PNG data URL.
    limits: { body: 400_000 },
    handle: async ({ ctx, actor, manager: m, resource: row, body }) => {
      const signature = decodeSignature(body.typedName, body.signatureImage, body.confirm);
      // Only the employee signs their own notice, even if the policy lets others update the case.
      if (row.employeeUserid !== actor.userid) throw new AuthorizationError("只有员工本人可以签署离职通知");
      await signNotice(m, deps, row, actor.userid, signature, { ...body.device, userAgent: ctx.get("user-agent") || undefined, ip: ctx.ip });
      return { notice: presentNotice((await loadNotice(m, row.id))!) };
    },
  });

  route.get("/resignations/:id/checklist", {
    ...onCase("handover"),
    params: caseIdSchema,
    handle: async ({ actor, manager: m, resource: row }) => {
      await refreshAutoItems(m, row, deps.clock.now());
      return { checklist: await checklistFor(m, row, actor.userid) };
    },
  });

  route.post("/resignations/:id/checklist/items/:itemId/done", {
    ...onCase("handover"),
    params: caseItemParams,
    body: itemDoneSchema,
    handle: async ({ actor, manager: m, resource: row, params, body }) => {
      await completeItem(m, row, actor.userid, params.itemId, body.note, deps.clock.now());
      return { checklist: await checklistFor(m, row, actor.userid) };
    },
  });

  route.post("/resignations/:id/checklist/sign", {
    ...onCase("handover"),
    params: caseIdSchema,
    body: signChecklistSchema,
    bodyParser: jsonBody("400kb"),
    limits: { body: 400_000 },
    handle: async ({ actor, manager: m, resource: row, body }) => {
      const signature = decodeSignature(body.typedName, body.signatureImage, body.confirm);
      const updated = await signChecklistAs(m, row, actor.userid, signature, deps.clock.now());
      return { checklist: await checklistFor(m, updated, actor.userid) };
    },
  });

  route.post("/resignations/:id/withdraw", {
    ...onCase("update"),
    params: caseIdSchema,
    body: withdrawSchema,
    handle: async ({ actor, manager: m, resource: row, body }) => {
      if (row.employeeUserid !== actor.userid) throw new AuthorizationError("只有员工本人可以撤回离职申请");
      return { case: await presentCase(m, await requestWithdrawal(m, deps, row, body.reason)) };
    },
  });

  route.get("/resignations/:id/certificate", {
    ...readCase,
    handle: async ({ manager: m, resource: row }) => {
      const rows: CertificateRow[] = await m.query(`SELECT fields, text, sha256 FROM termination_certificate WHERE case_id = $1`, [row.id]);
      if (!rows[0]) throw new NotFoundError("离职证明尚未开具");
      return { certificate: presentCertificate(rows[0]) };
    },
  });

  return router;
}
