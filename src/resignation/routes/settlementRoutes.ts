import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org/policies/actor";
import { authorizeBranch } from "../../org/policies/branchAccess";
import { AuthorizationError, ConflictError } from "../../platform/errors";
import { returnedRows } from "../../platform/db/returnedRows";
import { jsonBody } from "../../platform/http/jsonBody";
import { validate } from "../../platform/http/validate";
import { closeReminders } from "../../schedules/reminders/reminderStore";
import { authorizeCase, loadAuthorizedCase } from "../commands/caseAccess";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../dossier/dossierStore";
import { presentSettlement } from "../presenters/settlementPresenter";
import { ReminderKinds } from "../reminders/resignationReminders";
import { COMPENSATION_GROUNDS, yuan, type CompensationGround } from "../rules/settlement";
import { getCase } from "../store/caseStore";
import { listLocalWages, saveLocalWage, saveSettlementInput } from "../store/settlementStore";

const id = z.string().uuid("无效的编号");
const fen = z.number().int("金额以分为单位，须为整数").min(0, "金额不能为负数").max(100_000_000_00, "金额过大");
const ground = z.enum(Object.keys(COMPENSATION_GROUNDS) as [CompensationGround, ...CompensationGround[]]);
const inputsSchema = z.object({
  id,
  ground: ground.optional(),
  monthlyWagesFen: z.array(fen).min(1, "请填写离职前各月工资（至少一个月）").max(12, "最多填写离职前12个月"),
  annualLeave: z
    .object({ entitlementDays: z.number().int().min(0).max(30, "年休假不超过30天"), takenDays: z.number().int().min(0).max(30) })
    .nullable()
    .optional(),
});
const branchSchema = z.object({ branchId: z.coerce.number().int().positive() });
const wageSchema = branchSchema.extend({
  year: z.coerce.number().int().min(2000).max(2100),
  city: z.string().trim().min(1, "请填写城市").max(30),
  averageMonthlyWageFen: fen.refine((v) => v > 0, "请填写当地职工月平均工资"),
  minimumMonthlyWageFen: fen.refine((v) => v > 0, "请填写当地最低月工资标准"),
  source: z.string().trim().max(200).default(""),
});

/**
 * The settlement statement and its inputs. Money is HR's and the leaver's
 * business only: HR of the leaver's branch (the case "update" right) reads
 * and writes it, the leaver reads their own; approvers and receivers, who may
 * read the case, do not see it.
 */
