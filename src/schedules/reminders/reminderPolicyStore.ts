import type { EntityManager } from "typeorm";
import { z } from "zod";
import type { ReminderPolicy } from "../rules/reminderPolicy";

export const defaultReminderPolicy: ReminderPolicy = {
  firstAfterHours: 24,
  everyHours: 24,
  escalateAfter: 3,
  quietHours: { start: "21:00", end: "08:00", tz: "Asia/Shanghai" },
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const reminderPolicySchema = z.object({
  firstAfterHours: z.number().min(0).max(24 * 14),
  everyHours: z.number().positive().max(24 * 14),
  escalateAfter: z.number().int().min(1).max(50),
  quietHours: z.object({ start: hhmm, end: hhmm, tz: z.string().min(1) }),
});

/**
 * The policy of the nearest branch that set one (app_setting key
 * "reminder_policy", scope "department:<id>"), walking up the tree, then the
 * company-wide one, then the default. Quiet hours are per branch.
 */
export async function reminderPolicyFor(manager: EntityManager, departmentId: number | null): Promise<ReminderPolicy> {
  const rows: { scope: string; value: unknown }[] = await manager.query(
    `SELECT s.scope, s.value FROM app_setting s
     LEFT JOIN department d ON d.id = $1
     WHERE s.key = 'reminder_policy'
       AND (s.scope = 'global' OR s.scope = ANY (SELECT 'department:' || unnest(coalesce(d.path, '{}'::int[]))))`,
    [departmentId],
  );
  if (rows.length === 0) return defaultReminderPolicy;
  const path: number[] = departmentId === null ? [] : ((await manager.query(`SELECT path FROM department WHERE id = $1`, [departmentId]))[0]?.path ?? []);
  const rank = (scope: string) => (scope === "global" ? -1 : path.indexOf(Number(scope.slice("department:".length))));
  const nearest = rows.sort((a, b) => rank(b.scope) - rank(a.scope))[0]!;
  const parsed = reminderPolicySchema.safeParse(nearest.value);
  return parsed.success ? parsed.data : defaultReminderPolicy;
}
