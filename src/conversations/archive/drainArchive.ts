import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { Logger } from "../../platform/logger";
import { MAX_CHAT_DATA_LIMIT, type ArchiveSource, type ChatDataPage } from "../../wecom";
import { ConsentCache } from "./archiveConsent";
import type { ArchiveFanout, ArchivedChat } from "./archiveFanout";
import { withArchiveLock } from "./archiveLock";
import { ensureArchivePartitions } from "./archivePartitions";
import { readCursor, storePage } from "./archiveStore";
import { preparePage, type DeadLetter, type PreparedRow, type SkipReason } from "./preparePage";
import type { RandomKeyDecryptor } from "../../wecom";
import type { SearchIndexKeys } from "../searchIndex/searchIndexKeys";

export interface ArchiveIngestDeps {
  dataSource: DataSource;
  source: ArchiveSource;
  randomKeys: RandomKeyDecryptor;
  keyRing: DataKeyRing;
  /** Index keys for the blind search index; without them rows are stored unindexed and the back-fill catches up. */
  searchKeys?: SearchIndexKeys;
  fanout: ArchiveFanout;
  clock: Clock;
  logger: Logger;
  corpId: string;
}

export interface DrainOptions {
  /** GetChatData limit, 1..1000. */
  pageSize?: number;
  /** GetChatData timeout; the SDK sample uses 5 s. */
  timeoutSec?: number;
  /** Stop after this many pages (bounds one run; the next notify or fallback continues). */
  maxPages?: number;
}

export interface DrainReport {
  status: "drained" | "busy" | "page_limit";
  fromSeq: number;
  toSeq: number;
  pages: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  skipped: Record<SkipReason, number>;
}

/**
 * Pull the archive from the stored cursor until GetChatData returns nothing.
 *
 * Safety: each page is stored together with the cursor move in one
 * transaction (storePage), so a crash at any point leaves no gap and, thanks
 * to archive_msgid, no duplicate. Only one drainer runs per corp across all
 * instances (session advisory lock; it dies with the connection if the
 * process does).
 *
 * Throughput: RSA bounds ingest, so page N+1 is fetched and decrypted while
 * page N is being written; writes stay strictly in page order.
 */
export async function drainArchive(deps: ArchiveIngestDeps, options: DrainOptions = {}): Promise<DrainReport> {
  const pageSize = Math.min(options.pageSize ?? MAX_CHAT_DATA_LIMIT, MAX_CHAT_DATA_LIMIT);
  const timeoutSec = options.timeoutSec ?? 5;
  const report: DrainReport = {
    status: "drained",
    fromSeq: 0,
    toSeq: 0,
    pages: 0,
    stored: 0,
    duplicates: 0,
    deadLettered: 0,
    skipped: { internal: 0, switch: 0, malformed: 0, no_consent: 0 },
  };
  const outcome = await withArchiveLock(deps.dataSource, deps.corpId, async (runner) => {
    let pending: Promise<void> = Promise.resolve();
    try {
      await ensureArchivePartitions(runner.manager, deps.clock.now());
      let seq = await readCursor(runner, deps.corpId);
      report.fromSeq = report.toSeq = seq;
      const consent = new ConsentCache(deps.dataSource);
      const fetch = (after: number): Promise<ChatDataPage> => {
        const p = deps.source.getChatData(after, pageSize, timeoutSec);
        p.catch(() => undefined); // awaited later; do not report as unhandled meanwhile
        return p;
      };
      let next = fetch(seq);
      for (let taken = 1; ; taken++) {
        // Records at or below the cursor would move it backwards; a source that only has those is drained.
        const chatdata = (await next).chatdata.filter((r) => r.seq > seq);
        if (chatdata.length === 0) break;
        const page = await preparePage(chatdata, { source: deps.source, randomKeys: deps.randomKeys, keyRing: deps.keyRing, searchKeys: deps.searchKeys, consent });
        const fromSeq = seq;
        seq = page.maxSeq;
        const limitReached = options.maxPages !== undefined && taken >= options.maxPages;
        if (!limitReached) next = fetch(seq);
        await pending;
        pending = storePage(runner, deps.corpId, fromSeq, page, deps.clock.now()).then((inserted) => {
          report.pages++;
          report.toSeq = page.maxSeq;
          report.stored += inserted.length;
          report.duplicates += page.rows.length - inserted.length;
          report.deadLettered += page.deadLetters.length;
          for (const [reason, n] of Object.entries(page.skipped)) report.skipped[reason as SkipReason] += n;
          logDeadLetters(deps.logger, page.deadLetters);
          deps.fanout.publish(inserted.map(toArchivedChat));
        });
        pending.catch(() => undefined);
        if (limitReached) {
          report.status = "page_limit";
          break;
        }
      }
      await pending;
    } finally {
      await pending.catch(() => undefined);
    }
  });
  if (outcome === "busy") return { ...report, status: "busy" };
  deps.logger.info({ report }, "archive drained");
  return report;
}

export function toArchivedChat(row: PreparedRow): ArchivedChat {
  return { seq: row.seq, message: row.message, staffUserid: row.staffUserid, externalUserid: row.externalUserid, roomId: row.roomId };
}

export function logDeadLetters(logger: Logger, deadLetters: DeadLetter[]): void {
  for (const dead of deadLetters) logger.warn({ seq: dead.seq, msgid: dead.msgid, reason: dead.reason }, "archive record dead-lettered");
}

/**
 * Coalesces drain requests: msgaudit_notify (up to every 15 s) and the
 * periodic fallback both call request(); a request during a run schedules
 * exactly one more run, so nothing notified is left behind and runs never
 * overlap within the process.
 */
export class ArchiveDrainer {
  private running: Promise<DrainReport> | undefined;
  private again = false;

  constructor(
    private readonly deps: ArchiveIngestDeps,
    private readonly options: DrainOptions = {},
  ) {}

  request(): Promise<DrainReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      let report: DrainReport;
      do {
        this.again = false;
        report = await drainArchive(this.deps, this.options);
      } while (this.again);
      return report;
    })();
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
