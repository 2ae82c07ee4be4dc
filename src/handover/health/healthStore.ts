import type { DataSource, EntityManager } from "typeorm";
import { latestStoredAt, pairActivitySince, pairActivityStored, type PairActivity, type StoredMark } from "../../conversations/queries/pairActivity";
import type { WordHit, WordWindow } from "../../conversations/queries/wordsInConversations";
import type { Clock } from "../../platform/clock";
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

export const HEALTH_COLUMNS = `leaver_userid, external_userid, successor_userid, branch_id, handed_over_at, transfer_status, successor_first_msg_at,
  successor_last_msg_at, parent_first_reply_at, parent_last_reply_at, follow_deleted_at, refund_word, refund_at, reminded_successor_at, reminded_head_at`;

export function toHealthRow(r: Record<string, unknown>): HealthRow {
  return {
    leaverUserid: String(r.leaver_userid),
    externalUserid: String(r.external_userid),
    successorUserid: String(r.successor_userid),
    branchId: r.branch_id === null ? null : Number(r.branch_id),
    handedOverAt: r.handed_over_at as Date,
    transferStatus: r.transfer_status as HealthRow["transferStatus"],
    successorFirstMessageAt: r.successor_first_msg_at as Date | null,
    successorLastMessageAt: r.successor_last_msg_at as Date | null,
    parentFirstReplyAt: r.parent_first_reply_at as Date | null,
    parentLastReplyAt: r.parent_last_reply_at as Date | null,
    followDeletedAt: r.follow_deleted_at as Date | null,
    refundWord: r.refund_word as string | null,
    refundAt: r.refund_at as Date | null,
    remindedSuccessorAt: r.reminded_successor_at as Date | null,
    remindedHeadAt: r.reminded_head_at as Date | null,
  };
}

/**
 * Applies archive activity to the facts of inherited parents: only the
 * successor's and the parent's messages in that pair, and only from the
 * handover on. min/max merges make a replayed batch harmless.
 */
async function applyActivity(m: EntityManager, activity: PairActivity[], onlyBackfill = false): Promise<number> {
  if (activity.length === 0) return 0;
  const col = <K extends keyof PairActivity>(k: K) => activity.map((a) => a[k]);
  const result = await m.query(
    `UPDATE handover_parent_health h SET
        successor_first_msg_at = LEAST(h.successor_first_msg_at, CASE WHEN a.staff_first >= h.handed_over_at THEN a.staff_first WHEN a.staff_last >= h.handed_over_at THEN a.staff_last END),
        successor_last_msg_at = GREATEST(h.successor_last_msg_at, CASE WHEN a.staff_last >= h.handed_over_at THEN a.staff_last END),
        parent_first_reply_at = LEAST(h.parent_first_reply_at, CASE WHEN a.parent_first >= h.handed_over_at THEN a.parent_first WHEN a.parent_last >= h.handed_over_at THEN a.parent_last END),
        parent_last_reply_at = GREATEST(h.parent_last_reply_at, CASE WHEN a.parent_last >= h.handed_over_at THEN a.parent_last END),
        backfilled = true
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
            AS a(staff, ext, staff_first, staff_last, parent_first, parent_last)
      WHERE h.successor_userid = a.staff AND h.external_userid = a.ext AND ($7 = false OR h.backfilled = false)`,
    [col("staffUserid"), col("externalUserid"), col("staffFirstAt"), col("staffLastAt"), col("parentFirstAt"), col("parentLastAt"), onlyBackfill],
  );
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
  /** Inherited parents whose facts the window's messages touched. */
  touched: number;
  /** Refund words newly recorded (first per parent). */
  refundWords: number;
}

/** Finds watched words in archived staff–parent messages (conversations' ConversationWordFinder). */
export interface WordSource {
  find(m: EntityManager, words: readonly string[], window: WordWindow): Promise<WordHit[]>;
}

/**
 * Transfer changes are read by their updated_at, written from each
 * instance's clock: re-reading the last hour lets an instance whose clock is
 * a little behind still be seen (a re-read row changes nothing).
 */
const TRANSFER_OVERLAP_MS = 3_600_000;

async function applyRefundWords(m: EntityManager, hits: WordHit[]): Promise<number> {
  let recorded = 0;
  for (const hit of hits) recorded += await recordRefundWord(m, hit.staffUserid, hit.externalUserid, hit.word, hit.msgTime);
  return recorded;
}

/**
 * One incremental pass: handovers changed since the last pass (a new pair's
 * history since its handover is read once, refund words included), then only
 * the messages stored since the last pass — by stored_at, so a message stored
 * late (a replayed dead letter, a drain while this job was down) is read
 * too. Cost follows the day's transfers and messages, not the archive's size.
 */
