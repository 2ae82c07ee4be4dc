import Router from "@koa/router";
import { koaBody } from "koa-body";
import type { DataSource } from "typeorm";
import { z } from "zod";
import type { Clock } from "../../platform/clock";
import { ValidationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { fromInstant } from "../../platform/localDate";
import type { Actor } from "../policies/actor";
import { scope } from "../policies/authorize";
import { loadAuthorizedStaff } from "../policies/staffAccess";
import { StaffDirectory } from "../directory/staffDirectory";
import { parseQualificationCsv, validateQualification } from "./qualificationCsv";
import { importQualifications, loadAuthorizedQualification, presentQualification, saveQualification } from "./qualificationCommands";
import { deleteQualification, listQualifications, qualificationsOf } from "./qualificationStore";

const staffParams = z.object({ userid: z.string().min(1).max(64) });
const idParams = z.object({ id: z.string().regex(/^\d{1,18}$/, "记录编号无效") });
/** The CSV as text; any other content type arrives as an empty object and is an empty file. */
const csvBody = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string());
/** One record as JSON; field rules (and their Chinese messages) are validateQualification's, shared with the CSV. */
const recordBody = z.object({
  kind: z.string().max(32),
  certificateName: z.string().max(80).optional(),
  certificateNo: z.string().max(80),
  subject: z.string().max(64).nullable().optional(),
  level: z.string().max(32).nullable().optional(),
  registeredOn: z.string().max(20).nullable().optional(),
  expiresOn: z.string().max(20).nullable().optional(),
});

const KIND_TEXT: Record<string, string> = { teacher_certificate: "教师资格证", other: "其他证书" };

/**
 * Teachers' qualifications: HR and campus heads of a branch read its teachers' records, a teacher reads their
 * own, only HR of the branch writes (one record, or a CSV all or nothing). Every write answers what it did.
 */
export function qualificationRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/admin" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/qualifications", {
    auth: deps.auth,
    list: "staff",
    handle: async ({ actor, manager }) => {
      const now = deps.clock.now();
      const records = await listQualifications(manager, scope(actor, "read", "staff"));
      const writable = scope(actor, "update", "staff");
      return { data: { records: records.map((r) => presentQualification(r, now)), canImport: writable.all || writable.departmentIds.length > 0, today: fromInstant(now) } };
    },
  });

  route.get("/staff/:userid/qualifications", {
    auth: deps.auth,
    params: staffParams,
    load: ({ manager, actor, params }) => loadAuthorizedStaff(manager, actor, "read", params.userid),
    handle: async ({ manager, resource }) => {
      const now = deps.clock.now();
      const staff = await new StaffDirectory(manager).find(resource.userid);
      return { data: { staffName: staff?.name ?? "", records: (await qualificationsOf(manager, resource.userid)).map((r) => presentQualification(r, now)) } };
    },
  });

  route.put("/staff/:userid/qualifications", {
    auth: deps.auth,
    params: staffParams,
    body: recordBody,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedStaff(manager, actor, "update", params.userid),
    handle: async ({ manager, actor, resource, body }) => {
      const now = deps.clock.now();
      const { input, problems } = validateQualification(
        { ...body, kind: KIND_TEXT[body.kind] ?? body.kind, subject: body.subject ?? undefined, level: body.level ?? undefined, registeredOn: body.registeredOn ?? undefined, expiresOn: body.expiresOn ?? undefined },
        fromInstant(now),
        null,
      );
      if (!input) throw new ValidationError(problems.map((p) => p.message).join("；"), problems);
      const outcome = await saveQualification(manager, actor, resource.userid, input, now);
      const staff = await new StaffDirectory(manager).find(resource.userid);
      const what = `${staff?.name ?? ""}的${input.name}（编号 ${input.certificateNo}）`;
      return { data: { outcome, message: outcome === "created" ? `已登记${what}` : outcome === "updated" ? `已更新${what}` : `${what}没有变化` } };
    },
  });

  route.delete("/qualifications/:id", {
    auth: deps.auth,
    params: idParams,
    transaction: true,
    // The record, authorized as a change of its teacher (HR of their branch).
    load: ({ manager, actor, params }) => loadAuthorizedQualification(manager, actor, params.id),
    handle: async ({ manager, resource }) => {
      await deleteQualification(manager, resource.id);
      return { data: { message: `已删除${resource.staffName}的${resource.name}（编号 ${resource.certificateNo}）` } };
    },
  });

  route.post("/qualifications/import", {
    auth: deps.auth,
    body: csvBody,
    bodyParser: koaBody({ text: true, textLimit: "5mb", json: false, multipart: false }),
    limits: { body: 5_000_000 },
    transaction: true,
    handle: async ({ actor, body, manager }) => {
      const now = deps.clock.now();
      const rows = parseQualificationCsv(body, fromInstant(now));
      const result = await importQualifications(manager, actor, rows, now);
      return { data: { ...result, message: `已导入 ${rows.length} 行：新增 ${result.created} 条，更新 ${result.updated} 条，未变化 ${result.unchanged} 条` } };
    },
  });
  return router;
}
