import { performance } from "node:perf_hooks";
import type { DataSource, EntityManager } from "typeorm";
import { activitySince, LATEST_STORED_AT, pairActivitySql, windowActivityCtes, type PairActivitySql, type StoredMark } from "../../conversations";
import type { CandidateRow, WordHit, WordWindow } from "../../conversations";
import type { Scope } from "../../org";
import { scopeSql } from "../../org";
import type { Clock } from "../../platform/clock";
import { queryPrepared } from "../../platform/db/preparedStatement";
import { REFUND_WORDS, type ParentHandoverFacts } from "./handoverHealth";

export interface HealthRow extends ParentHandoverFacts {
  leaverUserid: string;
  externalUserid: string;
  successorUserid: string;
  branchId: number | null;
  remindedSuccessorAt: Date | null;
  remindedHeadAt: Date | null;
}

const CURSOR = "handover-health";

const TIME_COLUMNS = [
  "handed_over_at", "successor_first_msg_at", "parent_first_reply_at", "parent_last_reply_at", "follow_deleted_at", "refund_at",
  "reminded_successor_at", "reminded_head_at",
];

/**
 * The columns of a health row; instants as epoch milliseconds (float8):
 * the driver turns a number into a Date far faster than it parses a
 * timestamp's text, and the retention page reads every inherited parent.
 */
export const HEALTH_COLUMNS = ["leaver_userid", "external_userid", "successor_userid", "branch_id", "transfer_status", "refund_word", ...TIME_COLUMNS]
  .map((c) => (TIME_COLUMNS.includes(c) ? `(extract(epoch FROM ${c}) * 1000)::float8 AS ${c}` : c))
  .join(", ");

const instant = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));

export function toHealthRow(r: Record<string, unknown>): HealthRow {
  return {
    leaverUserid: String(r.leaver_userid),
    externalUserid: String(r.external_userid),
    successorUserid: String(r.successor_userid),
    branchId: r.branch_id === null ? null : Number(r.branch_id),
    handedOverAt: instant(r.handed_over_at)!,
    transferStatus: r.transfer_status as HealthRow["transferStatus"],
    successorFirstMessageAt: instant(r.successor_first_msg_at),
    parentFirstReplyAt: instant(r.parent_first_reply_at),
    parentLastReplyAt: instant(r.parent_last_reply_at),
    followDeletedAt: instant(r.follow_deleted_at),
    refundWord: r.refund_word as string | null,
    refundAt: instant(r.refund_at),
    remindedSuccessorAt: instant(r.reminded_successor_at),
    remindedHeadAt: instant(r.reminded_head_at),
  };
}

/** The inherited parents as pairs for the archive's activity query (conversations/queries/pairActivity). */
const PAIRS = `(SELECT leaver_userid, successor_userid AS staff, external_userid AS ext, handed_over_at AS since FROM handover_parent_health)`;
const FRESH_PAIRS = `(SELECT leaver_userid, successor_userid AS staff, external_userid AS ext, handed_over_at AS since FROM handover_parent_health WHERE backfilled = false)`;

/**
 * Merges the activity of messages stored in (after, upTo] into the facts of
 * inherited parents, in one statement: the archive's window joined to the
 * parents, each message counted only from its parent's handover on, only the
 * successor's and the parent's messages in that pair. min/max merges make a
 * replayed window harmless. (The statement is exported for the bench's
 * EXPLAIN.) The whole archive is read in one scan, a few parents' history
 * probed per parent; a day's window: dayWindowStatement.
 */
export function activityStatement(window: { after: StoredMark | null; upTo: StoredMark }, only: "all" | "fresh", shape: PairActivitySql["shape"]): { sql: string; params: unknown[] } {
  return {
    sql: `UPDATE handover_parent_health h SET
        successor_first_msg_at = LEAST(h.successor_first_msg_at, a.staff_first),
        parent_first_reply_at = LEAST(h.parent_first_reply_at, a.parent_first),
        parent_last_reply_at = GREATEST(h.parent_last_reply_at, a.parent_last)
       FROM (${pairActivitySql({ pairs: only === "fresh" ? FRESH_PAIRS : PAIRS, keys: ["leaver_userid", "ext"], after: "$1", upTo: "$2", shape })}) a
      WHERE h.leaver_userid = a.leaver_userid AND h.external_userid = a.ext`,
    params: [window.after, window.upTo],
  };
}

