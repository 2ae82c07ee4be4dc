/**
 * The official working-day calendar (loadable per year) and China wall-time helpers.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { ARRANGEMENT_TEXT_EXAMPLE } from "./arrangementText";
export { calendarRoutes } from "./calendarRoutes";
export { loadWorkingCalendar } from "./calendarStore";
export { nextYearMissingWarning } from "./coverageWarning";
export { CalendarNotCovered, packageCalendar } from "./workingDays";
export type { WorkingCalendar } from "./workingDays";
export { formatChinaTime, fromWallTime, startOfDate, startOfLocalDay, toWallTime } from "./zonedTime";
