import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { leaverRoute } from "./leaverRoute";
import { transferBoard } from "../board/transferBoard";
import { loadRosterSnapshot } from "../plan/rosterSnapshot";
import { successorRefusal } from "../rules/successor";

/**
 * What HR needs to act on a leaver's plan by name: the teachers who may
 * inherit (campus, subjects, current parent count) and the per-parent
 * transfer board. Same policy as the plan itself (HR over the leaver).
 */
export function handoverViewRoutes(deps: { dataSource: DataSource; auth: Guard<Actor>; clock: Clock }): Router {
  const router = new Router({ prefix: "/api/handover/reassignments/:leaver" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  const common = leaverRoute(deps.auth);

  /** Teachers who could inherit: everyone on the leaver's roster, eligible ones first, least loaded first. */
  route.get("/candidates", {
    ...common,
    handle: async ({ manager, resource }) => {
      const leaver = resource.userid;
      const parents: { item_id: string }[] = await manager.query(`SELECT item_id FROM reassignment_item WHERE leaver_userid = $1 AND kind = 'parent'`, [leaver]);
      const snapshot = await loadRosterSnapshot(manager, leaver, parents.map((p) => p.item_id), deps.clock.now());
      const facts: { userid: string; name: string; position: string | null; campus: string | null }[] = await manager.query(
        `SELECT s.userid, s.name, s.position, d.name AS campus FROM staff s LEFT JOIN department d ON d.id = s.main_department WHERE s.userid = ANY($1)`,
        [snapshot.roster.map((t) => t.userId)],
      );
      const byId = new Map(facts.map((f) => [f.userid, f]));
      const data = snapshot.roster
        .map((t) => {
          const refusal = successorRefusal(t.userId, snapshot);
          const f = byId.get(t.userId);
          return { userid: t.userId, name: f?.name ?? t.userId, campus: f?.campus ?? null, position: f?.position ?? null, subjects: t.subjects, parentCount: t.parentCount, eligible: !refusal, ...(refusal ? { refusal } : {}) };
        })
        .sort((a, b) => Number(b.eligible) - Number(a.eligible) || a.parentCount - b.parentCount || a.name.localeCompare(b.name, "zh-CN"));
      return { data };
    },
  });

  /** Per parent and group: done / waiting until … / refused / over limit / failed / not started, with the next step. */
  route.get("/board", {
    ...common,
    handle: async ({ manager, resource }) => ({ data: await transferBoard(manager, resource.userid) }),
  });
  return router;
}
