/**
 * Who wrote to whom, when — from the archive's metadata only (no message
 * bodies are decrypted): per pair of a caller's (a staff member, a parent,
 * from an instant on), the first message the staff member sent and the first
 * and last the parent sent. Handover health reads it to judge inherited
 * parents (whether the successor wrote at all, whether the parent still
 * replies); when the staff member last wrote is read by no rule, so it is
 * not gathered.
 */

/**
 * A stored_at as PostgreSQL writes it (text, microseconds kept): a JavaScript
 * Date keeps milliseconds only, and a bound cut to the millisecond would
 * leave the newest messages outside the window it closes.
 */
export type StoredMark = string;

/** When the latest message visible now was stored, as a scalar subquery (a StoredMark, NULL while the archive is empty). */
export const LATEST_STORED_AT = `(SELECT max(stored_at)::text FROM archive_message)`;

export interface PairActivitySql {
  /**
   * The caller's pairs as a SQL relation (a table or a subquery) with columns
   * `staff`, `ext`, `since` and the key columns named in `keys`; several rows
   * may name the same staff member and parent (different keys).
   */
  pairs: string;
  keys: string[];
  /** Placeholders (or SQL) of the stored_at window (after, upTo]; `after` may be NULL: from the beginning. */
  after: string;
  upTo: string;
  /**
   * How the archive is read, fixed by the caller rather than left to the
   * planner's guess (a wrong guess probed a day's window once per parent:
   * minutes instead of milliseconds):
   * - scan: the whole window once, hashed against the pairs (the whole archive, many pairs);
   * - probe: each pair's history through the (parent, time) index (a handful of pairs).
   * (A day's window is read by windowActivitySql below: grouped by pair before any pair is looked at.)
   */
  shape: "scan" | "probe";
}

/** Sent messages of alias `a` stored in (after, upTo]. */
const storedIn = (a: string, q: { after: string; upTo: string }) =>
  `(${q.after}::timestamptz IS NULL OR ${a}.stored_at > ${q.after}::timestamptz) AND ${a}.stored_at <= ${q.upTo}::timestamptz AND ${a}.action = 'send'`;

const AGGREGATES = `
            min(a.msg_time) FILTER (WHERE a.from_id = a.staff_userid) AS staff_first,
            min(a.msg_time) FILTER (WHERE a.from_id = a.external_userid) AS parent_first,
            max(a.msg_time) FILTER (WHERE a.from_id = a.external_userid) AS parent_last`;

/**
 * Set-based activity: one SQL query, to be used as a subquery by the caller
 * (e.g. an UPDATE … FROM), giving per key of `pairs` the columns
 * staff_first, parent_first, parent_last over the messages of
 * that pair sent at or after its `since` and stored in (after, upTo].
 *
 * By stored_at, not WeCom's seq: a record parked as a dead letter is stored
 * later under its old seq when its key arrives, so a reader that remembers a
 * seq would skip it. Writers of the archive are serialised by the archive
 * lock and `stored_at` is their transaction's start, so a message not yet
 * visible has a later stored_at than every message already visible:
 * remembering the highest stored_at seen skips nothing.
 *
 * Each message is filtered against its pair's `since` before aggregating, so
 * one read of the archive is exact for every pair (a successor who chatted
 * with the parent before the handover does not count).
 */
export function pairActivitySql(q: PairActivitySql): string {
  const keys = q.keys.map((k) => `p.${k}`).join(", ");
  const stored = storedIn("a", q);
  if (q.shape === "probe") {
    return `SELECT ${keys}, x.staff_first, x.parent_first, x.parent_last
       FROM ${q.pairs} p
       CROSS JOIN LATERAL (SELECT ${AGGREGATES}
                             FROM archive_message a
                            WHERE a.external_userid = p.ext AND a.staff_userid = p.staff AND a.msg_time >= p.since AND ${stored}) x
      WHERE x.staff_first IS NOT NULL OR x.parent_first IS NOT NULL`;
  }
  return `SELECT ${keys}, ${AGGREGATES}
       FROM archive_message a
       JOIN ${q.pairs} p ON a.staff_userid = p.staff AND a.external_userid = p.ext AND a.msg_time >= p.since
      WHERE ${stored}
      GROUP BY ${keys}`;
}

/** A sent message between a staff member and a parent (alias `a`): what pair activity counts. */
const pairSend = (a: string) => `${a}.action = 'send' AND ${a}.staff_userid IS NOT NULL AND ${a}.external_userid IS NOT NULL`;

