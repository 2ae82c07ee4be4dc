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

/** A branch's own reminder policy as stored, or undefined when it inherits one (from above, or the default). */
export async function ownReminderPolicy(manager: EntityManager, departmentId: number): Promise<ReminderPolicy | undefined> {
  const rows: { value: unknown }[] = await manager.query(`SELECT value FROM app_setting WHERE key = 'reminder_policy' AND scope = $1`, [`department:${departmentId}`]);
  const parsed = rows[0] ? reminderPolicySchema.safeParse(rows[0].value) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

/** Sets a branch's policy; reminders opened from now on (and due dates computed by the sweep) follow it. */
export async function saveReminderPolicy(manager: EntityManager, departmentId: number, policy: ReminderPolicy, updatedBy: string, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO app_setting (key, scope, value, updated_at, updated_by) VALUES ('reminder_policy', $1, $2, $3, $4)
     ON CONFLICT (key, scope) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [`department:${departmentId}`, JSON.stringify(reminderPolicySchema.parse(policy)), now, updatedBy],
  );
}
