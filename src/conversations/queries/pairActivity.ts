import type { EntityManager } from "typeorm";

/**
 * Who wrote to whom, when — from the archive's metadata only (no message
 * bodies are decrypted): per (staff member, parent), the first and last
 * message the staff member sent and the first and last the parent sent.
 * Handover health reads it to judge inherited parents.
 */
export interface PairActivity {
  staffUserid: string;
  externalUserid: string;
  staffFirstAt: Date | null;
  staffLastAt: Date | null;
  parentFirstAt: Date | null;
  parentLastAt: Date | null;
}

interface Row {
  staff_userid: string;
  external_userid: string;
  staff_first: Date | null;
  staff_last: Date | null;
  parent_first: Date | null;
  parent_last: Date | null;
}

const toActivity = (r: Row): PairActivity => ({
  staffUserid: r.staff_userid,
  externalUserid: r.external_userid,
  staffFirstAt: r.staff_first,
  staffLastAt: r.staff_last,
  parentFirstAt: r.parent_first,
  parentLastAt: r.parent_last,
});

const AGGREGATES = `
  min(msg_time) FILTER (WHERE from_id = staff_userid) AS staff_first,
  max(msg_time) FILTER (WHERE from_id = staff_userid) AS staff_last,
  min(msg_time) FILTER (WHERE from_id = external_userid) AS parent_first,
  max(msg_time) FILTER (WHERE from_id = external_userid) AS parent_last`;

/**
 * Activity in messages stored in (after, upTo] by `stored_at`: what one
 * incremental pass reads. The archive's own order (WeCom's seq) is not the
 * order of storing — a record parked as a dead letter is stored later under
 * its old seq when its key arrives — so a reader that remembers a seq would
 * skip it. Writers of the archive are serialised by the archive lock and
 * `stored_at` is their transaction's start, so a message not yet visible has
 * a later stored_at than every message already visible: remembering the
 * highest stored_at seen skips nothing.
 */
export async function pairActivityStored(m: EntityManager, after: StoredMark | null, upTo: StoredMark): Promise<PairActivity[]> {
  const rows: Row[] = await m.query(
    `SELECT staff_userid, external_userid, ${AGGREGATES}
       FROM archive_message
      WHERE ($1::timestamptz IS NULL OR stored_at > $1) AND stored_at <= $2 AND action = 'send' AND staff_userid IS NOT NULL AND external_userid IS NOT NULL
      GROUP BY staff_userid, external_userid`,
    [after, upTo],
  );
  return rows.map(toActivity);
}

/**
 * A stored_at as PostgreSQL writes it (text, microseconds kept): a JavaScript
 * Date keeps milliseconds only, and a bound cut to the millisecond would
 * leave the newest messages outside the window it closes.
 */
export type StoredMark = string;

/** When the latest message visible now was stored (null: the archive is empty). */
export async function latestStoredAt(m: EntityManager): Promise<StoredMark | null> {
  const [row] = await m.query(`SELECT max(stored_at)::text AS at FROM archive_message`);
  return (row?.at as string | null) ?? null;
}

/** Above this many pairs the archive is read once with a hash join rather than probed per pair. */
const MANY_PAIRS = 500;

/**
 * Activity of given pairs since given instants (a newly inherited parent's
 * history since the handover). A handful of pairs probe the (staff, time)
 * index; many pairs (the first pass, a large handover) go through a temporary
 * table the planner can count, so it reads the archive once instead of a
 * successor's whole history once per parent. Needs a transaction when pairs
 * are many (the table is dropped at commit).
 */
export async function pairActivitySince(m: EntityManager, pairs: Array<{ staffUserid: string; externalUserid: string; since: Date }>): Promise<PairActivity[]> {
  if (pairs.length === 0) return [];
  const columns = [pairs.map((p) => p.staffUserid), pairs.map((p) => p.externalUserid), pairs.map((p) => p.since)];
  let source = `unnest($1::text[], $2::text[], $3::timestamptz[]) AS p(staff, ext, since)`;
  let params: unknown[] = columns;
  if (pairs.length > MANY_PAIRS) {
    await m.query(`CREATE TEMP TABLE pair_activity_since (staff text, ext text, since timestamptz) ON COMMIT DROP`);
    await m.query(`INSERT INTO pair_activity_since SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])`, columns);
    await m.query(`ANALYZE pair_activity_since`);
    source = `pair_activity_since p`;
    params = [];
  }
  const rows: Row[] = await m.query(
    `SELECT a.staff_userid, a.external_userid, ${AGGREGATES.replace(/msg_time/g, "a.msg_time").replace(/from_id/g, "a.from_id").replace(/= staff_userid/g, "= a.staff_userid").replace(/= external_userid/g, "= a.external_userid")}
       FROM ${source}
       JOIN archive_message a ON a.staff_userid = p.staff AND a.external_userid = p.ext AND a.msg_time >= p.since AND a.action = 'send'
      GROUP BY a.staff_userid, a.external_userid`,
    params,
  );
  if (pairs.length > MANY_PAIRS) await m.query(`DROP TABLE pair_activity_since`);
  return rows.map(toActivity);
}
