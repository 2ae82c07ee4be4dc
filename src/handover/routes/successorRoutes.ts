import Router from "@koa/router";
import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { transferBoard } from "../board/transferBoard";
import { handoverHealth, type HealthRuleSettings } from "../health/handoverHealth";
import { loadHealthRows } from "../health/healthStore";
import { STATE_LABELS } from "../health/retentionSummary";
import { nothing } from "../../org";

/**
 * A successor's own page: every parent and group planned for or handed to the
 * caller, where each transfer stands, what the caller owes (a refused parent
 * to invite again) and, once handed over, how the parent is doing. The
 * resource is the caller's own inheritance (no one else's can be asked for),
 * so nothing of the leaver's case is in it: only who the parent was with.
 */
export function successorRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; settingsFor(branchId: number | null): Promise<HealthRuleSettings> }): Router {
  const router = new Router({ prefix: "/api/handover" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  route.get("/inherited", {
    auth: deps.auth,
    handle: async ({ actor, manager }) => {
      const now = deps.clock.now();
      const [rows, health] = await Promise.all([transferBoard(manager, { successor: actor.userid }), loadHealthRows(manager, { reader: { scope: nothing, successorUserid: actor.userid } })]);
      const verdicts = new Map<string, { state: string; stateLabel: string; reason: string }>();
      // Only the caller's own inherited parents (the reader rule with no role scope).
      for (const h of health.filter((row) => row.successorUserid === actor.userid)) {
        const v = handoverHealth(h, now, await deps.settingsFor(h.branchId));
        verdicts.set(`${h.leaverUserid}\u0000${h.externalUserid}`, { state: v.state, stateLabel: STATE_LABELS[v.state], reason: v.reason });
      }
      return {
        data: rows.map((r) => ({
          ...r,
          at: r.at?.toISOString() ?? null,
          // The history with the parent opens once WeCom confirmed the transfer (记录继承, the archive's own rule).
          historyReadable: r.kind === "parent" && r.state === "done",
          health: r.kind === "parent" ? verdicts.get(`${r.leaverUserid}\u0000${r.id}`) ?? null : null,
        })),
      };
    },
  });
  return router;
}
