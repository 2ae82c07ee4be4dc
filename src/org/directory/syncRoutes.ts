import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { recordAccess } from "../accessLog";
import type { Actor } from "../policies/actor";
import { authorize } from "../policies/authorize";
import type { DirectorySyncReport } from "./syncDirectory";

/**
 * `POST /ops/sync/directory`: the directory sync now, instead of at the next six-hour slot (after adding
 * people in WeCom, or on a first try-out). The operator token or an HQ admin only (who may manage roles);
 * each run is in the access log with what it changed, and the answer says it in Chinese.
 */
export function directorySyncRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; sync: () => Promise<DirectorySyncReport> }): Router {
  const router = new Router({ prefix: "/ops/sync" });
  routeChain(router, { dataSource: deps.dataSource }).post("/directory", {
    auth: deps.auth,
    load: async ({ actor }: { actor: Actor }) => authorize(actor, "manage", { kind: "roles" }),
    handle: async ({ actor }) => {
      const report = await deps.sync();
      await recordAccess(deps.dataSource.manager, { actor, action: "run", resourceType: "directory_sync", resourceId: "all", detail: { ...report }, at: deps.clock.now() });
      return { data: report, message: directorySyncMessage(report) };
    },
  });
  return router;
}

export function directorySyncMessage(r: DirectorySyncReport): string {
  const changes = [
    r.membersMarkedLeft > 0 ? `${r.membersMarkedLeft} 人已标记为离职` : "",
    r.departmentsRemoved > 0 ? `${r.departmentsRemoved} 个部门已删除` : "",
    r.orphanDepartments.length > 0 ? `${r.orphanDepartments.length} 个部门的上级部门不可见，已跳过` : "",
  ].filter(Boolean);
  return `已从企业微信同步通讯录：${r.departments} 个部门、${r.members} 名成员${changes.length ? `；${changes.join("；")}` : ""}。`;
}