export function settlementRoutes(deps: ResignationDeps & { dataSource: DataSource; hrAuth: Middleware; mpAuth: Middleware }): Router[] {
  const { dataSource } = deps;
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;
  const hr = new Router({ prefix: "/api/hr" });

  hr.get("/cases/:id/settlement", deps.hrAuth, validate(z.object({ id })), async (ctx) => {
    const m = dataSource.manager;
    const row = await loadAuthorizedCase(m, actorOf(ctx), (ctx.state.input as { id: string }).id, "update");
    ctx.body = { settlement: await presentSettlement(m, row, deps.clock.now()) };
  });

  hr.put("/cases/:id/settlement-inputs", deps.hrAuth, jsonBody(), validate(inputsSchema), async (ctx) => {
    const body = ctx.state.input as z.infer<typeof inputsSchema>;
    const actor = actorOf(ctx);
    const now = deps.clock.now();
    ctx.body = {
      settlement: await dataSource.transaction(async (m) => {
        const row = await getCase(m, body.id, { lock: true });
        await authorizeCase(m, actor, "update", row);
        if (row.state === "withdrawn") throw new ConflictError("该离职申请已撤回，无需结算");
        const input = { monthlyWagesFen: body.monthlyWagesFen, annualLeave: body.annualLeave ?? null };
        const chosen = body.ground ?? (await presentSettlement(m, row, now)).ground.key;
        await saveSettlementInput(m, row.id, { ...input, ground: chosen }, actor.userid, now);
        // The last-day run recorded whether compensation is owed from the case basis; HR's ground decides from now on.
        await m.query(`UPDATE settlement SET compensation_owed = $2 WHERE case_id = $1`, [row.id, COMPENSATION_GROUNDS[chosen].owed]);
        const statement = await presentSettlement(m, row, now);
        await appendDossier(m, row.id, now, "settlement_computed", { type: "hr", id: actor.userid }, {
          ground: chosen,
          monthlyWagesFen: body.monthlyWagesFen,
          annualLeave: body.annualLeave ? { entitlementDays: body.annualLeave.entitlementDays, takenDays: body.annualLeave.takenDays } : null,
          localWages: statement.localWages ? { ...statement.localWages } : null,
          unusedLeaveFen: statement.unusedAnnualLeave?.amountFen ?? null,
          compensationFen: (statement.economicCompensation.owed ? statement.economicCompensation.amountFen : null) ?? null,
        });
        return statement;
      }),
    };
  });

  /** HR records that the personnel file and social insurance were transferred (LCL 50: within 15 days). */
  hr.post("/cases/:id/archive-transfer", deps.hrAuth, jsonBody(), validate(z.object({ id })), async (ctx) => {
    const actor = actorOf(ctx);
    const now = deps.clock.now();
    ctx.body = {
      settlement: await dataSource.transaction(async (m) => {
        const row = await getCase(m, (ctx.state.input as { id: string }).id, { lock: true });
        await authorizeCase(m, actor, "update", row);
        const updated = returnedRows(await m.query(
          `UPDATE settlement SET archive_transferred_at = $2 WHERE case_id = $1 AND archive_transfer_deadline IS NOT NULL AND archive_transferred_at IS NULL RETURNING case_id`,
          [row.id, now],
        ));
        if (updated.length === 0) throw new ConflictError("离职证明尚未开具或档案已转移，无法登记");
        await closeReminders(m, ReminderKinds.archiveTransfer, row.id, now);
        await appendDossier(m, row.id, now, "archive_transferred", { type: "hr", id: actor.userid }, { at: now.toISOString() });
        return presentSettlement(m, row, now);
      }),
    };
  });

  hr.get("/branches/:branchId/local-wages", deps.hrAuth, validate(branchSchema), async (ctx) => {
    const { branchId } = ctx.state.input as z.infer<typeof branchSchema>;
    const m = dataSource.manager;
    await authorizeBranch(m, actorOf(ctx), "read", branchId);
    ctx.body = {
      branchId,
      standards: (await listLocalWages(m, branchId)).map((w) => ({
        year: w.year,
        city: w.city,
        averageMonthlyWageFen: w.averageMonthlyWageFen,
        minimumMonthlyWageFen: w.minimumMonthlyWageFen,
        averageMonthlyWage: yuan(w.averageMonthlyWageFen),
        minimumMonthlyWage: yuan(w.minimumMonthlyWageFen),
        source: w.source,
        updatedAt: w.updatedAt.toISOString(),
      })),
    };
  });

  hr.put("/branches/:branchId/local-wages/:year", deps.hrAuth, jsonBody(), validate(wageSchema), async (ctx) => {
    const w = ctx.state.input as z.infer<typeof wageSchema>;
    const actor = actorOf(ctx);
    await dataSource.transaction(async (m) => {
      await authorizeBranch(m, actor, "update", w.branchId);
      await saveLocalWage(m, { departmentId: w.branchId, year: w.year, city: w.city, averageMonthlyWageFen: w.averageMonthlyWageFen, minimumMonthlyWageFen: w.minimumMonthlyWageFen, source: w.source }, actor.userid, deps.clock.now());
    });
    ctx.body = {
      branchId: w.branchId,
      year: w.year,
      message: `${w.city}${w.year}年标准已保存：职工月平均工资 ${yuan(w.averageMonthlyWageFen)}（三倍封顶线 ${yuan(w.averageMonthlyWageFen * 3)}），最低月工资 ${yuan(w.minimumMonthlyWageFen)}。`,
    };
  });

  const mp = new Router({ prefix: "/api/mp" });
  mp.get("/resignations/:id/settlement", deps.mpAuth, validate(z.object({ id })), async (ctx) => {
    const m = dataSource.manager;
    const row = await getCase(m, (ctx.state.input as { id: string }).id);
    if (row.employeeUserid !== actorOf(ctx).userid) throw new AuthorizationError("只能查看本人的离职结算");
    ctx.body = { settlement: await presentSettlement(m, row, deps.clock.now()) };
  });
  return [hr, mp];
}
