import type { DataSource } from "typeorm";
import { loadWorkingCalendar } from "../../calendar";
import { nextYearMissingWarning } from "../../calendar";
import { fromInstant } from "../../platform/localDate";
import type { ResignationDeps } from "../deps";
import { enqueueMessage } from "../outbox/outbox";

/**
 * Daily from 1 November while next year's arrangement is missing: tell HR
 * and HQ (once per day, even with several instances or a restart — the day
 * warned is kept in app_setting and claimed under a row lock).
 */
export async function warnIfNextYearMissing(dataSource: DataSource, deps: ResignationDeps): Promise<{ warned: string[]; year: number } | null> {
  const now = deps.clock.now();
  const today = fromInstant(now);
  const result = await dataSource.transaction(async (m) => {
    const warning = nextYearMissingWarning(today, (await loadWorkingCalendar(m)).coveredYears());
    if (!warning) return null;
    await m.query(`INSERT INTO app_setting (key, scope, value, updated_at, updated_by) VALUES ('calendar_coverage_warned', 'global', '{}', $1, 'system') ON CONFLICT DO NOTHING`, [now]);
    const [row] = await m.query(`SELECT value FROM app_setting WHERE key = 'calendar_coverage_warned' AND scope = 'global' FOR UPDATE`);
    if (row?.value?.date === today) return null;
    const people: { userid: string }[] = await m.query(`SELECT DISTINCT userid FROM role_grant WHERE role IN ('hr','hq_admin') ORDER BY userid`);
    if (people.length > 0) {
      await enqueueMessage(m, null, "hr_notice", { type: "text", touser: people.map((p) => p.userid), content: warning.message }, now);
    }
    await m.query(`UPDATE app_setting SET value = $1, updated_at = $2 WHERE key = 'calendar_coverage_warned' AND scope = 'global'`, [JSON.stringify({ date: today, year: warning.year }), now]);
    return { warned: people.map((p) => p.userid), year: warning.year };
  });
  if (result && result.warned.length > 0) deps.wakeOutbox();
  return result;
}
