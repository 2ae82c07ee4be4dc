import type { DataSource, EntityManager } from "typeorm";
import { branchHr } from "../../org";
import { enqueueNotification } from "../notifier/alertOutbox";
import { StaffDirectory } from "../../org";
import { ConflictError } from "../../platform/errors";
import { LEAVER_RULE_KEY } from "../intercept/interceptRuleSync";
import { leaverRuleName, parseLockdownSettings, parseLockdownSettingsForSave, type LockdownSettings } from "./lockdownSettings";

export interface BranchLockdown {
  branchId: number;
  settings: LockdownSettings;
  version: number;
  /** Why WeCom refused the branch's leaver rule at the last attempt (in Chinese, for HR), until a pass succeeds. */
  ruleProblem?: { message: string; since: Date };
}

export async function loadAllLockdownSettings(m: EntityManager): Promise<Map<number, BranchLockdown>> {
  const rows: { branch_id: number; settings: unknown; version: number; rule_problem: string | null; rule_problem_at: Date | null }[] = await m.query(
    `SELECT branch_id, settings, version, rule_problem, rule_problem_at FROM leaver_lockdown_settings`,
  );
  return new Map(
    rows.map((r) => [
      r.branch_id,
      { branchId: r.branch_id, settings: parseLockdownSettings(r.settings), version: r.version, ...(r.rule_problem ? { ruleProblem: { message: r.rule_problem, since: r.rule_problem_at! } } : {}) },
    ]),
  );
}

/**
 * WeCom refused the branch's leaver rule (its name is taken): kept on the
 * branch's settings, and the branch's HR messaged when the refusal is new
 * or says something else (not on every retry).
 */
export async function recordRuleProblem(dataSource: DataSource, branchId: number, branchName: string, message: string, now: Date): Promise<void> {
  await dataSource.transaction(async (m) => {
    // An UPDATE answers [rows, affected count] through TypeORM.
    const [, changed]: [unknown[], number] = await m.query(
      `UPDATE leaver_lockdown_settings SET rule_problem = $2, rule_problem_at = $3 WHERE branch_id = $1 AND rule_problem IS DISTINCT FROM $2`,
      [branchId, message, now],
    );
    if (changed === 0) return;
    const hr = await branchHr(m, branchId);
    if (hr.length === 0) return;
    const content = `【离职管控未生效】${branchName || "本校区"}的离职人员拦截规则没有加到企业微信：${message}。在此之前，离职人员发给家长的手机号、微信号不会被手机拦下（仍会预警）。请到控制台「设置」修改离职管控的拦截规则名称。`;
    await enqueueNotification(m, { alertId: null, purpose: "lockdown", payload: { type: "text", touser: hr, content } }, now);
  });
}

export async function clearRuleProblem(dataSource: DataSource, branchId: number): Promise<void> {
  await dataSource.query(`UPDATE leaver_lockdown_settings SET rule_problem = NULL, rule_problem_at = NULL WHERE branch_id = $1`, [branchId]);
}

export async function saveLockdownSettings(m: EntityManager, branchId: number, input: unknown, updatedBy: string, now: Date): Promise<BranchLockdown> {
  const settings = parseLockdownSettingsForSave(input);
  await refuseTakenRuleName(m, branchId, settings);
  const [row] = await m.query(
    `INSERT INTO leaver_lockdown_settings (branch_id, settings, updated_by, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (branch_id) DO UPDATE SET settings = EXCLUDED.settings, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at,
       version = leaver_lockdown_settings.version + 1
     RETURNING version`,
    [branchId, JSON.stringify(settings), updatedBy, now],
  );
  return { branchId, settings, version: row.version };
}

/**
 * WeCom refuses a rule name another rule of the company holds (41077), so a
 * save that would give this branch's leaver rule the name of another
 * branch's leaver rule, or of a keyword rule we keep in WeCom, is refused
 * here with who holds it — before WeCom refuses it on a leaver's day.
 */
async function refuseTakenRuleName(m: EntityManager, branchId: number, settings: LockdownSettings): Promise<void> {
  if (!settings.enabled) return;
  const others = [...(await loadAllLockdownSettings(m)).values()].filter((b) => b.branchId !== branchId && b.settings.enabled);
  const keyword: { branch_id: number; name: string }[] = await m.query(
    `SELECT DISTINCT branch_id, payload->>'rule_name' AS name FROM alert_intercept_rule WHERE rule_id <> $1 AND payload IS NOT NULL`,
    [LEAVER_RULE_KEY],
  );
  const names = await new StaffDirectory(m).departmentNames([branchId, ...others.map((b) => b.branchId), ...keyword.map((k) => k.branch_id)]);
  const wanted = leaverRuleName(settings.rule.name, names.get(branchId) ?? "");
  const holder =
    others.filter((b) => leaverRuleName(b.settings.rule.name, names.get(b.branchId) ?? "") === wanted).map((b) => `${names.get(b.branchId) ?? "另一校区"}的离职管控`)[0] ??
    keyword.filter((k) => k.name === wanted).map((k) => `${names.get(k.branch_id) ?? "另一校区"}的风险规则`)[0];
  if (holder) {
    throw new ConflictError(`未保存：企业微信中的规则名称「${wanted}」已被${holder}使用，企业微信要求规则名称在企业内唯一，请换一个拦截规则名称`, [
      { path: "rule.name", message: `「${wanted}」已被${holder}使用` },
    ]);
  }
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