/** Moves the pass's cursor to the window's end and the newest transfer change it saw (never backwards), as SQL. */
const advanceCursorSql = (p: { name: string; stored: string; transfer: string; now: string }) =>
  `UPDATE handover_health_cursor SET last_stored_at = COALESCE(GREATEST(last_stored_at, ${p.stored}::timestamptz), last_stored_at, ${p.stored}::timestamptz),
          last_transfer_at = COALESCE(GREATEST(last_transfer_at, ${p.transfer}::timestamptz), last_transfer_at, ${p.transfer}::timestamptz), updated_at = ${p.now}
    WHERE name = ${p.name}`;

/** A pass after the first: transfer changes after `transfersAfter` are checked; the cursor moves to the newest seen, `toTransferAt`, at `now`. */
export interface DayPass {
  transfersAfter: Date | null;
  toTransferAt: Date | null;
  now: Date;
}

/**
 * A pass's window after the first (a day's messages, or two minutes'), in one
 * statement and one read of the archive: the messages stored after `after`
 * (all that the statement sees: windowActivityCtes) grouped by conversation,
 * each group merged into its inherited parents' facts — each message
 * counted from its parent's handover on; the day's parents found in one
 * ordered walk of the (parent, successor) index (`= ANY` of the day's
 * parents: the index's pages in key order, then the rows page by page,
 * rather than a descent per conversation), and only a parent whose facts
 * change rewritten (a successor's second message that day changes none) —
 * the cursor
 * moved to the window's end, and, from the same rows, the refund-word
 * candidates (the word finder's blind-index condition) for the caller to
 * confirm. It merges into the parents' rows as they are; whether a transfer
 * changed them since the last pass comes back too (`transfers_changed`,
 * transfersChangedSql), for the caller to apply with that window's history
 * (refreshHandoverHealth). The statement returns one row per candidate (or
 * one empty row), each with `touched` (the parents whose facts it changed),
 * `to_stored_at` (the window's end; the cursor's mark when the window was
 * empty) and `transfers_changed`. (Exported for the bench's EXPLAIN ANALYZE.)
 */
export function dayWindowStatement(after: StoredMark, pass: DayPass, words?: WordSource): { sql: string; params: unknown[] } {
  // $6: the window's upper bound, open (see windowActivityCtes' `below`): the statement is planned once per connection.
  const params: unknown[] = [after, CURSOR, pass.toTransferAt, pass.now, pass.transfersAfter, "infinity"];
  const keep = words?.candidates(REFUND_WORDS, params);
  const a = activitySince("a", "h.handed_over_at");
  const merged = [`LEAST(h.successor_first_msg_at, ${a.staffFirst})`, `LEAST(h.parent_first_reply_at, ${a.parentFirst})`, `GREATEST(h.parent_last_reply_at, ${a.parentLast})`];
  return {
    sql: `WITH ${windowActivityCtes({ after: "$1", below: "$6", ...(keep ? { keep } : {}) })},
       merged AS (
         UPDATE handover_parent_health h SET successor_first_msg_at = ${merged[0]}, parent_first_reply_at = ${merged[1]}, parent_last_reply_at = ${merged[2]}
          FROM g a
         WHERE h.external_userid = ANY (ARRAY(SELECT ext FROM g)) AND h.successor_userid = a.staff AND h.external_userid = a.ext AND ${a.any}
           AND (h.successor_first_msg_at, h.parent_first_reply_at, h.parent_last_reply_at) IS DISTINCT FROM (${merged.join(", ")})
         RETURNING 1),
       moved AS (
         ${advanceCursorSql({ name: "$2", stored: "(SELECT max(stored_at) FROM w)", transfer: "$3", now: "$4" })}
         RETURNING last_stored_at::text AS to_stored_at)
       SELECT (SELECT count(*) FROM merged)::int AS touched, (SELECT to_stored_at FROM moved), ${transfersChangedSql("$5", "$3")} AS transfers_changed${keep ? ", c.msgid, c.body_ciphertext, c.body_key_id, c.staff_userid, c.external_userid, c.from_id, c.msg_time" : ""}
         FROM (SELECT 1) one${keep ? " LEFT JOIN w c ON c.kept ORDER BY c.msg_time" : ""}`,
    params,
  };
}

