import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import type { Actor } from "../../org";
import { loadBranch } from "../../org";
import { AuthorizationError, ConflictError } from "../../platform/errors";
import { returnedRows } from "../../platform/db/returnedRows";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { closeReminders } from "../../schedules";
import { authorizeCase, loadAuthorizedCase } from "../commands/caseAccess";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { currentGround, presentSettlement } from "../presenters/settlementPresenter";
import { ReminderKinds } from "../reminders/resignationReminders";
import { COMPENSATION_GROUNDS, yuan, type CompensationGround } from "../rules/settlement";
import { getCase } from "../store/caseStore";
import { listLocalWages, saveLocalWage, saveSettlementInput } from "../store/settlementStore";

const caseParams = z.object({ id: z.string().uuid("无效的编号") });
const fen = z.number({ error: "金额须为以分为单位的整数" }).int("金额以分为单位，须为整数").min(0, "金额不能为负数").max(100_000_000_00, "金额过大");
const ground = z.enum(Object.keys(COMPENSATION_GROUNDS) as [CompensationGround, ...CompensationGround[]]);
/**
 * HR's inputs. Each month's wage is the wage due with overtime included (compensation's month,
 * 实施条例 27); `monthlyOvertimeFen` is the overtime inside it, month by month, which unused-leave pay
 * leaves out (企业职工带薪年休假实施办法 11). Both are required: a missing overtime figure would
 * silently put overtime into the leave rate.
 */
const inputsSchema = z
  .object({
    ground: ground.optional(),
    monthlyWagesFen: z.array(fen, { error: "请按月填写离职前各月工资（以分为单位的数组）" }).min(1, "请填写离职前各月工资（至少一个月）").max(12, "最多填写离职前12个月"),
    monthlyOvertimeFen: z.array(fen, { error: "请按月填写各月工资中的加班工资（没有加班的月份填 0）" }).max(12, "最多填写离职前12个月"),
    annualLeave: z
      .object({
        entitlementDays: z.number({ error: "年休假天数须为整数" }).int("年休假天数须为整数").min(0, "年休假天数不能为负数").max(30, "年休假不超过30天"),
        takenDays: z.number({ error: "已休天数须为整数" }).int("已休天数须为整数").min(0, "已休天数不能为负数").max(30, "已休天数不超过30天"),
      }, { error: "年休假须填写应休天数和已休天数" })
      .nullable()
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.monthlyOvertimeFen.length !== b.monthlyWagesFen.length) {
      ctx.addIssue({
        code: "custom",
        path: ["monthlyOvertimeFen"],
        message: `各月加班工资须与各月工资一一对应：工资填了 ${b.monthlyWagesFen.length} 个月，加班工资填了 ${b.monthlyOvertimeFen.length} 个月（没有加班的月份填 0）`,
      });
      return;
    }
    b.monthlyOvertimeFen.forEach((o, i) => {
      const w = b.monthlyWagesFen[i]!;
      if (o > w) ctx.addIssue({ code: "custom", path: ["monthlyOvertimeFen", i], message: `第 ${i + 1} 个月的加班工资（${yuan(o)}）超过当月工资（${yuan(w)}）：工资应为含加班工资的应发工资` });
    });
  });
