import Router from "@koa/router";
import type { Middleware } from "koa";
import type { DataSource } from "typeorm";
import { StaffDirectory } from "../../org/directory/staffDirectory";
import { authorize } from "../../org/policies/authorize";
import { validate } from "../../platform/http/validate";
import { transferBoard } from "../board/transferBoard";
import { loadRosterSnapshot } from "../plan/rosterSnapshot";
import { successorRefusal } from "../rules/successor";
import { leaverParams } from "./schema";

/**
 * What HR needs to act on a leaver's plan by name: the teachers who may
 * inherit (campus, subjects, current parent count) and the per-parent
 * transfer board. Same policy as the plan itself.
 */
export function handoverViewRoutes(deps: { dataSource: DataSource; auth: Middleware }): Router {
  const router = new Router({ prefix: "/api/handover/reassignments/:leaver" });
  const mayManage: Middleware = async (ctx, next) => {
    const leaver = (ctx as unknown as { params: { leaver: string } }).params.leaver;
    const departmentPaths = await new StaffDirectory(deps.dataSource.manager).departmentPaths(leaver);
    authorize(ctx.state.actor, "update", { kind: "staff", userid: leaver, departmentPaths });
    return next();
  };
  const leaverOf = (ctx: { state: { input: { leaver: string } } }) => ctx.state.input.leaver;

  /** Teachers who could inherit: everyone on the leaver's roster, eligible ones first, least loaded first. */
  router.get("/candidates", deps.auth, mayManage, validate(leaverParams), async (ctx) => {
    const leaver = leaverOf(ctx);
    const m = deps.dataSource.manager;
    const parents: { item_id: string }[] = await m.query(`SELECT item_id FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'parent'`, [leaver]);
    const snapshot = await loadRosterSnapshot(m, leaver, parents.map((p) => p.item_id));
    const ids = snapshot.roster.map((t) => t.userId);
    const facts: { userid: string; name: string; position: string | null; campus: string | null }[] = await m.query(
      `SELECT s.userid, s.name, s.position, d.name AS campus FROM staff s LEFT JOIN department d ON d.id = s.main_department WHERE s.userid = ANY($1)`,
      [ids],
    );
    const byId = new Map(facts.map((f) => [f.userid, f]));
    const data = snapshot.roster
      .map((t) => {
        const refusal = successorRefusal(t.userId, snapshot);
        const f = byId.get(t.userId);
        return { userid: t.userId, name: f?.name ?? t.userId, campus: f?.campus ?? null, position: f?.position ?? null, subjects: t.subjects, parentCount: t.parentCount, eligible: !refusal, ...(refusal ? { refusal } : {}) };
      })
      .sort((a, b) => Number(b.eligible) - Number(a.eligible) || a.parentCount - b.parentCount || a.name.localeCompare(b.name, "zh-CN"));
    ctx.body = { data };
  });

  /** Per parent and group: done / waiting until … / refused / over limit / failed / not started, with the next step. */
  router.get("/board", deps.auth, mayManage, validate(leaverParams), async (ctx) => {
    ctx.body = { data: await transferBoard(deps.dataSource.manager, leaverOf(ctx)) };
  });
  return router;
}
