import type { EntityManager } from "typeorm";
import type { Logger } from "../../platform/logger";
import { appendDossier } from "../../dossier";
import type { AddInterceptRuleRequest } from "../../wecom";
import { StaffDirectory } from "../../org";
import { InterceptRuleNameTakenError, LEAVER_RULE_KEY, syncBinding, type SyncDeps } from "../intercept/interceptRuleSync";
import { leaverRulePayload } from "./lockdownSettings";
import { clearRuleProblem, loadAllLockdownSettings, lockdownFor, recordRuleProblem } from "./lockdownStore";

/**
 * Case states in which the leaver is held in the branch's leaver intercept
 * rule: from the moment a resignation is registered by HR or signed, through
 * the last day and after it, until the account is disabled. A withdrawn case
 * (or one still waiting for the employee's signature) holds nobody.
 */
export const LOCKED_STATES = [
  "registered_by_hr", "notice_signed", "in_approval", "step_returned", "approved", "handover_in_progress",
  "handover_done", "withdrawal_requested", "last_day_reached", "certificate_issued", "closed",
] as const;

export type ReleaseReason = "withdrawn" | "account_disabled" | "not_configured";

export interface LockdownCandidate {
  userid: string;
  caseId: string;
  caseState: string;
  /** WeCom status: 1 active, 2 disabled, 4 not activated, 5 quit; null once the member is gone from the directory. */
  status: number | null;
  left: boolean;
  path: number[];
}

/** Pure: is this person held now, and if not, why. */
export function lockdownDecision(c: LockdownCandidate, configured: boolean): { locked: true } | { locked: false; reason: ReleaseReason } {
  if (c.left || c.status === 2 || c.status === 5 || c.status === null) return { locked: false, reason: "account_disabled" };
  if (!(LOCKED_STATES as readonly string[]).includes(c.caseState)) return { locked: false, reason: "withdrawn" };
  if (!configured) return { locked: false, reason: "not_configured" };
  return { locked: true };
}

async function candidates(m: EntityManager): Promise<LockdownCandidate[]> {
  // The latest case of each person decides; a person with a ledger row but no case any more is a candidate too.
  const rows: { userid: string; case_id: string; state: string; status: number | null; left_at: Date | null; path: number[] | null }[] = await m.query(
    `SELECT c.employee_userid AS userid, c.id AS case_id, c.state, s.status, s.left_at, d.path
       FROM (SELECT DISTINCT ON (employee_userid) employee_userid, id, state FROM resignation_case ORDER BY employee_userid, created_at DESC) c
       LEFT JOIN staff s ON s.userid = c.employee_userid
       LEFT JOIN department d ON d.id = COALESCE(s.main_department, s.department_ids[1])`,
  );
  return rows.map((r) => ({ userid: r.userid, caseId: r.case_id, caseState: r.state, status: r.status, left: r.left_at !== null, path: r.path ?? [] }));
}

export interface LockdownRun {
  locked: string[];
  released: Array<{ userid: string; reason: ReleaseReason }>;
  failedBranches: number[];
}

/**
 * Reconciles who is in each branch's leaver rule, WeCom first, then the
 * ledger and the dossier: a person is recorded as locked only once WeCom's
 * rule holds them, so the dossier never claims a lock the phone does not
 * enforce. Idempotent; runs after a notice is signed, registered or
 * withdrawn, on directory changes, and every few minutes.
 */
export async function syncLeaverLockdown(deps: SyncDeps & { logger: Logger }): Promise<LockdownRun> {
  const { dataSource, clock } = deps;
  const m = dataSource.manager;
  const configured = await loadAllLockdownSettings(m);
  const people = await candidates(m);
  const active: { userid: string; branch_id: number; case_id: string }[] = await m.query(
    `SELECT userid, branch_id, case_id FROM leaver_lockdown WHERE released_at IS NULL`,
  );
  const activeByUser = new Map(active.map((a) => [a.userid, a]));

  const wanted = new Map<number, Array<{ userid: string; caseId: string }>>();
  const releases = new Map<string, ReleaseReason>();
  for (const c of people) {
    const branch = lockdownFor(c.path, configured);
    const decision = lockdownDecision(c, branch?.settings.enabled === true);
    if (decision.locked) wanted.set(branch!.branchId, [...(wanted.get(branch!.branchId) ?? []), { userid: c.userid, caseId: c.caseId }]);
    else if (activeByUser.has(c.userid)) releases.set(c.userid, decision.reason);
  }
  const bound: { branch_id: number }[] = await m.query(`SELECT DISTINCT branch_id FROM alert_intercept_rule WHERE rule_id = $1`, [LEAVER_RULE_KEY]);
  const branches = new Set([...wanted.keys(), ...active.map((a) => a.branch_id), ...bound.map((b) => b.branch_id)]);

  const run: LockdownRun = { locked: [], released: [], failedBranches: [] };
  const branchNames = await new StaffDirectory(m).departmentNames([...branches]);
  for (const branchId of [...branches].sort((a, b) => a - b)) {
    const members = wanted.get(branchId) ?? [];
    const settings = configured.get(branchId)?.settings;
    const payload = settings ? (leaverRulePayload(settings, members.map((p) => p.userid), branchNames.get(branchId) ?? "") as AddInterceptRuleRequest | undefined) : undefined;
    let wecomRuleId: string | undefined;
    try {
      wecomRuleId = (await syncBinding(deps, { branchId, ruleId: LEAVER_RULE_KEY, part: 0 }, payload)).wecomRuleId;
    } catch (err) {
      if (err instanceof InterceptRuleNameTakenError) {
        // Only HR can mend this (another name, or the other rule removed): told once, shown on the settings page.
        await recordRuleProblem(dataSource, branchId, branchNames.get(branchId) ?? "", err.message, clock.now());
      }
      deps.logger.error({ err, branchId }, "leaver intercept rule sync failed; retried on the next run");
      run.failedBranches.push(branchId);
      continue;
    }
    if (configured.get(branchId)?.ruleProblem) await clearRuleProblem(dataSource, branchId);
    const now = clock.now();
    await dataSource.transaction(async (tx) => {
      for (const p of members) {
        if (activeByUser.get(p.userid)?.branch_id === branchId) continue;
        await tx.query(
          `INSERT INTO leaver_lockdown (userid, branch_id, case_id, locked_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (userid) DO UPDATE SET branch_id = EXCLUDED.branch_id, case_id = EXCLUDED.case_id, locked_at = EXCLUDED.locked_at,
             released_at = NULL, release_reason = NULL`,
          [p.userid, branchId, p.caseId, now],
        );
        await appendDossier(tx, p.caseId, now, "leaver_intercept_added", { type: "system", id: "leaver-lockdown" }, {
          ruleName: settings!.rule.name, mode: settings!.rule.mode, words: settings!.rule.words.length, semantics: settings!.rule.semantics, wecomRuleId: wecomRuleId ?? null,
        });
        run.locked.push(p.userid);
      }
      for (const a of active.filter((x) => x.branch_id === branchId)) {
        const reason = releases.get(a.userid) ?? (members.some((p) => p.userid === a.userid) ? undefined : "not_configured");
        if (!reason) continue;
        await tx.query(`UPDATE leaver_lockdown SET released_at = $2, release_reason = $3 WHERE userid = $1`, [a.userid, now, reason]);
        await appendDossier(tx, a.case_id, now, "leaver_intercept_removed", { type: "system", id: "leaver-lockdown" }, { reason, wecomRuleId: wecomRuleId ?? null });
        run.released.push({ userid: a.userid, reason });
      }
    });
  }
  return run;
}
