import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import type { Actor } from "../org";
import { can, displayNames, loadCompanySettings } from "../org";
import type { Clock } from "../platform/clock";
import type { Guard } from "../platform/http/guard";
import { jsonBody } from "../platform/http/jsonBody";
import { routeChain } from "../platform/http/route";
import { loadedYears, loadWorkingCalendar, saveCalendarYear } from "./calendarStore";
import { nextYearMissingWarning } from "./coverageWarning";
import { fromInstant, yearOf } from "../platform/localDate";
import { parseOfficialArrangement } from "./officialArrangement";
import type { CalendarYearOverride } from "./workingDays";
import { formatChinaTime } from "./zonedTime";

const ONLY_HQ = "只有集团管理员可以录入或更新法定节假日安排（它影响所有校区的期限）";

function sameArrangement(a: CalendarYearOverride, b: CalendarYearOverride): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && [...x].sort().every((d, i) => d === [...y].sort()[i]);
  return same(a.holidays, b.holidays) && same(a.makeUpWorkdays, b.makeUpWorkdays) && (a.source ?? "") === (b.source ?? "");
}

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
    load: loadCompanySettings("read", "只有人事、校长和集团管理员可以查看法定节假日安排"),
    handle: async ({ manager, actor }) => {
      const calendar = await loadWorkingCalendar(manager);
      const loaded = new Map((await loadedYears(manager)).map((y) => [y.year, y]));
      const today = fromInstant(deps.clock.now());
      const warning = nextYearMissingWarning(today, calendar.coveredYears());
      const names = await displayNames(manager, [...loaded.values()].map((l) => l.loadedBy));
      const next = yearOf(today) + 1;
      return {
        years: calendar.coveredYears().map((year) => {
          const l = loaded.get(year);
          return l
            ? {
                year, source: "loaded", label: "已录入官方安排", document: l.source, holidays: l.holidays.length, makeUpWorkdays: l.makeUpWorkdays.length,
                loadedBy: l.loadedBy, loadedByName: names.get(l.loadedBy) ?? "管理员", loadedAt: l.loadedAt.toISOString(), loadedAtText: formatChinaTime(l.loadedAt),
              }
            : { year, source: "package", label: "系统内置日历" };
        }),
        // Next year's state in words, before 1 November too (the warning itself starts then).
        nextYear: { year: next, covered: calendar.coveredYears().includes(next) },
        warning: warning?.message ?? null,
        mayLoad: can(actor, "update", { kind: "company_settings" }),
      };
    },
  });

  // The year file is parsed and validated by parseOfficialArrangement (every date once, make-up days on weekends):
  // JSON, or text (text/plain: JSON or the notice's days as lines, e.g. from the console).
  route.put("/years/:calendarYear", {
    auth: deps.auth,
    params: yearSchema,
    body: z.unknown(),
    bodyParser: jsonBody("512kb"),
    // A text body is one string (the whole notice); JSON strings stay bounded by the schemas.
    limits: { body: 200_000 },
    transaction: true,
    load: loadCompanySettings("update", ONLY_HQ),
    handle: async ({ manager, actor, params, body, ctx }) => {
      const year = params.calendarYear;
      const arrangement = parseOfficialArrangement(body, year);
      const now = deps.clock.now();
      const before = (await loadedYears(manager)).find((y) => y.year === year);
      if (before && sameArrangement(before, arrangement)) {
        // A replayed upload: nothing is rewritten and no deadline is recomputed.
        ctx.status = 200;
        ctx.body = { year, result: "unchanged", holidays: arrangement.holidays.length, makeUpWorkdays: arrangement.makeUpWorkdays.length, recomputedDeadlines: 0,
          message: `${year}年法定节假日安排与 ${formatChinaTime(before.loadedAt)} 录入的完全相同，未作改动。` };
        return;
      }
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
