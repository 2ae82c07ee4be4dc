import type { EntityManager } from "typeorm";
import type { StaffContext } from "../rules/observation";
import { LOCK_RISK_STATE_ROWS, type LockedRiskStateRow } from "./riskStateStore";

/** What the detector needs about a staff member besides the rules: who they are, where, and whether they are leaving. */
export interface StaffFacts {
  context: StaffContext;
  /** Main department's path (root first), to find the branch settings. */
  path: number[];
  /** The open resignation case, whose dossier receives alerts about them. */
  openCaseId?: string;
}

type FactsRow = {
  userid: string;
  name: string;
  department_ids: number[];
  path: number[] | null;
  case_id: string | null;
  case_state: string | null;
  last_day: string | null;
};

/**
 * The most recent resignation that was not withdrawn sets the phase: open =
 * notice period (the rules switch to after_last_day themselves once the last
 * day is over), closed = left, so anything still sent from the account is
 * after the last day. $1 is the list of userids.
 */
const FACTS_COLUMNS = `s.userid, s.name, s.department_ids, d.path, c.id AS case_id, c.state AS case_state, to_char(c.last_day, 'YYYY-MM-DD') AS last_day`;
const FACTS_FROM = `staff s
       LEFT JOIN department d ON d.id = COALESCE(s.main_department, s.department_ids[1])
       LEFT JOIN LATERAL (
         SELECT id, state, last_day FROM resignation_case
          WHERE employee_userid = s.userid AND state <> 'withdrawn'
          ORDER BY created_at DESC LIMIT 1
       ) c ON true`;

/** One query for every staff member in a batch. */
export async function loadStaffFacts(m: EntityManager, userids: string[]): Promise<Map<string, StaffFacts>> {
  const rows: FactsRow[] = await m.query(`SELECT ${FACTS_COLUMNS} FROM ${FACTS_FROM} WHERE s.userid = ANY($1)`, [userids]);
  return toFacts(rows);
}

/**
 * The facts of a batch's staff and their risk state rows locked (in userid
 * order, as lockRiskStates takes them) in one statement: the first of the
 * detector's batch, one round trip instead of two (issue 20, alert latency).
 * A state row whose userid is not staff is left out: nobody governs it.
 */
export async function loadStaffFactsLockingRiskStates(
  m: EntityManager,
  userids: string[],
): Promise<{ facts: Map<string, StaffFacts>; riskStates: LockedRiskStateRow[] }> {
  // MATERIALIZED: the locking query runs as written (sorted, then locked), never merged into the join.
  const rows: (FactsRow & { version: string | null; window_ord: string | null })[] = await m.query(
    `WITH locked AS MATERIALIZED (${LOCK_RISK_STATE_ROWS})
     SELECT ${FACTS_COLUMNS}, l.version, l.window_ord
       FROM ${FACTS_FROM}
       LEFT JOIN locked l ON l.staff_userid = s.userid
      WHERE s.userid = ANY($1)`,
    [userids],
  );
  const riskStates = rows
    .filter((r) => r.version !== null)
    .map((r) => ({ staff_userid: r.userid, version: r.version!, window_ord: r.window_ord! }));
  return { facts: toFacts(rows), riskStates };
}

function toFacts(rows: FactsRow[]): Map<string, StaffFacts> {
  const facts = new Map<string, StaffFacts>();
  for (const r of rows) {
    const open = r.case_id !== null && r.case_state !== "closed";
    const context: StaffContext = {
      staffUserId: r.userid,
      name: r.name,
      departmentIds: r.department_ids,
      employmentPhase: r.case_id === null ? "active" : open ? "notice_period" : "after_last_day",
      ...(r.last_day ? { lastDay: r.last_day } : {}),
    };
    facts.set(r.userid, { context, path: r.path ?? [], ...(open ? { openCaseId: r.case_id! } : {}) });
  }
  return facts;
}
