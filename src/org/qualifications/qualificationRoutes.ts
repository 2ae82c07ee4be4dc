import Router from "@koa/router";
import { koaBody } from "koa-body";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import type { Clock } from "../../platform/clock";
import { ValidationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { fromInstant } from "../../platform/localDate";
import type { Actor } from "../policies/actor";
import { can, scope } from "../policies/authorize";
import { loadAuthorizedStaff } from "../policies/staffAccess";
import { StaffDirectory } from "../directory/staffDirectory";
import { changedFields, recordSummary } from "./qualificationChangeText";
import { parseQualificationCsv, validateQualification, type QualificationInput } from "./qualificationCsv";
import { editQualificationRecord, importQualifications, loadAuthorizedQualification, presentQualification, saveQualification } from "./qualificationCommands";
import { changesOf, deleteQualification, listQualifications, qualificationsOf, type QualificationChange } from "./qualificationStore";

/** A history line as people read it: who, when, and what changed, in words (never an account). */
function presentChange(c: QualificationChange): { at: string; byName: string; action: string; text: string } {
  const action = { created: "登记", updated: "修改", deleted: "删除" }[c.action];
  const text = c.action === "updated" ? changedFields(c.before!, c.after!).join("；") : recordSummary((c.after ?? c.before)!);
  return { at: c.changedAt.toISOString(), byName: c.changedByName, action, text };
}

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

/** A JSON record through the same field rules (and Chinese messages) as a CSV row; a 400 naming each bad field. */
function validRecord(body: z.infer<typeof recordBody>, now: Date): QualificationInput {
  const { input, problems } = validateQualification(
    { ...body, kind: KIND_TEXT[body.kind] ?? body.kind, subject: body.subject ?? undefined, level: body.level ?? undefined, registeredOn: body.registeredOn ?? undefined, expiresOn: body.expiresOn ?? undefined },
    fromInstant(now),
    null,
  );
  if (!input) throw new ValidationError(problems.map((p) => p.message).join("；"), problems);
  return input;
}

/**
 * Someone whose decisions depend on teachers' certificates (handover's successor choice) hears of every
 * change in the writing transaction, and answers sentences for the reply ("1 个交接方案的接替建议已更新…").
 */
export type CertificatesChanged = (manager: EntityManager, change: { staffUserids: string[]; now: Date }) => Promise<string[]>;

/**
 * Teachers' qualifications: HR and campus heads of a branch read its teachers' records, a teacher reads their
 * own, only HR of the branch writes (one record, or a CSV all or nothing). Every write answers what it did.
 */
export function qualificationRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; certificatesChanged?: CertificatesChanged }): Router {
  const router = new Router({ prefix: "/api/admin" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  const consequences = async (manager: EntityManager, staffUserids: string[], now: Date): Promise<string> => {
    const said = deps.certificatesChanged ? await deps.certificatesChanged(manager, { staffUserids, now }) : [];
    return said.map((s) => `；${s}`).join("");
  };

  route.get("/qualifications", {
    auth: deps.auth,
    list: "staff",
    handle: async ({ actor, manager }) => {
      const now = deps.clock.now();
      // A teacher without a reading role still reads their own records.
      const readable = scope(actor, "read", "staff");
      const records = await listQualifications(manager, readable, actor.userid);
      const writable = scope(actor, "update", "staff");
      return {
        data: {
          records: records.map((r) => presentQualification(r, now)),
          canImport: writable.all || writable.departmentIds.length > 0,
          readsOthers: readable.all || readable.departmentIds.length > 0,
          today: fromInstant(now),
        },
      };
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
      const input = validRecord(body, now);
      const outcome = await saveQualification(manager, actor, resource.userid, input, now);
      const staff = await new StaffDirectory(manager).find(resource.userid);
      const what = `${staff?.name ?? ""}的${input.name}（编号 ${input.certificateNo}）`;
      const after = outcome === "unchanged" ? "" : await consequences(manager, [resource.userid], now);
      return { data: { outcome, message: (outcome === "created" ? `已登记${what}` : outcome === "updated" ? `已更新${what}` : `${what}没有变化`) + after } };
    },
  });

  /** One record with its history (who changed what, when): HR and campus heads of the branch, and the teacher. */
  route.get("/qualifications/:id", {
    auth: deps.auth,
    params: idParams,
    load: ({ manager, actor, params }) => loadAuthorizedQualification(manager, actor, params.id, "read"),
    handle: async ({ manager, actor, resource }) => {
      const now = deps.clock.now();
      const changes = await changesOf(manager, resource.id);
      const canEdit = can(actor, "update", { kind: "staff", userid: resource.staffUserid, departmentPaths: await new StaffDirectory(manager).departmentPaths(resource.staffUserid) });
      return { data: { record: presentQualification(resource, now), canEdit, changes: changes.map(presentChange) } };
    },
  });

  /** HR edits one record in place; the answer names every field that changed. */
  route.put("/qualifications/:id", {
    auth: deps.auth,
    params: idParams,
    body: recordBody,
    transaction: true,
    load: ({ manager, actor, params }) => loadAuthorizedQualification(manager, actor, params.id),
    handle: async ({ manager, actor, resource, body }) => {
      const now = deps.clock.now();
      const done = await editQualificationRecord(manager, actor, resource, validRecord(body, now), now);
      const after = done.outcome === "unchanged" ? "" : await consequences(manager, [resource.staffUserid], now);
      return { data: { outcome: done.outcome, message: done.message + after } };
    },
  });

  route.delete("/qualifications/:id", {
    auth: deps.auth,
    params: idParams,
    transaction: true,
    // The record, authorized as a change of its teacher (HR of their branch).
    load: ({ manager, actor, params }) => loadAuthorizedQualification(manager, actor, params.id),
    handle: async ({ manager, actor, resource }) => {
      const now = deps.clock.now();
      await deleteQualification(manager, resource.id, actor.userid, now);
      const after = await consequences(manager, [resource.staffUserid], now);
      return { data: { message: `已删除${resource.staffName}的${resource.name}（编号 ${resource.certificateNo}）${after}` } };
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
      const after = result.created + result.updated > 0 ? await consequences(manager, [...new Set(rows.map((r) => r.userid))], now) : "";
      return { data: { ...result, message: `已导入 ${rows.length} 行：新增 ${result.created} 条，更新 ${result.updated} 条，未变化 ${result.unchanged} 条${after}` } };
    },
  });
  return router;
}