/** The day's window merged and the cursor moved (dayWindowStatement); the refund words among its candidates, to record. */
async function applyDayWindow(m: EntityManager, after: StoredMark, pass: DayPass, words?: WordSource): Promise<{ touched: number; toStoredAt: StoredMark | null; transfersChanged: boolean; refundHits: WordHit[] }> {
  type Row = { touched: number; to_stored_at: StoredMark | null; transfers_changed: boolean };
  const { sql, params } = dayWindowStatement(after, pass, words);
  const rows = await queryPrepared<Row & Partial<CandidateRow>>(m, sql, params);
  const candidates = rows.filter((r): r is Row & CandidateRow => typeof r.msgid === "string");
  const [first] = rows;
  return {
    touched: first?.touched ?? 0,
    toStoredAt: first?.to_stored_at ?? null,
    transfersChanged: first?.transfers_changed ?? true,
    refundHits: words && candidates.length > 0 ? words.confirm(REFUND_WORDS, candidates) : [],
  };
}

async function applyActivity(m: EntityManager, window: { after: StoredMark | null; upTo: StoredMark }, only: "all" | "fresh", shape: PairActivitySql["shape"]): Promise<number> {
  const { sql, params } = activityStatement(window, only, shape);
  const result = await m.query(sql, params);
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}

export interface RefreshReport {
  /** Inherited parents added or changed (successor, outcome or handover time) by transfer changes. */
  pairs: number;
  /** Fresh pairs whose history since the handover was read. */
  backfilled: number;
  /** The stored_at window of archive messages this pass read: (fromStoredAt, toStoredAt]. */
  fromStoredAt: StoredMark | null;
  toStoredAt: StoredMark | null;
  /** Inherited parents whose facts the window's messages changed. */
  touched: number;
  /** Refund words newly recorded (first per parent). */
  refundWords: number;
  /** Wall-clock milliseconds per phase (transfers, analyze, backfill, window, refundWords, cursor): where a slow pass spends its time. */
  phasesMs: Record<string, number>;
}

/** Finds watched words in archived staff–parent messages (conversations' ConversationWordFinder). */
export interface WordSource {
  find(m: EntityManager, words: readonly string[], window: WordWindow): Promise<WordHit[]>;
  /** The words' candidates as a condition on archive rows `a` (parameters appended), for a statement that reads the archive itself. */
  candidates(words: readonly string[], params: unknown[]): string;
  /** Candidate rows decrypted and kept when they hold a word. */
  confirm(words: readonly string[], rows: readonly CandidateRow[]): WordHit[];
}

/**
 * Transfer changes are read by their updated_at, written from each
 * instance's clock: re-reading the last hour lets an instance whose clock is
 * a little behind still be seen (a re-read row changes nothing).
 */
export const TRANSFER_OVERLAP_MS = 3_600_000;

/** In the transfer upsert: the parent now has another successor, or the handover another start. */
const NEW_SUCCESSOR = `handover_parent_health.successor_userid IS DISTINCT FROM EXCLUDED.successor_userid`;
const RESTARTS = `(${NEW_SUCCESSOR} OR handover_parent_health.handed_over_at IS DISTINCT FROM EXCLUDED.handed_over_at)`;

/**
 * Whether a transfer the upsert below would read (changed after `after`, a
 * timestamptz placeholder, NULL: any, and at or before `upTo`, the newest
 * change when the pass began: a later one is the next pass's) says something
 * its parent's row does not — a parent without a row, another successor,
 * outcome or handover time: the only changes the upsert writes — as SQL.
 * False, the usual answer, skips the upsert, which would otherwise lock
 * every re-read parent's row to compare it. (A transfer that is not its
 * parent's latest may answer true needlessly: the upsert then changes
 * nothing.) Both bounds are conditions on the updated_at index, so a plan
 * made without their values (dayWindowStatement's) reads the few changed
 * transfers through it rather than every transfer (see windowActivityCtes'
 * `below`).
 */
const transfersChangedSql = (after: string, upTo: string) => `EXISTS (
  SELECT 1 FROM customer_transfer t
    LEFT JOIN handover_parent_health p ON p.leaver_userid = t.leaver_userid AND p.external_userid = t.external_userid
   WHERE t.superseded_at IS NULL AND t.status IN ('waiting', 'done', 'refused')
     AND t.updated_at > COALESCE(${after}::timestamptz, '-infinity') AND t.updated_at <= ${upTo}::timestamptz
     AND (p.leaver_userid IS NULL OR (p.successor_userid, p.transfer_status, p.handed_over_at)
          IS DISTINCT FROM (t.successor_userid, t.status, COALESCE(t.takeover_at, t.requested_at))))`;

