import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { Logger } from "../../platform/logger";
import { MAX_CHAT_DATA_LIMIT, type ArchiveSource, type ChatDataPage } from "./ArchiveSource";
import { ConsentCache } from "./archiveConsent";
import type { ArchiveFanout } from "./ArchiveFanout";
import { ensureArchivePartitions } from "./archivePartitions";
import { readCursor, storePage } from "./archiveStore";
import { preparePage, type SkipReason } from "./preparePage";
import type { RandomKeyDecryptor } from "./randomKeyDecryptor";

export interface ArchiveIngestDeps {
  dataSource: DataSource;
  source: ArchiveSource;
  randomKeys: RandomKeyDecryptor;
  keyRing: DataKeyRing;
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
  const runner = deps.dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [`archive_drain:${deps.corpId}`]);
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
    if (!locked) return { ...report, status: "busy" };
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
      for (;;) {
        const { chatdata } = await next;
        if (chatdata.length === 0) break;
        const page = await preparePage(chatdata, { source: deps.source, randomKeys: deps.randomKeys, keyRing: deps.keyRing, consent });
        const fromSeq = seq;
        seq = page.maxSeq;
        const limitReached = options.maxPages !== undefined && report.pages + 1 >= options.maxPages;
        if (!limitReached) next = fetch(seq);
        await pending;
        pending = storePage(runner, deps.corpId, fromSeq, page, deps.clock.now()).then((inserted) => {
          report.pages++;
          report.toSeq = page.maxSeq;
          report.stored += inserted.length;
          report.duplicates += page.rows.length - inserted.length;
          report.deadLettered += page.deadLetters.length;
          for (const [reason, n] of Object.entries(page.skipped)) report.skipped[reason as SkipReason] += n;
          for (const dead of page.deadLetters) deps.logger.warn({ seq: dead.seq, msgid: dead.msgid, reason: dead.reason }, "archive record dead-lettered");
          deps.fanout.publish(
            inserted.map((r) => ({ seq: r.seq, message: r.message, staffUserid: r.staffUserid, externalUserid: r.externalUserid, roomId: r.roomId })),
          );
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
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`archive_drain:${deps.corpId}`]);
    }
    deps.logger.info({ report }, "archive drained");
    return report;
  } finally {
    await runner.release();
  }
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
