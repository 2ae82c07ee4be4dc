import { ConsentCache } from "./archiveConsent";
import { withArchiveLock } from "./archiveLock";
import { writePageContents } from "./archiveStore";
import type { ChatDataRecord } from "../../wecom";
import { logDeadLetters, toArchivedChat, type ArchiveIngestDeps } from "./drainArchive";
import { preparePage } from "./preparePage";

export interface ReplayReport {
  status: "done" | "busy";
  retried: number;
  resolved: number;
  stored: number;
}

/**
 * Retry parked records, e.g. after the missing private key for a
 * publickey_ver was added to WECOM_ARCHIVE_PRIVATE_KEYS. Records that now
 * decrypt are stored (or deliberately skipped) and marked resolved in the same
 * transaction; the rest stay parked. The cursor is not touched: it already
 * moved past these records when they were parked.
 */
export async function replayDeadLetters(deps: ArchiveIngestDeps, limit = 1000): Promise<ReplayReport> {
  const outcome = await withArchiveLock(deps.dataSource, deps.corpId, async (runner) => {
    const parked: Array<{ chatdata: ChatDataRecord }> = await runner.query(
      `SELECT chatdata FROM archive_dead_letter WHERE corp_id = $1 AND resolved_at IS NULL ORDER BY seq LIMIT $2`,
      [deps.corpId, limit],
    );
    if (parked.length === 0) return { status: "done" as const, retried: 0, resolved: 0, stored: 0 };
    const page = await preparePage(
      parked.map((p) => p.chatdata),
      { source: deps.source, randomKeys: deps.randomKeys, keyRing: deps.keyRing, searchKeys: deps.searchKeys, consent: new ConsentCache(deps.dataSource) },
    );
    const stillDead = new Set(page.deadLetters.map((d) => d.seq));
    const resolved = parked.map((p) => p.chatdata.seq).filter((seq) => !stillDead.has(seq));
    const now = deps.clock.now();
    await runner.startTransaction();
    let inserted: Set<string>;
    try {
      inserted = await writePageContents(runner, deps.corpId, { ...page, deadLetters: [] }, now);
      await runner.query(`UPDATE archive_dead_letter SET resolved_at = $3 WHERE corp_id = $1 AND seq = ANY($2::bigint[])`, [deps.corpId, resolved, now]);
      await runner.commitTransaction();
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    }
    logDeadLetters(deps.logger, page.deadLetters);
    const storedRows = page.rows.filter((r) => inserted.has(r.msgid));
    deps.fanout.publish(storedRows.map(toArchivedChat));
    return { status: "done" as const, retried: parked.length, resolved: resolved.length, stored: storedRows.length };
  });
  return outcome === "busy" ? { status: "busy", retried: 0, resolved: 0, stored: 0 } : outcome;
}