/**
 * Refund words found, in one statement: for each inherited parent of the
 * pair, the earliest hit at or after the handover, kept when it is earlier
 * than the one recorded. Returns how many parents it marked.
 */
async function applyRefundWords(m: EntityManager, hits: WordHit[]): Promise<number> {
  if (hits.length === 0) return 0;
  const marked = await queryPrepared(
    m,
    `UPDATE handover_parent_health h SET refund_word = w.word, refund_at = w.at, updated_at = w.at
       FROM (SELECT DISTINCT ON (p.leaver_userid, p.external_userid) p.leaver_userid, p.external_userid, x.word, x.at
               FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS x(staff, ext, word, at)
               JOIN handover_parent_health p ON p.successor_userid = x.staff AND p.external_userid = x.ext AND p.handed_over_at <= x.at
              ORDER BY p.leaver_userid, p.external_userid, x.at) w
      WHERE h.leaver_userid = w.leaver_userid AND h.external_userid = w.external_userid AND (h.refund_word IS NULL OR h.refund_at > w.at)
      RETURNING 1`,
    [hits.map((x) => x.staffUserid), hits.map((x) => x.externalUserid), hits.map((x) => x.word), hits.map((x) => x.msgTime)],
  );
  return marked.length;
}

/** Aggregating a year of messages per parent: enough memory to hash 50,000 parents' groups instead of sorting a million rows. */
const BULK_WORK_MEM = "64MB";

/**
 * The planner believes the table is empty though it has rows. A vacuum that
 * runs while the first pass's inserts are uncommitted records the pages with
 * no live rows; until the next analyze every plan then thinks one parent
 * exists, and joins the day's messages to the parents by reading those
 * messages once per parent (minutes instead of milliseconds). Two catalogue
 * reads, in the pass's first statement.
 */
const PLANNER_BLIND = `((SELECT reltuples FROM pg_class WHERE oid = 'handover_parent_health'::regclass) <= 0 AND EXISTS (SELECT 1 FROM handover_parent_health))`;

/**
 * A pass after the first is a handful of statements of fixed text run every
 * two minutes: planning them again each time (a window statement over every
 * monthly partition of the archive) cost more than a small window's work.
 * Its transaction therefore makes the connection plan each statement once
 * and keep the plan (PostgreSQL docs, runtime-config-query: plan_cache_mode
 * force_generic_plan; set with set_config(…, true) for this transaction
 * only), and the statements are written for plans made without their values
 * (dayWindowStatement) and sent as named prepared statements (queryPrepared).
 * The first pass, and the transfers and back-fill of a later one, read
 * amounts only their values tell: they are planned for their values
 * (PLANS_FOR_VALUES restores the connection's setting).
 */
const PLANS_FOR_VALUES = `SELECT set_config('plan_cache_mode', reset_val, true) FROM pg_settings WHERE name = 'plan_cache_mode'`;

/** Above this many fresh parents the back-fill reads the archive once (hashed) instead of probing each parent's history. */
const MANY_FRESH = 500;

/** Inherited parents added or changed by a pass's transfer upsert; `backfilled` false: their history is still to read. */
type ChangedPair = { successor_userid: string; external_userid: string; handed_over_at: Date; backfilled: boolean };

/**
 * The transfers changed after `after` (NULL: all) into the parents' rows.
 * The parent's latest transfer from each leaver decides successor and
 * outcome. A new successor or handover time starts the parent's facts afresh
 * (they were about another conversation or another start) and leaves the row
 * to back-fill. A department's campus (the deepest campus on its path, or
 * itself) is worked out once per department, not per parent.
 */
