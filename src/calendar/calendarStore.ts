import type { EntityManager } from "typeorm";
import { WorkingCalendar, type CalendarYearOverride } from "./workingDays";

/**
 * The working calendar as the service knows it now: the package's years plus
 * every year an operator loaded (a loaded year replaces the package's data
 * for that year). Built per computation, so a year loaded a minute ago is used.
 */
export async function loadWorkingCalendar(manager: EntityManager): Promise<WorkingCalendar> {
  return new WorkingCalendar(await loadedYears(manager));
}

export async function loadedYears(manager: EntityManager): Promise<(CalendarYearOverride & { loadedBy: string; loadedAt: Date })[]> {
  const rows: { year: number; holidays: string[]; make_up_workdays: string[]; source: string; loaded_by: string; loaded_at: Date }[] = await manager.query(
    `SELECT year, array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d) AS holidays,
            array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(make_up_workdays) d) AS make_up_workdays, source, loaded_by, loaded_at
     FROM calendar_year ORDER BY year`,
  );
  return rows.map((r) => ({ year: r.year, holidays: r.holidays, makeUpWorkdays: r.make_up_workdays, source: r.source, loadedBy: r.loaded_by, loadedAt: r.loaded_at }));
}

/** Stores a validated year (loading it again replaces it: corrections happen). */
export async function saveCalendarYear(manager: EntityManager, year: CalendarYearOverride, loadedBy: string, now: Date): Promise<"created" | "replaced"> {
  const rows: { inserted: boolean }[] = await manager.query(
    `INSERT INTO calendar_year (year, holidays, make_up_workdays, source, loaded_by, loaded_at) VALUES ($1, $2::date[], $3::date[], $4, $5, $6)
     ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, make_up_workdays = EXCLUDED.make_up_workdays, source = EXCLUDED.source,
       loaded_by = EXCLUDED.loaded_by, loaded_at = EXCLUDED.loaded_at
     RETURNING (xmax = 0) AS inserted`,
    [year.year, year.holidays, year.makeUpWorkdays, year.source ?? "", loadedBy, now],
  );
  return rows[0]?.inserted ? "created" : "replaced";
}
