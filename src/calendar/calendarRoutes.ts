import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import type { Actor } from "../org";
import { loadCompanySettings } from "../org";
import type { Clock } from "../platform/clock";
import type { Guard } from "../platform/http/guard";
import { jsonBody } from "../platform/http/jsonBody";
import { routeChain } from "../platform/http/route";
import { loadedYears, loadWorkingCalendar, saveCalendarYear } from "./calendarStore";
import { nextYearMissingWarning } from "./coverageWarning";
import { fromInstant } from "../platform/localDate";
import { parseOfficialArrangement } from "./officialArrangement";

// Named apart from the file's own "year" field: a holiday-cn year file is loaded as is, and the chain refuses a
// body that repeats a path parameter's name.
const yearSchema = z.object({ calendarYear: z.coerce.number().int().min(1949).max(9999) });

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
  auth: Guard<Actor>;
  onYearLoaded?: (manager: EntityManager, year: number, now: Date) => Promise<{ recomputed: number }>;
  /** After a load committed (e.g. wake the outbox that tells people their new dates). */
  afterCommit?: () => void;
}): Router {
  const router = new Router({ prefix: "/api/admin/calendar" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  route.get("/", {
    auth: deps.auth,
    load: loadCompanySettings("read"),
    handle: async ({ manager }) => {
      const calendar = await loadWorkingCalendar(manager);
      const loaded = new Map((await loadedYears(manager)).map((y) => [y.year, y]));
      const warning = nextYearMissingWarning(fromInstant(deps.clock.now()), calendar.coveredYears());
      return {
        years: calendar.coveredYears().map((year) => {
          const l = loaded.get(year);
          return l
            ? { year, source: "loaded", label: "已录入官方安排", document: l.source, holidays: l.holidays.length, makeUpWorkdays: l.makeUpWorkdays.length, loadedBy: l.loadedBy, loadedAt: l.loadedAt.toISOString() }
            : { year, source: "package", label: "内置日历（chinese-days）" };
        }),
        warning: warning?.message ?? null,
      };
    },
  });

  // The year file is parsed and validated by parseOfficialArrangement (every date once, make-up days on weekends).
  route.put("/years/:calendarYear", {
    auth: deps.auth,
    params: yearSchema,
    body: z.unknown(),
    bodyParser: jsonBody("512kb"),
    transaction: true,
    load: loadCompanySettings("update"),
    handle: async ({ manager, actor, params, body, ctx }) => {
      const year = params.calendarYear;
      const arrangement = parseOfficialArrangement(body, year);
      const now = deps.clock.now();
      const result = await saveCalendarYear(manager, arrangement, actor.userid, now);
      const { recomputed } = deps.onYearLoaded ? await deps.onYearLoaded(manager, year, now) : { recomputed: 0 };
      ctx.status = result === "created" ? 201 : 200;
      ctx.body = {
        year,
        result,
        holidays: arrangement.holidays.length,
        makeUpWorkdays: arrangement.makeUpWorkdays.length,
        recomputedDeadlines: recomputed,
        message: `${year}年法定节假日安排已${result === "created" ? "录入" : "更新"}（放假 ${arrangement.holidays.length} 天，调休上班 ${arrangement.makeUpWorkdays.length} 天）${recomputed > 0 ? `，已重新计算 ${recomputed} 个签署期限` : ""}。`,
      };
    },
    committed: () => {
      deps.afterCommit?.();
      return undefined;
    },
  });
  return router;
}