/**
 * The messages stored since `after` (a day's, say, or two minutes') grouped
 * by conversation, for a caller that matches each group to its own rows
 * afterwards — one lookup per pair that wrote, and the window read once
 * through the stored_at index, so the cost follows the window, not how many
 * pairs the caller keeps.
 * The window has no upper bound given beforehand: it is what the statement
 * sees, and it ends at the highest `stored_at` in `w` (every stored message
 * is in `w`, so that end also covers messages that count nowhere — a group
 * chat, a recall — and the next window starts after them). Seeing nothing
 * later than that end skips nothing: archive writers are serialised and
 * stamp stored_at in that order (see pairActivitySql). Reading the end in
 * the same statement saves a separate max(stored_at), which plans every
 * monthly partition again.
 * The SQL of two WITH clauses: `w`, the window's messages (read once), with
 * `pair` marking a send between a staff member and a parent; and `g`, per
 * conversation, over those sends: staff, ext; first_at and last_at (any
 * message); staff_first, parent_first, parent_last. Counted from
 * an instant on: activitySince.
 * `below` (a placeholder, optional) bounds the window from above, for a
 * statement planned without its values (a prepared statement's generic
 * plan): PostgreSQL estimates a lone `stored_at > $1` as a third of every
 * partition, and plans the rest of the statement for a third of the archive
 * (sorts, merge joins); a pair of bounds as a narrow range (0.5 % of each
 * partition, src/include/utils/selfuncs.h DEFAULT_RANGE_INEQ_SEL), read
 * through the stored_at index and hashed. Given 'infinity', it keeps the
 * window open-ended.
 * With `keep` (a condition on archive rows `a`, e.g. the word finder's
 * candidates) `w` also marks the pair sends it holds (`kept`) and carries
 * what ConversationWordFinder.confirm reads of them, so the same read serves
 * both.
 */
export function windowActivityCtes(q: { after: string; below?: string; keep?: string }): string {
  const read = `FROM archive_message a
          WHERE a.stored_at > ${q.after}::timestamptz${q.below ? ` AND a.stored_at <= ${q.below}::timestamptz` : ""}`;
  const columns = `a.stored_at, (${pairSend("a")}) AS pair, a.staff_userid, a.external_userid, a.from_id, a.msg_time`;
  // `keep` is judged once per message, in a subquery the planner keeps whole (OFFSET 0): written into both `kept` and
  // the body's CASE, it was evaluated twice for every message of the window (the word finder's array tests, a copy
  // of each message's tokens per test). Measured on the handover-health bench's day: reading the window 3.3 → 2.7 ms
  // of database CPU (median of 40).
  const window = q.keep
    ? `SELECT a.stored_at, a.pair, a.staff_userid, a.external_userid, a.from_id, a.msg_time, a.kept, a.msgid, CASE WHEN a.kept THEN a.body_ciphertext END AS body_ciphertext, a.body_key_id
           FROM (SELECT ${columns}, (${pairSend("a")} AND ${q.keep}) AS kept, a.msgid, a.body_ciphertext, a.body_key_id ${read} OFFSET 0) a`
    : `SELECT ${columns} ${read}`;
  return `w AS MATERIALIZED (
         ${window}),
       g AS (
         SELECT a.staff_userid AS staff, a.external_userid AS ext, min(a.msg_time) AS first_at, max(a.msg_time) AS last_at, ${AGGREGATES}
           FROM w a WHERE a.pair GROUP BY a.staff_userid, a.external_userid)`;
}

/**
 * The activity of a row `a` of windowActivityCtes' `g` counted from `since`
 * on, as SQL expressions (NULL when nothing counts). The last message stands
 * when it is not before `since`; so does the first — the usual case, a
 * handover days before the window. Otherwise (a handover inside the window,
 * the successor having written to the parent earlier that day) the first at
 * or after `since` is looked up among the window's messages `w` (the archive
 * is not planned into the statement again: with every month's partition that
 * costs more than the day's work).
 */
export function activitySince(a: string, since: string): { staffFirst: string; parentFirst: string; parentLast: string; any: string } {
  const first = (side: "staff" | "parent") =>
    `CASE WHEN ${a}.${side}_first IS NULL OR ${a}.${side}_first >= ${since} THEN ${a}.${side}_first ELSE (
       SELECT min(m.msg_time) FROM w m
        WHERE m.pair AND m.staff_userid = ${a}.staff AND m.external_userid = ${a}.ext AND m.from_id = ${side === "staff" ? `${a}.staff` : `${a}.ext`} AND m.msg_time >= ${since}) END`;
  return {
    staffFirst: first("staff"),
    parentFirst: first("parent"),
    parentLast: `CASE WHEN ${a}.parent_last >= ${since} THEN ${a}.parent_last END`,
    any: `${a}.last_at >= ${since}`,
  };
}
