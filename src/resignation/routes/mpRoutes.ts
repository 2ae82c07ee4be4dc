import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../org/policies/actor";
import { AuthorizationError, NotFoundError } from "../../platform/errors";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { authorizeCase, loadAuthorizedCase } from "../commands/caseAccess";
import { checklistRoleOf, completeItem, refreshAutoItems, signChecklistAs } from "../commands/checklist";
import { createCase, todayIn } from "../commands/createCase";
import { earliestFor } from "../commands/earliest";
import { decodeSignature } from "../commands/signatureImage";
import { signNotice } from "../commands/signNotice";
import { requestWithdrawal } from "../commands/withdraw";
import type { ResignationDeps } from "../deps";
import { presentCase, presentSummary } from "../presenters/casePresenter";
import { presentCertificate, presentChecklist, presentNotice, type CertificateRow } from "../presenters/documentPresenters";
import { presentEarliest } from "../presenters/earliestPresenter";
import { caseIdSchema, itemDoneSchema, signChecklistSchema, signNoticeSchema, startSchema, withdrawSchema, type SignNoticeInput, type StartInput } from "../schema";
import { getCase, openCaseOf, type CaseRow } from "../store/caseStore";
import { loadItems, loadSignatures } from "../store/checklistStore";
import { loadNotice } from "../store/noticeStore";
import { StaffDirectory } from "../../org/directory/staffDirectory";

/** The mini-program API (MP_API.md). Handlers stay thin: policy, command, presenter. */
export function mpResignationRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Middleware }): Router {
  const { dataSource } = deps;
  const router = new Router({ prefix: "/api/mp" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  const input = <T>(ctx: Context) => ctx.state.input as T;

  const readable = (m: EntityManager, ctx: Context) => loadAuthorizedCase(m, actorOf(ctx), input<{ id: string }>(ctx).id, "read");

  /** A write in one transaction on the locked case; queued messages go out after the commit. */
  async function write<T>(ctx: Context, action: "read" | "update", work: (m: EntityManager, row: CaseRow) => Promise<T>): Promise<T> {
    const result = await dataSource.transaction(async (m) => {
      const row = await getCase(m, input<{ id: string }>(ctx).id, { lock: true });
      await authorizeCase(m, actorOf(ctx), action, row);
      return work(m, row);
    });
    deps.wakeOutbox();
    return result;
  }

  const checklistFor = async (m: EntityManager, row: CaseRow, userid: string) =>
    presentChecklist(await loadItems(m, row.id), await loadSignatures(m, row.id), checklistRoleOf(row, userid));

  router.get("/resignation/overview", deps.auth, async (ctx) => {
    const m = dataSource.manager;
    const actor = actorOf(ctx);
    const row = await openCaseOf(m, actor.userid);
    const staff = await new StaffDirectory(m).find(actor.userid);
    ctx.body = {
      case: row ? presentSummary(row) : null,
      earliest: presentEarliest(earliestFor({ probationEnd: staff?.probationEnd ?? null }, todayIn(deps.clock.now()))),
    };
  });

  router.post("/resignations", deps.auth, jsonBody(), validate(startSchema), async (ctx) => {
    const body = input<StartInput>(ctx);
    const userid = actorOf(ctx).userid;
    const now = deps.clock.now();
    const presented = await dataSource.transaction(async (m) => {
      const row = await createCase(m, { ...body, employeeUserid: userid, origin: "employee", noticeDate: todayIn(now) }, { type: "employee", id: userid }, now);
      return presentCase(m, row);
    });
    deps.wakeOutbox();
    ctx.status = 201;
    ctx.body = { case: presented };
  });

  router.get("/resignations/:id", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    ctx.body = { case: await presentCase(m, await readable(m, ctx)) };
  });

  router.get("/resignations/:id/notice", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    const notice = await loadNotice(m, row.id);
    if (!notice) throw new NotFoundError("离职通知不存在");
    ctx.body = { notice: presentNotice(notice) };
  });

  router.post("/resignations/:id/notice/sign", deps.auth, jsonBody("400kb"), validate(signNoticeSchema), async (ctx) => {
    const body = input<SignNoticeInput>(ctx);
    const signature = decodeSignature(body.typedName, body.signatureImage, body.confirm);
    const notice = await write(ctx, "update", async (m, row) => {
      // Only the employee signs their own notice, even if the policy lets others update the case.
      if (row.employeeUserid !== actorOf(ctx).userid) throw new AuthorizationError("只有员工本人可以签署离职通知");
      await signNotice(m, deps, row, actorOf(ctx).userid, signature, { ...body.device, userAgent: ctx.get("user-agent") || undefined, ip: ctx.ip });
      return (await loadNotice(m, row.id))!;
    });
    ctx.body = { notice: presentNotice(notice) };
  });

  router.get("/resignations/:id/checklist", deps.auth, validate(caseIdSchema), async (ctx) => {
    ctx.body = {
      checklist: await write(ctx, "read", async (m, row) => {
        await refreshAutoItems(m, row, deps.clock.now());
        return checklistFor(m, row, actorOf(ctx).userid);
      }),
    };
  });

  router.post("/resignations/:id/checklist/items/:itemId/done", deps.auth, jsonBody(), validate(itemDoneSchema), async (ctx) => {
    const body = input<{ itemId: string; note?: string }>(ctx);
    ctx.body = {
      checklist: await write(ctx, "read", async (m, row) => {
        await completeItem(m, row, actorOf(ctx).userid, body.itemId, body.note, deps.clock.now());
        return checklistFor(m, row, actorOf(ctx).userid);
      }),
    };
  });

  router.post("/resignations/:id/checklist/sign", deps.auth, jsonBody("400kb"), validate(signChecklistSchema), async (ctx) => {
    const body = input<{ typedName: string; signatureImage: string; confirm: boolean }>(ctx);
    const signature = decodeSignature(body.typedName, body.signatureImage, body.confirm);
    ctx.body = {
      checklist: await write(ctx, "read", async (m, row) => {
        const updated = await signChecklistAs(m, row, actorOf(ctx).userid, signature, deps.clock.now());
        return checklistFor(m, updated, actorOf(ctx).userid);
      }),
    };
  });

  router.post("/resignations/:id/withdraw", deps.auth, jsonBody(), validate(withdrawSchema), async (ctx) => {
    const { reason } = input<{ reason: string }>(ctx);
    ctx.body = {
      case: await write(ctx, "update", async (m, row) => {
        if (row.employeeUserid !== actorOf(ctx).userid) throw new AuthorizationError("只有员工本人可以撤回离职申请");
        return presentCase(m, await requestWithdrawal(m, deps, row, reason));
      }),
    };
  });

  router.get("/resignations/:id/certificate", deps.auth, validate(caseIdSchema), async (ctx) => {
    const m = dataSource.manager;
    const row = await readable(m, ctx);
    const rows: CertificateRow[] = await m.query(`SELECT fields, text, sha256 FROM termination_certificate WHERE case_id = $1`, [row.id]);
    if (!rows[0]) throw new NotFoundError("离职证明尚未开具");
    ctx.body = { certificate: presentCertificate(rows[0]) };
  });

  return router;
}