async function upsertTransfers(m: EntityManager, now: Date, after: Date | null, wholeArchive: boolean): Promise<ChangedPair[]> {
  return m.query(
      `WITH campus AS MATERIALIZED (
         SELECT d.id, COALESCE((SELECT c.id FROM department c WHERE c.id = ANY (d.path) AND c.kind = 'campus' ORDER BY array_length(c.path, 1) DESC LIMIT 1), d.id) AS campus_id
           FROM department d)
       INSERT INTO handover_parent_health (leaver_userid, external_userid, successor_userid, branch_id, handed_over_at, transfer_status, backfilled, updated_at)
       SELECT DISTINCT ON (t.leaver_userid, t.external_userid) t.leaver_userid, t.external_userid, t.successor_userid, campus.campus_id,
              COALESCE(t.takeover_at, t.requested_at), t.status, $3, $1
         FROM customer_transfer t
         LEFT JOIN staff s ON s.userid = t.leaver_userid
         LEFT JOIN campus ON campus.id = COALESCE(s.main_department, s.department_ids[1])
        WHERE t.superseded_at IS NULL AND t.status IN ('waiting', 'done', 'refused') AND ($2::timestamptz IS NULL OR t.updated_at > $2)
        ORDER BY t.leaver_userid, t.external_userid, t.updated_at DESC
       ON CONFLICT (leaver_userid, external_userid) DO UPDATE SET
         successor_userid = EXCLUDED.successor_userid, transfer_status = EXCLUDED.transfer_status, handed_over_at = EXCLUDED.handed_over_at,
         branch_id = EXCLUDED.branch_id, updated_at = EXCLUDED.updated_at,
         backfilled = EXCLUDED.backfilled OR (handover_parent_health.backfilled AND NOT ${RESTARTS}),
         successor_first_msg_at = CASE WHEN ${RESTARTS} THEN NULL ELSE handover_parent_health.successor_first_msg_at END,
         parent_first_reply_at = CASE WHEN ${RESTARTS} THEN NULL ELSE handover_parent_health.parent_first_reply_at END,
         parent_last_reply_at = CASE WHEN ${RESTARTS} THEN NULL ELSE handover_parent_health.parent_last_reply_at END,
         refund_word = CASE WHEN ${RESTARTS} THEN NULL ELSE handover_parent_health.refund_word END,
         refund_at = CASE WHEN ${RESTARTS} THEN NULL ELSE handover_parent_health.refund_at END,
         follow_deleted_at = CASE WHEN ${NEW_SUCCESSOR} THEN NULL ELSE handover_parent_health.follow_deleted_at END,
         reminded_successor_at = CASE WHEN ${NEW_SUCCESSOR} THEN NULL ELSE handover_parent_health.reminded_successor_at END,
         reminded_head_at = CASE WHEN ${NEW_SUCCESSOR} THEN NULL ELSE handover_parent_health.reminded_head_at END
       WHERE (handover_parent_health.successor_userid, handover_parent_health.transfer_status, handover_parent_health.handed_over_at)
             IS DISTINCT FROM (EXCLUDED.successor_userid, EXCLUDED.transfer_status, EXCLUDED.handed_over_at)
       RETURNING successor_userid, external_userid, handed_over_at, backfilled`,
    [now, after, wholeArchive],
  );
}

/**
 * One incremental pass, each archive message read once: the messages stored
 * since the last pass (by stored_at, so a message stored late — a replayed
 * dead letter, a drain while this job was down — is read too) merged into
 * every inherited parent's facts, and handovers changed since the last pass;
 * for a parent inherited (or given another successor or start) since then,
 * its history up to the window's end (the back-fill). The first pass's
 * window is the whole archive, so it needs no back-fill. Cost follows the
 * day's transfers and messages, not the archive's size: a usual pass is
 * four round trips (begin, the cursor, the window, commit).
 */
