import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Actor } from "../org";
import { authorize, recordAccess } from "../org";
import type { Clock } from "../platform/clock";
import type { Guard } from "../platform/http/guard";
import { routeChain } from "../platform/http/route";

export interface ParentSyncReport {
  staff: number;
  relations: number;
  pages: number;
}

/**
 * `POST /ops/sync/parents`: every active member's parents read again from WeCom now, instead of on Sunday
 * night. The operator token or an HQ admin only; each run is in the access log with its counts, and the
 * answer says what it did in Chinese.
 */
export function parentSyncRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; resync: () => Promise<ParentSyncReport> }): Router {
  const router = new Router({ prefix: "/ops/sync" });
  routeChain(router, { dataSource: deps.dataSource }).post("/parents", {
    auth: deps.auth,
    load: async ({ actor }: { actor: Actor }) => authorize(actor, "manage", { kind: "roles" }),
    handle: async ({ actor }) => {
      const report = await deps.resync();
      await recordAccess(deps.dataSource.manager, { actor, action: "run", resourceType: "parent_sync", resourceId: "all", detail: { ...report }, at: deps.clock.now() });
      return { data: report, message: `已从企业微信同步家长关系：${report.staff} 名在职成员的 ${report.relations} 条家长跟进关系。` };
    },
  });
  return router;
}
