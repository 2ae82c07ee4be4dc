import type { EntityManager } from "typeorm";
import { parseLockdownSettings, parseLockdownSettingsForSave, type LockdownSettings } from "./lockdownSettings";

export interface BranchLockdown {
  branchId: number;
  settings: LockdownSettings;
  version: number;
}

export async function loadAllLockdownSettings(m: EntityManager): Promise<Map<number, BranchLockdown>> {
  const rows: { branch_id: number; settings: unknown; version: number }[] = await m.query(`SELECT branch_id, settings, version FROM leaver_lockdown_settings`);
  return new Map(rows.map((r) => [r.branch_id, { branchId: r.branch_id, settings: parseLockdownSettings(r.settings), version: r.version }]));
}

export async function saveLockdownSettings(m: EntityManager, branchId: number, input: unknown, updatedBy: string, now: Date): Promise<BranchLockdown> {
  const settings = parseLockdownSettingsForSave(input);
  const [row] = await m.query(
    `INSERT INTO leaver_lockdown_settings (branch_id, settings, updated_by, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (branch_id) DO UPDATE SET settings = EXCLUDED.settings, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at,
       version = leaver_lockdown_settings.version + 1
     RETURNING version`,
    [branchId, JSON.stringify(settings), updatedBy, now],
  );
  return { branchId, settings, version: row.version };
}

/** The deepest branch on the person's department path that configured a lockdown. */
export function lockdownFor(path: number[], configured: ReadonlyMap<number, BranchLockdown>): BranchLockdown | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const s = configured.get(path[i]!);
    if (s) return s;
  }
  return undefined;
}

/** Campus heads whose subtree holds one of the person's departments. */
export async function campusHeadsOf(m: EntityManager, userid: string): Promise<string[]> {
  const rows: { userid: string }[] = await m.query(
    `SELECT DISTINCT g.userid FROM role_grant g
     WHERE g.role = 'campus_head' AND g.department_id IN (
       SELECT unnest(d.path) FROM staff s JOIN department d ON d.id = ANY (s.department_ids) WHERE s.userid = $1)
     ORDER BY g.userid`,
    [userid],
  );
  return rows.map((r) => r.userid);
}

/** Main department path of each person (root first). */
export async function departmentPathOf(m: EntityManager, userid: string): Promise<number[]> {
  const [row] = await m.query(
    `SELECT d.path FROM staff s JOIN department d ON d.id = COALESCE(s.main_department, s.department_ids[1]) WHERE s.userid = $1`,
    [userid],
  );
  return row?.path ?? [];
}

/** The successor-contact days that govern a campus (its own lockdown settings or the nearest above; defaults otherwise). */
export async function handoverSettingsForBranch(m: EntityManager, branchId: number | null): Promise<{ contactWithinDays: number; escalateAfterDays: number }> {
  const [row] = branchId === null ? [] : await m.query(`SELECT path FROM department WHERE id = $1`, [branchId]);
  const branch = lockdownFor(row?.path ?? [], await loadAllLockdownSettings(m));
  return (branch?.settings ?? parseLockdownSettings({})).handover;
}
