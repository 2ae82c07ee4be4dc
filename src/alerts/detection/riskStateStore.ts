import type { EntityManager } from "typeorm";
import type { StaffRiskState } from "../rules/riskDetector";
import type { RiskStateCache } from "./riskStateCache";
import { fromStored, toStoredHead, toWindowRow, type StoredRiskHead, type WindowMessageRow } from "./riskStateCodec";

/** Risk states of a batch's staff, locked until its transaction ends. */
export interface LockedRiskStates {
  /** Each member's state as locked; a member without a row has none. */
  states: ReadonlyMap<string, StaffRiskState>;
  /** The version of each row as locked. */
  versions: ReadonlyMap<string, string>;
  /** The last window position given out per member (orders window messages of the same second). */
  windowOrd: ReadonlyMap<string, number>;
}

/**
 * Another transaction made a member's first state between this batch's read and its write (the lock cannot
 * hold a row that does not exist yet). The batch must roll back and run again on the state that won.
 */
export class RiskStateConflict extends Error {
  constructor(readonly staffUserIds: string[]) {
    super(`risk state of ${staffUserIds.length} staff member(s) changed under this batch; it runs again`);
  }
}

/** A risk state row as locked: its version and the last window position given out. */
export interface LockedRiskStateRow {
  staff_userid: string;
  version: string;
  window_ord: string;
}

/**
 * Locks the rows of $1 (a list of userids) sorted, so two writers never deadlock, and gives their versions.
 * Also run as the first part of loadStaffFactsLockingRiskStates.
 */
export const LOCK_RISK_STATE_ROWS = `SELECT staff_userid, version, window_ord FROM risk_staff_state WHERE staff_userid = ANY($1) ORDER BY staff_userid FOR UPDATE`;

/**
 * Locks the rows and reads only their versions; the state itself is read
 * only where this process's copy is not of that version. Locking stays: two
 * instances (or the archive and the contact events in one) never step the
 * same member's state at once.
 */
export async function lockRiskStates(m: EntityManager, staffUserIds: string[], cache: RiskStateCache): Promise<LockedRiskStates> {
  const rows: LockedRiskStateRow[] = await m.query(LOCK_RISK_STATE_ROWS, [[...staffUserIds].sort()]);
  return riskStatesAt(m, rows, cache);
}

/** The states of rows already locked at these versions: from this process's copy where it is of that version, else read. */
export async function riskStatesAt(m: EntityManager, rows: LockedRiskStateRow[], cache: RiskStateCache): Promise<LockedRiskStates> {
  const versions = new Map(rows.map((r) => [r.staff_userid, r.version]));
  const windowOrd = new Map(rows.map((r) => [r.staff_userid, Number(r.window_ord)]));
  const states = new Map<string, StaffRiskState>();
  const stale: string[] = [];
  for (const [id, version] of versions) {
    const cached = cache.get(id, version);
    if (cached) states.set(id, cached);
    else stale.push(id);
  }
  if (stale.length > 0) {
    // Locked above, so these are exactly the versions just read.
    const heads: { staff_userid: string; state: StoredRiskHead }[] = await m.query(
      `SELECT staff_userid, state FROM risk_staff_state WHERE staff_userid = ANY($1)`,
      [stale],
    );
    const windows: (WindowMessageRow & { staff_userid: string })[] = await m.query(
      `SELECT staff_userid, msgid, at_ms, parents, conversation, shingles FROM risk_window_message
        WHERE staff_userid = ANY($1) ORDER BY staff_userid, at_ms, ord`,
      [stale],
    );
    const windowOf = new Map<string, WindowMessageRow[]>();
    for (const w of windows) windowOf.set(w.staff_userid, [...(windowOf.get(w.staff_userid) ?? []), w]);
    for (const h of heads) {
      const state = fromStored(h.staff_userid, h.state, windowOf.get(h.staff_userid) ?? []);
      states.set(h.staff_userid, state);
      cache.set(h.staff_userid, versions.get(h.staff_userid)!, state);
    }
  }
  return { states, versions, windowOrd };
}

