import type { DataSource, EntityManager } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { Logger } from "../../platform/logger";
import { parseArchivedMessage, type ChatMessage } from "../../wecom";
import { indexMessage } from "./indexMessage";
import type { SearchIndexKeys } from "./searchIndexKeys";
import type { SearchIndexMetrics } from "./searchIndexMetrics";

type Queryable = Pick<DataSource | EntityManager, "query">;

export interface BackfillDeps {
  dataSource: DataSource;
  keyRing: DataKeyRing;
  searchKeys: SearchIndexKeys;
  logger: Logger;
  metrics?: SearchIndexMetrics;
}

export interface BackfillOptions {
  batchSize?: number;
  /** Stop between batches (service shutdown); the next run carries on from what is left. */
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onBatch?: (progress: BackfillProgress) => void | Promise<void>;
}

export interface BackfillProgress {
  indexed: number;
  remaining: number;
  failed: number;
}

export interface BackfillReport extends BackfillProgress {
  finished: boolean;
}

/**
 * Key ids in the index other than the active one, by a loose index scan over
 * archive_message_search_key (a few probes, not a pass over every row).
 */
export async function staleSearchKeyIds(db: Queryable, activeKeyId: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query(
    `WITH RECURSIVE k(id) AS (
       (SELECT search_key_id FROM archive_message WHERE search_key_id IS NOT NULL ORDER BY search_key_id LIMIT 1)
       UNION ALL
       SELECT (SELECT search_key_id FROM archive_message WHERE search_key_id > k.id ORDER BY search_key_id LIMIT 1) FROM k WHERE k.id IS NOT NULL
     )
     SELECT id FROM k WHERE id IS NOT NULL`,
  );
  return rows.map((r) => r.id).filter((id) => id !== activeKeyId);
}

/** Messages still waiting for the active key: never indexed, or indexed under an older one. */
export async function pendingSearchIndex(db: Queryable, activeKeyId: string): Promise<number> {
  const stale = await staleSearchKeyIds(db, activeKeyId);
  const [row] = await db.query(
    `SELECT count(*)::bigint AS n FROM archive_message WHERE search_key_id IS NULL OR search_key_id = ANY($1::text[])`,
    [stale],
  );
  return Number(row.n);
}

/**
 * Back-fill and re-index after rotation: hash every message that has no
 * entry under the active index key, in small batches, each its own
 * transaction (FOR UPDATE SKIP LOCKED, so two instances share the work and
 * ingest is never blocked). There is no separate progress record to lose:
 * the rows themselves say what is done, so a run killed at any point resumes
 * with exactly the rows it had not committed. Searching keeps working
 * throughout, since queries are hashed under every configured key.
 */
export async function backfillSearchIndex(deps: BackfillDeps, options: BackfillOptions = {}): Promise<BackfillReport> {
  const { dataSource, keyRing, searchKeys, logger, metrics } = deps;
  const batchSize = options.batchSize ?? 500;
  const active = searchKeys.activeKeyId;
  const stale = await staleSearchKeyIds(dataSource, active);
  let remaining = Number(
    (await dataSource.query(`SELECT count(*)::bigint AS n FROM archive_message WHERE search_key_id IS NULL OR search_key_id = ANY($1::text[])`, [stale]))[0].n,
  );
  metrics?.pending.set(remaining);
  const progress: BackfillProgress = { indexed: 0, remaining, failed: 0 };
  if (remaining === 0) return { ...progress, finished: true };
  logger.info({ remaining, activeKeyId: active, reindexing: stale }, "archive search index back-fill started");
  // Bodies that do not open (a data key missing from the ring) are skipped for this run and reported, never indexed as empty.
  const failed: string[] = [];
  let lastLog = Date.now();
  for (;;) {
    if (options.signal?.aborted) return { ...progress, finished: false };
    const done = await dataSource.transaction(async (tx) => {
      const rows: Array<{ msgid: string; msg_time: Date; body_ciphertext: Buffer; body_key_id: string }> = await tx.query(
        `SELECT msgid, msg_time, body_ciphertext, body_key_id FROM archive_message
          WHERE (search_key_id IS NULL OR search_key_id = ANY($1::text[])) AND NOT (msgid = ANY($2::text[]))
          LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [stale, failed, batchSize],
      );
      if (rows.length === 0) return 0;
      const updates: Array<{ msgid: string; msgTime: Date; tokens: string }> = [];
      for (const r of rows) {
        try {
          const plaintext = keyRing.open({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid).toString("utf8");
          const entry = indexMessage(searchKeys, (parseArchivedMessage(plaintext) as ChatMessage).content);
          updates.push({ msgid: r.msgid, msgTime: r.msg_time, tokens: `{${entry.tokens.join(",")}}` });
        } catch (err) {
          failed.push(r.msgid);
          metrics?.failed.inc();
          logger.error({ err, msgid: r.msgid }, "archive search index: message could not be indexed");
        }
      }
      if (updates.length > 0) {
        await tx.query(
          `UPDATE archive_message m SET search_tokens = u.tokens::int4[], search_key_id = $4
             FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS u(msgid, msg_time, tokens)
            WHERE m.msgid = u.msgid AND m.msg_time = u.msg_time`,
          [updates.map((u) => u.msgid), updates.map((u) => u.msgTime), updates.map((u) => u.tokens), active],
        );
      }
      return rows.length;
    });
    if (done === 0) break;
    const indexedNow = done - (failed.length - progress.failed);
    progress.indexed += indexedNow;
    progress.failed = failed.length;
    remaining = Math.max(0, remaining - done);
    progress.remaining = remaining;
    metrics?.indexed.inc(indexedNow);
    metrics?.pending.set(remaining + failed.length);
    await options.onBatch?.({ ...progress });
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      logger.info({ ...progress }, "archive search index back-fill progress");
    }
  }
  // New rows from an ingest without index keys may have arrived meanwhile; the next run takes them.
  logger.info({ ...progress }, "archive search index back-fill finished");
  return { ...progress, remaining: failed.length, finished: failed.length === 0 };
}
