import type { DataSource } from "typeorm";
import { fromInstant } from "../../platform/localDate";
import type { ResignationDeps } from "../deps";
import { appendDossier } from "../../dossier";
import { issueCertificate } from "../commands/issueCertificate";
import { COMPENSATION_GROUNDS, FINAL_WAGES_NOTE, economicCompensationOwed } from "../rules/settlement";
import { loadSettlementInput } from "../store/settlementStore";
import { transition } from "../rules/caseStateMachine";
import { casesDueForLastDay, getCase, updateCase } from "../store/caseStore";
import { staffName } from "../store/orgContext";
import { casesWithPendingSteps, runLastDaySteps, type LastDayStepPorts, type StepName } from "./lastDaySteps";

export interface LastDayRun {
  moved: string[];
  failed: { caseId: string; error: string }[];
  /** Cases whose last-day steps wait (for the account-disable hour, or a drain held by another instance). */
  waiting: { caseId: string; step: StepName; until?: string }[];
}

/**
 * For every signed case whose last day has come (China date of `now`): the
 * employment ends whatever the approvals and handover say; final wages are
 * released; compensation, if owed, waits for the handover; the certificate
 * is issued and delivered; the person joins the alumni pool. One
 * transaction per step and case so one bad record never holds up the others.
 * Idempotent: a rerun finds nothing left to do.
 */
export async function runLastDayTransitions(dataSource: DataSource, deps: ResignationDeps): Promise<LastDayRun> {
  const now = deps.clock.now();
  const today = fromInstant(now);
  const run: LastDayRun = { moved: [], failed: [], waiting: [] };
  for (const caseId of await casesDueForLastDay(dataSource.manager, today)) {
    try {
      await dataSource.transaction(async (m) => {
        let row = await getCase(m, caseId, { lock: true });
        const system = { type: "system", id: "last-day" };
        if (row.state !== "last_day_reached") {
          row = await updateCase(m, row, { state: transition(row.state, "last_day"), resumeState: null }, now);
          // Open cards stop counting: approvals never outlive the employment.
          await m.query(`UPDATE approval_step SET decision = 'waiting' WHERE case_id = $1 AND decision = 'pending'`, [caseId]);
          // HR's stated ground (settlement inputs) wins over the one the case basis implies.
          const input = await loadSettlementInput(m, caseId);
          const owed = input ? COMPENSATION_GROUNDS[input.ground].owed : economicCompensationOwed(row.basis, row.mutualAgreement?.proposedBy);
          await m.query(
            `INSERT INTO settlement (case_id, plan, final_wages_released_at, compensation_owed) VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id) DO UPDATE SET final_wages_released_at = EXCLUDED.final_wages_released_at, compensation_owed = EXCLUDED.compensation_owed`,
            [caseId, JSON.stringify({ finalWages: { dueOn: row.lastDay, waitsForHandover: false, note: FINAL_WAGES_NOTE }, compensation: { owed, waitsForHandover: owed } }), now, owed],
          );
          await appendDossier(m, caseId, now, "last_day_reached", system, { lastDay: row.lastDay });
          await appendDossier(m, caseId, now, "final_wages_released", system, { dueOn: row.lastDay, waitsForHandover: false, compensationOwed: owed });
          await m.query(
            `INSERT INTO alumni (userid, case_id, name, position, department_id, reason_category, left_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (userid) DO UPDATE SET case_id = EXCLUDED.case_id, position = EXCLUDED.position, department_id = EXCLUDED.department_id,
               reason_category = EXCLUDED.reason_category, left_on = EXCLUDED.left_on`,
            [row.employeeUserid, caseId, await staffName(m, row.employeeUserid), row.position, row.departmentId, row.reasonCategory, row.lastDay],
          );
          // The exit interview's rehire recommendation, if one was recorded, is the pool's flag.
          await m.query(
            `UPDATE alumni a SET rehire_eligible = (e.rehire_recommendation <> 'not_recommended') FROM exit_interview e
             WHERE e.case_id = $1 AND a.userid = $2 AND e.rehire_recommendation IS NOT NULL`,
            [caseId, row.employeeUserid],
          );
        }
      });
      // Drain, disable at the branch's hour, then transfers; each step once. The reassignment is idempotent
      // (a plan per leaver), so a rerun after a failure here is safe.
      const [c] = await dataSource.query(`SELECT employee_userid, to_char(last_day, 'YYYY-MM-DD') AS last_day FROM resignation_case WHERE id = $1`, [caseId]);
      const steps = await runLastDaySteps(dataSource, stepPorts(deps), deps.clock, { caseId, userid: c.employee_userid, lastDay: c.last_day });
      if (steps.status === "waiting") run.waiting.push({ caseId, step: steps.step, ...(steps.until ? { until: steps.until } : {}) });
      // Separately, so a certificate that cannot be built yet (missing hire date) leaves the last day recorded and is retried next run.
      await dataSource.transaction(async (m) => {
        const row = await getCase(m, caseId, { lock: true });
        if (row.state === "last_day_reached") await issueCertificate(m, deps, row);
      });
      run.moved.push(caseId);
    } catch (err) {
      deps.logger.error({ err, caseId }, "last-day transition failed");
      run.failed.push({ caseId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  // Sequences started earlier that were waiting (the disable hour, a drain held elsewhere).
  for (const pending of await casesWithPendingSteps(dataSource, today)) {
    if (run.moved.includes(pending.caseId)) continue;
    try {
      const steps = await runLastDaySteps(dataSource, stepPorts(deps), deps.clock, pending);
      if (steps.status === "waiting") run.waiting.push({ caseId: pending.caseId, step: steps.step, ...(steps.until ? { until: steps.until } : {}) });
    } catch (err) {
      deps.logger.error({ err, caseId: pending.caseId }, "last-day step failed");
      run.failed.push({ caseId: pending.caseId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (run.moved.length > 0) deps.wakeOutbox();
  return run;
}

function stepPorts(deps: ResignationDeps): LastDayStepPorts {
  return { ...deps.lastDaySteps };
}
