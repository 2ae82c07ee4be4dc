import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import type { Actor } from "../org/policies/actor";
import { authorize } from "../org/policies/authorize";
import type { Clock } from "../platform/clock";
import { jsonBody } from "../platform/http/jsonBody";
import { validate } from "../platform/http/validate";
import { loadedYears, loadWorkingCalendar, saveCalendarYear } from "./calendarStore";
import { nextYearMissingWarning } from "./coverageWarning";
import { fromInstant } from "./localDate";
import { parseOfficialArrangement } from "./officialArrangement";

const yearSchema = z.object({ year: z.coerce.number().int().min(1949).max(9999) });

/**
 * The official holiday arrangement per year: which years the service knows
 * (package or loaded), and loading a year — our JSON shape or a holiday-cn
 * year file as is (`curl -X PUT --data-binary @2027.json -H 'content-type:
 * application/json'`). HQ (or the operator token) only: it changes every
 * branch's deadlines. `onYearLoaded` runs in the same transaction so work
 * estimated on weekends only is recomputed with the real calendar at once.
 */
export function calendarRoutes(deps: {
  dataSource: DataSource;
  clock: Clock;
  auth: Middleware;
  onYearLoaded?: (manager: EntityManager, year: number, now: Date) => Promise<{ recomputed: number }>;
  /** After a load committed (e.g. wake the outbox that tells people their new dates). */
  afterCommit?: () => void;
}): Router {
  const router = new Router({ prefix: "/api/admin/calendar" });
  const actorOf = (ctx: Context) => ctx.state.actor as Actor;

  router.get("/", deps.auth, async (ctx) => {
    authorize(actorOf(ctx), "read", { kind: "company_settings" });
    const m = deps.dataSource.manager;
    const calendar = await loadWorkingCalendar(m);
    const loaded = new Map((await loadedYears(m)).map((y) => [y.year, y]));
    const warning = nextYearMissingWarning(fromInstant(deps.clock.now()), calendar.coveredYears());
    ctx.body = {
      years: calendar.coveredYears().map((year) => {
        const l = loaded.get(year);
        return l
          ? { year, source: "loaded", label: "已录入官方安排", document: l.source, holidays: l.holidays.length, makeUpWorkdays: l.makeUpWorkdays.length, loadedBy: l.loadedBy, loadedAt: l.loadedAt.toISOString() }
          : { year, source: "package", label: "内置日历（chinese-days）" };
      }),
      warning: warning?.message ?? null,
    };
  });

  router.put("/years/:year", deps.auth, jsonBody("512kb"), validate(yearSchema), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, "update", { kind: "company_settings" });
    const { year } = ctx.state.input as z.infer<typeof yearSchema>;
    const arrangement = parseOfficialArrangement((ctx.request as unknown as { body?: unknown }).body, year);
    const now = deps.clock.now();
    const { result, recomputed } = await deps.dataSource.transaction(async (m) => {
      const result = await saveCalendarYear(m, arrangement, actor.userid, now);
      const hook = deps.onYearLoaded ? await deps.onYearLoaded(m, year, now) : { recomputed: 0 };
      return { result, recomputed: hook.recomputed };
    });
    deps.afterCommit?.();
    ctx.status = result === "created" ? 201 : 200;
    ctx.body = {
      year,
      result,
      holidays: arrangement.holidays.length,
      makeUpWorkdays: arrangement.makeUpWorkdays.length,
      recomputedDeadlines: recomputed,
      message: `${year}年法定节假日安排已${result === "created" ? "录入" : "更新"}（放假 ${arrangement.holidays.length} 天，调休上班 ${arrangement.makeUpWorkdays.length} 天）${recomputed > 0 ? `，已重新计算 ${recomputed} 个签署期限` : ""}。`,
    };
  });
  return router;
}