/**
 * Writes the states a batch changed, each only over the version it was
 * locked at (or only where no row exists yet), and remembers the new versions.
 * A window is written as its difference from the locked state: the messages
 * the batch added (numbered on from the member's last position, in window
 * order) and the ones it dropped. Anything not written as expected throws
 * RiskStateConflict: the caller's transaction rolls back, alerts included, so
 * nothing is missed or doubled. The copies are remembered before the commit:
 * if it fails, their versions never appear in the table and the next batch
 * reads the rows again.
 */
export async function saveRiskStates(
  m: EntityManager,
  locked: LockedRiskStates,
  changed: ReadonlyMap<string, StaffRiskState>,
  cache: RiskStateCache,
  now: Date,
): Promise<void> {
  if (changed.size === 0) return;
  const heads: object[] = [];
  const added: object[] = [];
  const dropped: object[] = [];
  for (const [id, state] of changed) {
    const before = new Set(locked.states.get(id)?.outbound.map((w) => w.msgid));
    const after = new Set(state.outbound.map((w) => w.msgid));
    let ord = locked.windowOrd.get(id) ?? 0;
    for (const w of state.outbound) if (!before.has(w.msgid)) added.push({ staff_userid: id, ord: ++ord, ...toWindowRow(w) });
    for (const msgid of before) if (!after.has(msgid)) dropped.push({ staff_userid: id, msgid });
    heads.push({ staff_userid: id, state: toStoredHead(state), expected: locked.versions.get(id) ?? null, window_ord: ord });
  }
  // Each list travels as one JSON document: PostgreSQL parses a jsonb[] literal (every quote escaped) several
  // times slower than one jsonb value. The window rows go in the same statement, so a refused head (a conflict)
  // is found before anything else runs, and the whole transaction is rolled back by the throw below.
  const written: { staff_userid: string; version: string }[] = await m.query(
    `WITH i AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(staff_userid text, state jsonb, expected bigint, window_ord bigint)),
     updated AS (
       UPDATE risk_staff_state s SET state = i.state, window_ord = i.window_ord, updated_at = $2, version = nextval('risk_staff_state_version')
         FROM i WHERE i.expected IS NOT NULL AND s.staff_userid = i.staff_userid AND s.version = i.expected
       RETURNING s.staff_userid, s.version),
     inserted AS (
       INSERT INTO risk_staff_state (staff_userid, state, window_ord, updated_at)
       SELECT staff_userid, state, window_ord, $2 FROM i WHERE expected IS NULL
       ON CONFLICT (staff_userid) DO NOTHING
       RETURNING staff_userid, version),
     added AS (
       INSERT INTO risk_window_message (staff_userid, msgid, at_ms, ord, parents, conversation, shingles)
       SELECT staff_userid, msgid, at_ms, ord, parents, conversation, shingles
         FROM jsonb_to_recordset($3::jsonb) AS a(staff_userid text, msgid text, at_ms bigint, ord bigint, parents text[], conversation text, shingles text)
       ON CONFLICT DO NOTHING),
     dropped AS (
       DELETE FROM risk_window_message w USING jsonb_to_recordset($4::jsonb) AS d(staff_userid text, msgid text)
        WHERE w.staff_userid = d.staff_userid AND w.msgid = d.msgid)
     SELECT staff_userid, version FROM updated UNION ALL SELECT staff_userid, version FROM inserted`,
    [JSON.stringify(heads), now, JSON.stringify(added), JSON.stringify(dropped)],
  );
  const versions = new Map(written.map((w) => [w.staff_userid, w.version]));
  const missed = [...changed.keys()].filter((id) => !versions.has(id));
  if (missed.length > 0) throw new RiskStateConflict(missed);
  for (const [id, state] of changed) cache.set(id, versions.get(id)!, state);
}
