import type { DataSource, EntityManager } from "typeorm";
import { toWallTime } from "../../calendar";
import { publishDomainEvent } from "../../platform/events/publishDomainEvent";
import type { JsonValue } from "../../dossier";
import { appendDossier } from "../../dossier";

/**
 * The leaver's last day, in this order (issue 21):
 * 1. a final drain of the chat archive, so the last messages are stored
 *    before access ends;
 * 2. the account disabled (user/update enable=0, or an IT task) at the
 *    branch's configured hour, China time — not before;
 * 3. the resigned transfers of parents and groups (WeCom's resigned
 *    endpoints expect the member gone): published as the domain event
 *    resignation.resigned_transfers_due, which handover acts on.
 * Each step is recorded once with its time (last_day_step and the dossier),
 * so a rerun continues where the previous one stopped and never repeats one.
 * Without a configured hour (no lockdown for the branch) step 2 is skipped.
 */
export interface LastDayStepPorts {
  /** Drains the whole archive; `done` is false when another instance held it or pages remain. */
  drainArchive?(): Promise<{ done: boolean; detail: Record<string, JsonValue> }>;
  /** The hour (0–23, China time) the leaver's branch disables accounts; undefined: the branch does not. */
  disableAtHour?(userid: string): Promise<number | undefined>;
  disableAccount?(userid: string, caseId: string): Promise<Record<string, JsonValue>>;
}

export type StepName = "archive_drained" | "account_disabled" | "resigned_transfers";
export type StepsOutcome = { status: "done" } | { status: "waiting"; step: StepName; until?: string };

const SYSTEM = { type: "system", id: "last-day" } as const;

/** Pure: may the account be disabled now? Only on or after the configured hour of the last day (or any later day). */
export function disableDue(now: Date, lastDay: string, hour: number): boolean {
  const w = toWallTime(now, "Asia/Shanghai");
  const today = `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
  return today > lastDay || (today === lastDay && w.hour >= hour);
}

async function doneSteps(dataSource: DataSource, caseId: string): Promise<Set<StepName>> {
  const rows: { step: StepName }[] = await dataSource.query(`SELECT step FROM last_day_step WHERE case_id = $1`, [caseId]);
  return new Set(rows.map((r) => r.step));
}

async function record(
  dataSource: DataSource,
  caseId: string,
  step: StepName,
  now: Date,
  detail: Record<string, JsonValue>,
  dossierKind: string,
  andThen?: (m: EntityManager) => Promise<void>,
): Promise<void> {
  await dataSource.transaction(async (m) => {
    const inserted = await m.query(
      `INSERT INTO last_day_step (case_id, step, done_at, detail) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING step`,
      [caseId, step, now, JSON.stringify(detail)],
    );
    if (inserted.length === 0) return;
    await appendDossier(m, caseId, now, dossierKind, SYSTEM, { ...detail, at: now.toISOString() });
    await andThen?.(m);
  });
}

export async function runLastDaySteps(
  dataSource: DataSource,
  ports: LastDayStepPorts,
  clock: { now(): Date },
  c: { caseId: string; userid: string; lastDay: string },
): Promise<StepsOutcome> {
  const done = await doneSteps(dataSource, c.caseId);
  const hour = ports.disableAccount ? await ports.disableAtHour?.(c.userid) : undefined;
  // The final drain belongs right before access ends: with a configured hour, wait for it first.
  if (hour !== undefined && !done.has("account_disabled") && !disableDue(clock.now(), c.lastDay, hour)) {
    return { status: "waiting", step: done.has("archive_drained") ? "account_disabled" : "archive_drained", until: `${c.lastDay} ${String(hour).padStart(2, "0")}:00` };
  }
  if (!done.has("archive_drained")) {
    const drained = ports.drainArchive ? await ports.drainArchive() : { done: true, detail: { skipped: "no_archive" } };
    if (!drained.done) return { status: "waiting", step: "archive_drained" };
    await record(dataSource, c.caseId, "archive_drained", clock.now(), drained.detail, "archive_final_drain");
  }
  if (!done.has("account_disabled") && hour !== undefined) {
    const outcome = await ports.disableAccount!(c.userid, c.caseId);
    await record(dataSource, c.caseId, "account_disabled", clock.now(), { ...outcome, configuredHour: hour }, "account_disabled_last_day");
  }
  if (!done.has("resigned_transfers")) {
    // Recorded and announced together: handover hears it once, whichever instance or rerun got here.
    const now = clock.now();
    await record(dataSource, c.caseId, "resigned_transfers", now, {}, "resigned_transfers_started", (m) =>
      publishDomainEvent(m, "resignation.resigned_transfers_due", { caseId: c.caseId, employeeUserid: c.userid }, now),
    );
  }
  return { status: "done" };
}

/**
 * Cases past their last day (within the last week) whose sequence has not
 * finished: waiting for the disable hour, or a drain another instance held.
 */
export async function casesWithPendingSteps(dataSource: DataSource, today: string): Promise<Array<{ caseId: string; userid: string; lastDay: string }>> {
  const rows: { id: string; employee_userid: string; last_day: string }[] = await dataSource.query(
    `SELECT c.id, c.employee_userid, to_char(c.last_day, 'YYYY-MM-DD') AS last_day FROM resignation_case c
      WHERE c.state IN ('last_day_reached', 'certificate_issued', 'closed') AND c.last_day <= $1::date AND c.last_day >= $1::date - 7
        AND NOT EXISTS (SELECT 1 FROM last_day_step s WHERE s.case_id = c.id AND s.step = 'resigned_transfers')
      ORDER BY c.last_day, c.id`,
    [today],
  );
  return rows.map((r) => ({ caseId: r.id, userid: r.employee_userid, lastDay: r.last_day }));
}