export async function refreshHandoverHealth(deps: { dataSource: DataSource; clock: Clock; words?: WordSource }): Promise<RefreshReport> {
  const now = deps.clock.now();
  return deps.dataSource.transaction(async (m) => {
    await m.query(`INSERT INTO handover_health_cursor (name, last_seq, updated_at) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [CURSOR, now]);
    const [cursor]: { last_stored_at: StoredMark | null; last_transfer_at: Date | null }[] = await m.query(
      `SELECT last_stored_at::text, last_transfer_at FROM handover_health_cursor WHERE name = $1 FOR UPDATE`,
      [CURSOR],
    );
    // Both upper bounds are read before anything else: what is stored or changed afterwards belongs to the next pass.
    const toStoredAt = await latestStoredAt(m);
    const [{ at: toTransferAt }]: { at: Date | null }[] = await m.query(`SELECT max(updated_at) AS at FROM customer_transfer`);
    const transfersAfter = cursor!.last_transfer_at ? new Date(cursor!.last_transfer_at.getTime() - TRANSFER_OVERLAP_MS) : null;
    // The parent's latest transfer from each leaver decides successor and outcome.
    const pairs = await m.query(
      `INSERT INTO handover_parent_health (leaver_userid, external_userid, successor_userid, branch_id, handed_over_at, transfer_status, updated_at)
       SELECT DISTINCT ON (t.leaver_userid, t.external_userid) t.leaver_userid, t.external_userid, t.successor_userid,
              COALESCE((SELECT c.id FROM department c WHERE c.id = ANY (d.path) AND c.kind = 'campus' ORDER BY array_length(c.path, 1) DESC LIMIT 1), d.id),
              COALESCE(t.takeover_at, t.requested_at), t.status, $1
         FROM customer_transfer t
         LEFT JOIN staff s ON s.userid = t.leaver_userid
         LEFT JOIN department d ON d.id = COALESCE(s.main_department, s.department_ids[1])
        WHERE t.superseded_at IS NULL AND t.status IN ('waiting', 'done', 'refused') AND ($2::timestamptz IS NULL OR t.updated_at > $2)
        ORDER BY t.leaver_userid, t.external_userid, t.updated_at DESC
       ON CONFLICT (leaver_userid, external_userid) DO UPDATE SET
         successor_userid = EXCLUDED.successor_userid, transfer_status = EXCLUDED.transfer_status, handed_over_at = EXCLUDED.handed_over_at,
         branch_id = EXCLUDED.branch_id, updated_at = EXCLUDED.updated_at,
         backfilled = handover_parent_health.backfilled AND handover_parent_health.successor_userid = EXCLUDED.successor_userid
       WHERE (handover_parent_health.successor_userid, handover_parent_health.transfer_status, handover_parent_health.handed_over_at)
             IS DISTINCT FROM (EXCLUDED.successor_userid, EXCLUDED.transfer_status, EXCLUDED.handed_over_at)
       RETURNING leaver_userid`,
      [now, transfersAfter],
    );
    const fresh: { successor_userid: string; external_userid: string; handed_over_at: Date }[] = await m.query(
      `SELECT successor_userid, external_userid, handed_over_at FROM handover_parent_health WHERE backfilled = false`,
    );
    const freshPairs = fresh.map((f) => ({ staffUserid: f.successor_userid, externalUserid: f.external_userid, since: f.handed_over_at }));
    const backfilled = await applyActivity(m, await pairActivitySince(m, freshPairs), true);
    let refundWords = 0;
    if (deps.words && toStoredAt && freshPairs.length > 0) {
      refundWords += await applyRefundWords(m, await deps.words.find(m, REFUND_WORDS, { kind: "pairs", pairs: freshPairs, upTo: toStoredAt }));
    }
    await m.query(`UPDATE handover_parent_health SET backfilled = true WHERE backfilled = false`);
    const fromStoredAt = cursor!.last_stored_at;
    let touched = 0;
    if (toStoredAt && toStoredAt !== fromStoredAt) {
      touched = await applyActivity(m, await pairActivityStored(m, fromStoredAt, toStoredAt));
      if (deps.words) refundWords += await applyRefundWords(m, await deps.words.find(m, REFUND_WORDS, { kind: "stored", after: fromStoredAt, upTo: toStoredAt }));
    }
    await m.query(
      `UPDATE handover_health_cursor SET last_stored_at = COALESCE(GREATEST(last_stored_at, $2::timestamptz), last_stored_at, $2::timestamptz),
              last_transfer_at = COALESCE(GREATEST(last_transfer_at, $3), last_transfer_at, $3), updated_at = $4 WHERE name = $1`,
      [CURSOR, toStoredAt, toTransferAt, now],
    );
    return { pairs: pairs.length, backfilled, fromStoredAt, toStoredAt, touched, refundWords };
  });
}

/** The parent deleted the successor (del_follow_user): the inherited parent is lost. */
export async function recordFollowDeleted(m: EntityManager, successorUserid: string, externalUserid: string, at: Date): Promise<void> {
  await m.query(
    `UPDATE handover_parent_health SET follow_deleted_at = $3, updated_at = $3
      WHERE successor_userid = $1 AND external_userid = $2 AND follow_deleted_at IS NULL AND handed_over_at <= $3`,
    [successorUserid, externalUserid, at],
  );
}

/** A refund word in the successor–parent conversation after the handover (the earliest one kept); how many parents it marked. */
export async function recordRefundWord(m: EntityManager, staffUserid: string, externalUserid: string, word: string, at: Date): Promise<number> {
  const result = await m.query(
    `UPDATE handover_parent_health SET refund_word = $3, refund_at = $4, updated_at = $4
      WHERE successor_userid = $1 AND external_userid = $2 AND (refund_word IS NULL OR refund_at > $4) AND handed_over_at <= $4`,
    [staffUserid, externalUserid, word, at],
  );
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}

export async function loadHealthRows(m: EntityManager, filter: { leaverUserid?: string; successorUserid?: string; branchPaths?: number[] | "all" } = {}): Promise<HealthRow[]> {
  const rows = await m.query(
    `SELECT ${HEALTH_COLUMNS} FROM handover_parent_health h
      WHERE ($1::text IS NULL OR h.leaver_userid = $1) AND ($2::text IS NULL OR h.successor_userid = $2)
        AND ($3 OR EXISTS (SELECT 1 FROM department d WHERE d.id = h.branch_id AND d.path && $4::int[]))
      ORDER BY h.handed_over_at, h.leaver_userid, h.external_userid`,
    [filter.leaverUserid ?? null, filter.successorUserid ?? null, filter.branchPaths === undefined || filter.branchPaths === "all", filter.branchPaths === "all" || filter.branchPaths === undefined ? [] : filter.branchPaths],
  );
  return rows.map(toHealthRow);
}