export async function refreshHandoverHealth(deps: { dataSource: DataSource; clock: Clock; words?: WordSource }): Promise<RefreshReport> {
  const now = deps.clock.now();
  const phasesMs: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const at = performance.now();
    phasesMs[name] = (phasesMs[name] ?? 0) + (at - mark);
    mark = at;
  };
  return deps.dataSource.transaction(async (m) => {
    // The cursor, locked (the upsert takes the row lock), and the newest transfer change, in one statement before
    // anything else: a transfer changed afterwards belongs to the next pass. (The archive's end is read with the
    // window itself: dayWindowStatement.)
    // The same statement turns off waiting for the commit's log flush: these facts are derived from the archive and
    // the transfers, and a crash that loses the last pass loses its cursor move with it (the whole transaction or
    // nothing), so the next pass reads that window again. The wait was a large part of a short pass.
    // And what the planner believes the table holds (see PLANNER_BLIND).
    // A pass after the first runs its statements on plans kept by the connection (see PLANS_FOR_VALUES).
    const [cursor] = await queryPrepared<{
      last_stored_at: StoredMark | null;
      last_transfer_at: Date | null;
      to_transfer_at: Date | null;
      planner_blind: boolean;
    }>(
      m,
      `WITH c AS (
         INSERT INTO handover_health_cursor (name, last_seq, updated_at) VALUES ($1, 0, $2)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING last_stored_at::text AS last_stored_at, last_transfer_at)
       SELECT c.last_stored_at, c.last_transfer_at, (SELECT max(updated_at) FROM customer_transfer) AS to_transfer_at,
              ${PLANNER_BLIND} AS planner_blind, set_config('synchronous_commit', 'off', true) AS commit_mode,
              set_config('plan_cache_mode', CASE WHEN c.last_stored_at IS NULL THEN current_setting('plan_cache_mode') ELSE 'force_generic_plan' END, true) AS plan_mode
         FROM c`,
      [CURSOR, now],
    );
    const toTransferAt = cursor!.to_transfer_at;
    const transfersAfter = cursor!.last_transfer_at ? new Date(cursor!.last_transfer_at.getTime() - TRANSFER_OVERLAP_MS) : null;
    const fromStoredAt = cursor!.last_stored_at;
    phase("cursor");
    if (fromStoredAt === null) return wholeArchivePass(m, { now, toTransferAt, words: deps.words, phase, phasesMs });

    // Statistics that match the table before the archive is joined to it (see PLANNER_BLIND).
    if (cursor!.planner_blind) {
      await m.query(`ANALYZE handover_parent_health`);
      phase("analyze");
    }
    // The window first, into the rows as they are: a transfer changed since the last pass is applied after it,
    // with the back-fill reading the changed parents' history up to the window's end.
    const day = await applyDayWindow(m, fromStoredAt, { transfersAfter, toTransferAt, now }, deps.words);
    const toStoredAt = day.toStoredAt;
    phase("window");
    let pairs: ChangedPair[] = [];
    let backfilled = 0;
    let refundWords = 0;
    if (day.transfersChanged) {
      // The transfers and the back-fill are planned for their values (their reads depend on how much changed).
      await m.query(PLANS_FOR_VALUES);
      pairs = await upsertTransfers(m, now, transfersAfter, false);
      phase("transfers");
      // Parents to back-fill: only the upsert leaves a row not back-filled (every pass ends with none).
      const fresh = pairs.filter((p) => !p.backfilled);
      if (fresh.length > 0) {
        // After a mass handover: statistics with the new rows, and the archive read once (hashed) rather than probed per parent.
        const many = fresh.length > MANY_FRESH;
        if (many) {
          await m.query(`ANALYZE handover_parent_health`);
          await m.query(`SET LOCAL work_mem = '${BULK_WORK_MEM}'`);
          phase("analyze");
        }
        backfilled = await applyActivity(m, { after: null, upTo: toStoredAt! }, "fresh", many ? "scan" : "probe");
        phase("backfill");
        if (deps.words) {
          const freshPairs = fresh.map((f) => ({ staffUserid: f.successor_userid, externalUserid: f.external_userid, since: f.handed_over_at }));
          refundWords += await applyRefundWords(m, await deps.words.find(m, REFUND_WORDS, { kind: "pairs", pairs: freshPairs, upTo: toStoredAt! }));
          phase("refundWords");
        }
        await m.query(`UPDATE handover_parent_health SET backfilled = true WHERE backfilled = false`);
        phase("backfill");
      }
    }
    // The window's refund words, onto the rows as the transfers left them.
    if (day.refundHits.length > 0) {
      refundWords += await applyRefundWords(m, day.refundHits);
      phase("refundWords");
    }
    return { pairs: pairs.length, backfilled, fromStoredAt, toStoredAt, touched: day.touched, refundWords, phasesMs };
  });
}

/**
 * The first pass: every transfer, then the whole archive up to its newest
 * message now (read once, hashed against the parents), its refund words
 * through the blind index, and the cursor moved to that end.
 */
