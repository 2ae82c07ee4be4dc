import Router from "@koa/router";
import type { DataSource } from "typeorm";
import { z } from "zod";
import { displayNames } from "../../org";
import type { Actor } from "../../org";
import { scope } from "../../org";
import type { Clock } from "../../platform/clock";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import type { HealthRuleSettings } from "../health/handoverHealth";
import { loadHealthRows } from "../health/healthStore";
import { percent, STATE_LABELS, summarizeRetention, type RetentionGroup } from "../health/retentionSummary";

const querySchema = z.object({ leaver: z.string().trim().min(1).max(64).optional() });
const ORDER = ["lost", "at_risk", "silent", "active"];

/**
 * Handover health for the console: retention 30 and 90 days after the
 * handover per leaver, campus and month, and every inherited parent's state
 * with its reason, by name. Scoped by the conversation policy's scope() as
 * every list is: HQ admins see everything, HR and campus heads their
 * subtree, anyone else only the parents they inherited themselves.
 */
export function healthRoutes(deps: { dataSource: DataSource; clock: Clock; auth: Guard<Actor>; settingsFor(branchId: number | null): Promise<HealthRuleSettings> }): Router {
  const router = new Router({ prefix: "/api/hr" });
  const route = routeChain(router, { dataSource: deps.dataSource });
  route.get("/handover-health", {
    auth: deps.auth,
    query: querySchema,
    list: "conversation",
    handle: async ({ actor, query, manager }) => {
      // The facts come from the chat archive, so the conversation policy decides: HQ everything, HR and campus heads
      // (read only: this API has no writes) their subtree, a successor the parents handed to them (its person rule).
      const readable = scope(actor, "read", "conversation");
      const rows = await loadHealthRows(manager, { leaverUserid: query.leaver, reader: { scope: readable, successorUserid: actor.userid } });
      const settings = new Map<number | null, HealthRuleSettings>();
      for (const b of new Set(rows.map((r) => r.branchId))) settings.set(b, await deps.settingsFor(b));
      const now = deps.clock.now();
      const summary = summarizeRetention(rows, now, (b) => settings.get(b)!);
      const branchIds = [...new Set(rows.map((r) => r.branchId).filter((b): b is number => b !== null))];
      const branchNames = new Map<string, string>(
        (await manager.query(`SELECT id, name FROM department WHERE id = ANY($1)`, [branchIds])).map((d: { id: number; name: string }) => [String(d.id), d.name]),
      );
      const names = await displayNames(manager, rows.flatMap((r) => [r.leaverUserid, r.successorUserid, r.externalUserid]));
      const label = (g: RetentionGroup, name: string) => ({ ...g, name, day30Text: percent(g.day30), day90Text: percent(g.day90) });
      return {
        asOf: now.toISOString(),
        /** No HQ, HR or campus scope: the reader sees only the parents they inherited (the console's "我接手的家长"). */
        personal: !readable.all && readable.departmentIds.length === 0,
        overall: label(summary.overall, "全部"),
        byLeaver: summary.byLeaver.map((g) => label(g, names.get(g.key) ?? "（未同步姓名）")),
        byCampus: summary.byCampus.map((g) => label(g, branchNames.get(g.key) ?? "未归属校区")),
        byMonth: summary.byMonth.map((g) => label(g, g.key)),
        parents: summary.parents
          .sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state))
          .map((p) => ({
            parentName: names.get(p.externalUserid) ?? "（未同步姓名）",
            successorName: names.get(p.successorUserid) ?? "（未同步姓名）",
            leaverName: names.get(p.leaverUserid) ?? "（未同步姓名）",
            campusName: branchNames.get(String(p.branchId ?? "")) ?? "未归属校区",
            handedOverAt: p.handedOverAt.toISOString(),
            state: p.state,
            stateLabel: STATE_LABELS[p.state],
            reason: p.reason,
          })),
      };
    },
  });
  return router;
}
