import type { EntityManager } from "typeorm";
import type { Logger } from "../../platform/logger";
import type { Observation } from "../rules/observation";
import { initialRiskState, step } from "../rules/riskDetector";
import { branchFor, type BranchSettings } from "../store/branchSettings";
import { applyAlertUpdates, recordNewAlert } from "../store/alertStore";
import type { AlertUpdate } from "../rules/alert";
import type { RiskStateCache } from "./riskStateCache";
import { riskStatesAt, saveRiskStates } from "./riskStateStore";
import { loadStaffFactsLockingRiskStates } from "./staffContexts";

export interface DetectDeps {
  settings(): Promise<Map<number, BranchSettings>>;
  publicBaseUrl: string;
  logger: Logger;
  /** This process's copy of risk states (one per process: the archive consumer and contact events share it). */
  states: RiskStateCache;
}

export interface DetectOutcome {
  observed: number;
  newAlertIds: string[];
}

/**
 * Feeds observations (in order) through the pure rules inside the caller's
 * transaction: per-staff state is locked (read only where this process's
 * copy is stale), alerts and notifications are written, and the state is
 * saved, all committing together.
 */
export async function detectBatch(m: EntityManager, observations: Observation[], deps: DetectDeps, now: Date): Promise<DetectOutcome> {
  const outcome: DetectOutcome = { observed: 0, newAlertIds: [] };
  if (observations.length === 0) return outcome;
  const staffIds = [...new Set(observations.map((o) => o.staffUserId))].sort();
  // Every member's row is locked with the facts (one round trip); only the governed ones' states are used.
  const [{ facts, riskStates }, settings] = await Promise.all([loadStaffFactsLockingRiskStates(m, staffIds), deps.settings()]);
  const governed = staffIds.filter((id) => {
    const f = facts.get(id);
    return f !== undefined && branchFor(f.path, settings) !== undefined;
  });
  if (governed.length === 0) return outcome;

  const isGoverned = new Set(governed);
  const locked = await riskStatesAt(m, riskStates.filter((r) => isGoverned.has(r.staff_userid)), deps.states);
  const states = new Map(locked.states);
  const touched = new Set<string>();
  const updates: AlertUpdate[] = [];

  for (const obs of observations) {
    const staff = facts.get(obs.staffUserId);
    const branch = staff && branchFor(staff.path, settings);
    if (!staff || !branch) continue;
    const before = states.get(obs.staffUserId) ?? initialRiskState(obs.staffUserId);
    const result = step(before, obs, { config: branch.risk, staff: staff.context });
    states.set(obs.staffUserId, result.state);
    touched.add(obs.staffUserId);
    outcome.observed++;
    for (const draft of result.emitted) {
      const id = await recordNewAlert(m, draft, { branch, staff, publicBaseUrl: deps.publicBaseUrl }, now);
      if (id !== undefined) outcome.newAlertIds.push(id);
    }
    updates.push(...result.updated);
  }
  // After every new alert of the batch is inserted: an incident opened and grown in one batch gets its last snapshot.
  await applyAlertUpdates(m, updates);

  await saveRiskStates(m, locked, new Map([...touched].map((id) => [id, states.get(id)!])), deps.states, now);
  if (outcome.newAlertIds.length > 0) deps.logger.info({ alertIds: outcome.newAlertIds }, "risk alerts raised");
  return outcome;
}