async function wholeArchivePass(
  m: EntityManager,
  p: { now: Date; toTransferAt: Date | null; words: WordSource | undefined; phase: (name: string) => void; phasesMs: Record<string, number> },
): Promise<RefreshReport> {
  const [{ to_stored_at: toStoredAt }]: { to_stored_at: StoredMark | null }[] = await m.query(`SELECT ${LATEST_STORED_AT} AS to_stored_at`);
  await m.query(`SET LOCAL work_mem = '${BULK_WORK_MEM}'`);
  const pairs = await upsertTransfers(m, p.now, null, true);
  p.phase("transfers");
  // Statistics that match the table before the archive is joined to it: ANALYZE counts this transaction's own
  // inserts. (Cheap next to the pass that needs it: 50,000 parents in about 0.1 s.)
  if (pairs.length > 0) {
    await m.query(`ANALYZE handover_parent_health`);
    p.phase("analyze");
  }
  let touched = 0;
  let refundWords = 0;
  if (toStoredAt) {
    touched = await applyActivity(m, { after: null, upTo: toStoredAt }, "all", "scan");
    p.phase("window");
    // The whole archive's refund words through the blind index's GIN (candidates cost what they find).
    if (p.words) refundWords = await applyRefundWords(m, await p.words.find(m, REFUND_WORDS, { kind: "stored", after: null, upTo: toStoredAt }));
    p.phase("refundWords");
  }
  await m.query(advanceCursorSql({ name: "$1", stored: "$2", transfer: "$3", now: "$4" }), [CURSOR, toStoredAt, p.toTransferAt, p.now]);
  p.phase("cursor");
  return { pairs: pairs.length, backfilled: 0, fromStoredAt: null, toStoredAt, touched, refundWords, phasesMs: p.phasesMs };
}

/** The parent deleted the successor (del_follow_user): the inherited parent is lost. */
export async function recordFollowDeleted(m: EntityManager, successorUserid: string, externalUserid: string, at: Date): Promise<void> {
  await recordFollowsDeleted(m, [{ successorUserid, externalUserid, at }]);
}

/**
 * Many del_follow_user events (in arrival order) in one statement: each
 * inherited parent's row takes the first event that applies to it (after its
 * handover, while not yet marked), as one statement per event would have.
 */
export async function recordFollowsDeleted(m: EntityManager, deletions: { successorUserid: string; externalUserid: string; at: Date }[]): Promise<void> {
  if (deletions.length === 0) return;
  await m.query(
    `UPDATE handover_parent_health AS h SET follow_deleted_at = first.at, updated_at = first.at
       FROM (SELECT DISTINCT ON (p.leaver_userid, p.external_userid) p.leaver_userid, p.external_userid, d.at
               FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS d(successor, parent, at, arrival)
               JOIN handover_parent_health p ON p.successor_userid = d.successor AND p.external_userid = d.parent
                AND p.follow_deleted_at IS NULL AND p.handed_over_at <= d.at
              ORDER BY p.leaver_userid, p.external_userid, d.arrival) AS first
      WHERE h.leaver_userid = first.leaver_userid AND h.external_userid = first.external_userid`,
    [deletions.map((d) => d.successorUserid), deletions.map((d) => d.externalUserid), deletions.map((d) => d.at)],
  );
}

/**
 * Which inherited parents a reader sees: those of leavers within a scope
 * (the conversation policy's scope(), put into SQL by scopeSql: the leaver
 * in one of its subtrees in any of their departments, or the handover's
 * campus in one), plus — for a successor — the parents handed to them.
 * No filter: every parent (the jobs and the bench).
 */
export interface HealthReader {
  scope: Scope;
  /** The reader as a successor: the parents they inherited are theirs to see whatever the scope. */
  successorUserid: string;
}

export async function loadHealthRows(m: EntityManager, filter: { leaverUserid?: string; reader?: HealthReader } = {}): Promise<HealthRow[]> {
  const params: unknown[] = [filter.leaverUserid ?? null];
  let visible = "true";
  if (filter.reader) {
    const sql = scopeSql(filter.reader.scope, 2);
    params.push(...sql.params, filter.reader.successorUserid);
    visible = `(${sql.staff("h.leaver_userid")} OR ${sql.department("h.branch_id")} OR h.successor_userid = $4)`;
  }
  const rows = await m.query(
    `SELECT ${HEALTH_COLUMNS} FROM handover_parent_health h
      WHERE ($1::text IS NULL OR h.leaver_userid = $1) AND ${visible}
      ORDER BY h.handed_over_at, h.leaver_userid, h.external_userid`,
    params,
  );
  return rows.map(toHealthRow);
}