const branchSchema = z.object({ branchId: z.coerce.number().int().positive() });
const wageParams = branchSchema.extend({ year: z.coerce.number().int().min(2000).max(2100) });
const wageBody = z.object({
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
export function settlementRoutes(deps: ResignationDeps & { dataSource: DataSource; hrAuth: Guard<Actor>; mpAuth: Guard<Actor> }): Router[] {
  const { dataSource } = deps;
  const hr = new Router({ prefix: "/api/hr" });
  const hrRoute = routeChain(hr, { dataSource });
  const lockedCase = async ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { id: string } }) => {
    const row = await getCase(manager, params.id, { lock: true });
    await authorizeCase(manager, actor, "update", row);
    return row;
  };

  hrRoute.get("/cases/:id/settlement", {
    auth: deps.hrAuth,
    params: caseParams,
    load: ({ manager, actor, params }) => loadAuthorizedCase(manager, actor, params.id, "update"),
    handle: async ({ manager, resource }) => ({ settlement: await presentSettlement(manager, resource, deps.clock.now()) }),
  });

  hrRoute.put("/cases/:id/settlement-inputs", {
    auth: deps.hrAuth,
    params: caseParams,
    body: inputsSchema,
    transaction: true,
    load: lockedCase,
    handle: async ({ manager: m, actor, resource: row, body }) => {
      const now = deps.clock.now();
      if (row.state === "withdrawn") throw new ConflictError("该离职申请已撤回，无需结算");
      const input = { monthlyWagesFen: body.monthlyWagesFen, monthlyOvertimeFen: body.monthlyOvertimeFen, annualLeave: body.annualLeave ?? null };
      const chosen = body.ground ?? (await currentGround(m, row));
      await saveSettlementInput(m, row.id, { ...input, ground: chosen }, actor.userid, now);
      // The last-day run recorded whether compensation is owed from the case basis; HR's ground decides from now on.
      await m.query(`UPDATE settlement SET compensation_owed = $2 WHERE case_id = $1`, [row.id, COMPENSATION_GROUNDS[chosen].owed]);
      const statement = await presentSettlement(m, row, now);
      await appendDossier(m, row.id, now, "settlement_computed", { type: "hr", id: actor.userid }, {
        ground: chosen,
        monthlyWagesFen: body.monthlyWagesFen,
        monthlyOvertimeFen: body.monthlyOvertimeFen,
        annualLeave: body.annualLeave ? { entitlementDays: body.annualLeave.entitlementDays, takenDays: body.annualLeave.takenDays } : null,
        localWages: statement.localWages ? { ...statement.localWages } : null,
        unusedLeaveFen: statement.unusedAnnualLeave?.amountFen ?? null,
        compensationFen: (statement.economicCompensation.owed ? statement.economicCompensation.amountFen : null) ?? null,
      });
      return { settlement: statement };
    },
  });

  /** HR records that the personnel file and social insurance were transferred (LCL 50: within 15 days). */
  hrRoute.post("/cases/:id/archive-transfer", {
    auth: deps.hrAuth,
    params: caseParams,
    transaction: true,
    load: lockedCase,
    handle: async ({ manager: m, actor, resource: row }) => {
      const now = deps.clock.now();
      const updated = returnedRows(await m.query(
        `UPDATE settlement SET archive_transferred_at = $2 WHERE case_id = $1 AND archive_transfer_deadline IS NOT NULL AND archive_transferred_at IS NULL RETURNING case_id`,
        [row.id, now],
      ));
      if (updated.length === 0) throw new ConflictError("离职证明尚未开具或档案已转移，无法登记");
      await closeReminders(m, ReminderKinds.archiveTransfer, row.id, now);
      await appendDossier(m, row.id, now, "archive_transferred", { type: "hr", id: actor.userid }, { at: now.toISOString() });
      return { settlement: await presentSettlement(m, row, now) };
    },
  });

  hrRoute.get("/branches/:branchId/local-wages", {
    auth: deps.hrAuth,
    params: branchSchema,
    load: loadBranch("read"),
    handle: async ({ manager: m, resource }) => ({
      branchId: resource.branchId,
      standards: (await listLocalWages(m, resource.branchId)).map((w) => ({
        year: w.year,
        city: w.city,
        averageMonthlyWageFen: w.averageMonthlyWageFen,
        minimumMonthlyWageFen: w.minimumMonthlyWageFen,
        averageMonthlyWage: yuan(w.averageMonthlyWageFen),
        minimumMonthlyWage: yuan(w.minimumMonthlyWageFen),
        source: w.source,
        updatedAt: w.updatedAt.toISOString(),
      })),
    }),
  });

  hrRoute.put("/branches/:branchId/local-wages/:year", {
    auth: deps.hrAuth,
    params: wageParams,
    body: wageBody,
    transaction: true,
    load: loadBranch("update"),
    handle: async ({ manager: m, actor, params, body: w }) => {
      await saveLocalWage(m, { departmentId: params.branchId, year: params.year, city: w.city, averageMonthlyWageFen: w.averageMonthlyWageFen, minimumMonthlyWageFen: w.minimumMonthlyWageFen, source: w.source }, actor.userid, deps.clock.now());
      return {
        branchId: params.branchId,
        year: params.year,
        message: `${w.city}${params.year}年标准已保存：职工月平均工资 ${yuan(w.averageMonthlyWageFen)}（三倍封顶线 ${yuan(w.averageMonthlyWageFen * 3)}），最低月工资 ${yuan(w.minimumMonthlyWageFen)}。`,
      };
    },
  });

  const mp = new Router({ prefix: "/api/mp" });
  routeChain(mp, { dataSource }).get("/resignations/:id/settlement", {
    auth: deps.mpAuth,
    params: caseParams,
    // The leaver's own case only.
    load: async ({ manager, actor, params }) => {
      const row = await getCase(manager, params.id);
      if (row.employeeUserid !== actor.userid) throw new AuthorizationError("只能查看本人的离职结算");
      return row;
    },
    handle: async ({ manager, resource }) => ({ settlement: await presentSettlement(manager, resource, deps.clock.now()) }),
  });
  return [hr, mp];
}
