import type { EntityManager } from "typeorm";
import type { StaffRiskState } from "../rules/riskDetector";
import type { RiskStateCache } from "./riskStateCache";
import { decodeRiskState, encodeRiskState, type StoredRiskState } from "./riskStateCodec";

/** Risk states of a batch's staff, locked until its transaction ends. */
export interface LockedRiskStates {
  states: Map<string, StaffRiskState>;
  /** The version of each row as locked; a member without a row has none. */
  versions: Map<string, string>;
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

/**
 * Locks the rows (sorted, so two writers never deadlock) and reads only their
 * versions; the state itself is read only where this process's copy is not of
 * that version. Locking stays: two instances (or the archive and the contact
 * events in one) never step the same member's state at once.
 */
export async function lockRiskStates(m: EntityManager, staffUserIds: string[], cache: RiskStateCache): Promise<LockedRiskStates> {
  const sorted = [...staffUserIds].sort();
  const rows: { staff_userid: string; version: string }[] = await m.query(
    `SELECT staff_userid, version FROM risk_staff_state WHERE staff_userid = ANY($1) ORDER BY staff_userid FOR UPDATE`,
    [sorted],
  );
  const versions = new Map(rows.map((r) => [r.staff_userid, r.version]));
  const states = new Map<string, StaffRiskState>();
  const stale: string[] = [];
  for (const [id, version] of versions) {
    const cached = cache.get(id, version);
    if (cached) states.set(id, cached);
    else stale.push(id);
  }
  if (stale.length > 0) {
    // Locked above, so these are exactly the versions just read.
    const read: { staff_userid: string; version: string; state: StoredRiskState }[] = await m.query(
      `SELECT staff_userid, version, state FROM risk_staff_state WHERE staff_userid = ANY($1)`,
      [stale],
    );
    for (const r of read) {
      const state = decodeRiskState(r.state);
      states.set(r.staff_userid, state);
      cache.set(r.staff_userid, r.version, state);
    }
  }
  return { states, versions };
}

/**
 * Writes the states a batch changed, each only over the version it was
 * locked at (or only where no row exists yet), and remembers the new versions.
 * Anything not written as expected throws RiskStateConflict: the caller's
 * transaction rolls back, alerts included, so nothing is missed or doubled.
 * The copies are remembered before the commit: if it fails, their versions
 * never appear in the table and the next batch reads the rows again.
 */
export async function saveRiskStates(
  m: EntityManager,
  locked: LockedRiskStates,
  changed: Map<string, StaffRiskState>,
  cache: RiskStateCache,
  now: Date,
): Promise<void> {
  if (changed.size === 0) return;
  const input = [...changed].map(([id, state]) => ({ staff_userid: id, state: encodeRiskState(state), expected: locked.versions.get(id) ?? null }));
  // One JSON document, not an array of them: PostgreSQL parses a jsonb[] literal (every quote escaped) several
  // times slower than one jsonb value (measured: 100 states of 2.7 KB, 72–178 ms against 16–56 ms under load).
  const written: { staff_userid: string; version: string }[] = await m.query(
    `WITH i AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(staff_userid text, state jsonb, expected bigint)),
     updated AS (
       UPDATE risk_staff_state s SET state = i.state, updated_at = $2, version = nextval('risk_staff_state_version')
         FROM i WHERE i.expected IS NOT NULL AND s.staff_userid = i.staff_userid AND s.version = i.expected
       RETURNING s.staff_userid, s.version),
     inserted AS (
       INSERT INTO risk_staff_state (staff_userid, state, updated_at)
       SELECT staff_userid, state, $2 FROM i WHERE expected IS NULL
       ON CONFLICT (staff_userid) DO NOTHING
       RETURNING staff_userid, version)
     SELECT staff_userid, version FROM updated UNION ALL SELECT staff_userid, version FROM inserted`,
    [JSON.stringify(input), now],
  );
  const versions = new Map(written.map((w) => [w.staff_userid, w.version]));
  const missed = [...changed.keys()].filter((id) => !versions.has(id));
  if (missed.length > 0) throw new RiskStateConflict(missed);
  for (const [id, state] of changed) cache.set(id, versions.get(id)!, state);
}
