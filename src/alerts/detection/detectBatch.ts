import type { EntityManager } from "typeorm";
import type { Logger } from "../../platform/logger";
import type { Observation } from "../rules/observation";
import { initialRiskState, step } from "../rules/riskDetector";
import { branchFor, type BranchSettings } from "../store/branchSettings";
import { applyAlertUpdates, recordNewAlert } from "../store/alertStore";
import type { AlertUpdate } from "../rules/alert";
import { decodeRiskState, encodeRiskState, type StoredRiskState } from "./riskStateCodec";
import { loadStaffFacts } from "./staffContexts";

export interface DetectDeps {
  settings(): Promise<Map<number, BranchSettings>>;
  publicBaseUrl: string;
  logger: Logger;
}

export interface DetectOutcome {
  observed: number;
  newAlertIds: string[];
}

/**
 * Feeds observations (in order) through the pure rules inside the caller's
 * transaction: per-staff state is read FOR UPDATE (sorted, so two writers
 * never deadlock), alerts and notifications are written, and the state is
 * saved, all committing together.
 */
export async function detectBatch(m: EntityManager, observations: Observation[], deps: DetectDeps, now: Date): Promise<DetectOutcome> {
  const outcome: DetectOutcome = { observed: 0, newAlertIds: [] };
  if (observations.length === 0) return outcome;
  const staffIds = [...new Set(observations.map((o) => o.staffUserId))].sort();
  const [facts, settings] = await Promise.all([loadStaffFacts(m, staffIds), deps.settings()]);
  const governed = staffIds.filter((id) => {
    const f = facts.get(id);
    return f !== undefined && branchFor(f.path, settings) !== undefined;
  });
  if (governed.length === 0) return outcome;

  const rows: { staff_userid: string; state: StoredRiskState }[] = await m.query(
    `SELECT staff_userid, state FROM risk_staff_state WHERE staff_userid = ANY($1) ORDER BY staff_userid FOR UPDATE`,
    [governed],
  );
  const states = new Map(rows.map((r) => [r.staff_userid, decodeRiskState(r.state)]));
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

  if (touched.size > 0) {
    const ids = [...touched];
    // One JSON document, not an array of them: PostgreSQL parses a jsonb[] literal (every quote escaped) several
    // times slower than one jsonb value (measured: 100 states of 2.7 KB, 72–178 ms against 16–56 ms under load).
    await m.query(
      `INSERT INTO risk_staff_state (staff_userid, state, updated_at)
       SELECT s.staff_userid, s.state, $2 FROM jsonb_to_recordset($1::jsonb) AS s(staff_userid text, state jsonb)
       ON CONFLICT (staff_userid) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(ids.map((id) => ({ staff_userid: id, state: encodeRiskState(states.get(id)!) }))), now],
    );
  }
  if (outcome.newAlertIds.length > 0) deps.logger.info({ alertIds: outcome.newAlertIds }, "risk alerts raised");
  return outcome;
}
