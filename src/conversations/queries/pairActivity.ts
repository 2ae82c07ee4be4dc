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

/** Activity in messages stored after `afterSeq` (up to `toSeq`): what one incremental pass reads. */
export async function pairActivityBetween(m: EntityManager, afterSeq: number, toSeq: number): Promise<PairActivity[]> {
  const rows: Row[] = await m.query(
    `SELECT staff_userid, external_userid, ${AGGREGATES}
       FROM archive_message
      WHERE seq > $1 AND seq <= $2 AND action = 'send' AND staff_userid IS NOT NULL AND external_userid IS NOT NULL
      GROUP BY staff_userid, external_userid`,
    [afterSeq, toSeq],
  );
  return rows.map(toActivity);
}

/** The highest seq stored so far. */
export async function latestArchiveSeq(m: EntityManager): Promise<number> {
  const [row] = await m.query(`SELECT COALESCE(max(seq), 0)::bigint AS seq FROM archive_message`);
  return Number(row.seq);
}

/** Activity of given pairs since given instants (a newly inherited parent's history since the handover). */
export async function pairActivitySince(m: EntityManager, pairs: Array<{ staffUserid: string; externalUserid: string; since: Date }>): Promise<PairActivity[]> {
  if (pairs.length === 0) return [];
  const rows: Row[] = await m.query(
    `SELECT a.staff_userid, a.external_userid, ${AGGREGATES.replace(/msg_time/g, "a.msg_time").replace(/from_id/g, "a.from_id").replace(/= staff_userid/g, "= a.staff_userid").replace(/= external_userid/g, "= a.external_userid")}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS p(staff, ext, since)
       JOIN archive_message a ON a.staff_userid = p.staff AND a.external_userid = p.ext AND a.msg_time >= p.since AND a.action = 'send'
      GROUP BY a.staff_userid, a.external_userid`,
    [pairs.map((p) => p.staffUserid), pairs.map((p) => p.externalUserid), pairs.map((p) => p.since)],
  );
  return rows.map(toActivity);
}
