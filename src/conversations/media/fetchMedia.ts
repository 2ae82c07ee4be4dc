import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import type { Logger } from "../../platform/logger";
import type { ArchiveSource } from "../../wecom";
import type { MediaStore } from "./store/mediaStore";
import { claimDueMedia, enqueueMedia, markMediaFailed, markMediaTooLarge, storeMedia, type PendingMedia } from "./mediaRows";

export interface MediaFetchDeps {
  dataSource: DataSource;
  source: Pick<ArchiveSource, "getMediaData">;
  keyRing: DataKeyRing;
  /** Where the sealed bytes go (the row keeps the address). */
  store: MediaStore;
  clock: Clock;
  logger: Logger;
}

export interface MediaFetchOptions {
  /** Files above this are recorded as too_large, not fetched (memory and table size stay bounded). */
  maxBytes?: number;
  /** Files per run. */
  batch?: number;
  maxAttempts?: number;
  /** How far back messages are looked at for media to queue. */
  lookbackDays?: number;
}

export interface MediaFetchReport {
  queued: number;
  stored: number;
  tooLarge: number;
  failed: number;
  dead: number;
}

export class MediaTooLarge extends Error {
  constructor(readonly size: number) {
    super(`media exceeds the size bound (${size} bytes so far)`);
  }
}

/** GetMediaData chunk by chunk (≤512 KB each, resumed by indexbuf) until is_finish, never past maxBytes. */
export async function downloadMedia(source: Pick<ArchiveSource, "getMediaData">, sdkfileid: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let indexbuf = "";
  for (;;) {
    const chunk = await source.getMediaData(sdkfileid, indexbuf);
    size += chunk.data.length;
    if (size > maxBytes) throw new MediaTooLarge(size);
    chunks.push(chunk.data);
    if (chunk.isFinish) return Buffer.concat(chunks, size);
    if (chunk.outIndexBuf === "" || chunk.outIndexBuf === indexbuf) throw new Error("GetMediaData made no progress (same indexbuf)");
    indexbuf = chunk.outIndexBuf;
  }
}

/**
 * One run of the media job: queue media of recent messages, then fetch due
 * files into storage, sealed at rest. Failures back off (5 min doubling) and
 * end as dead letters after maxAttempts.
 */
export async function fetchPendingMedia(deps: MediaFetchDeps, options: MediaFetchOptions = {}): Promise<MediaFetchReport> {
  const { maxBytes = 20 * 1024 * 1024, batch = 50, maxAttempts = 5, lookbackDays = 7 } = options;
  const now = deps.clock.now();
  const report: MediaFetchReport = { queued: 0, stored: 0, tooLarge: 0, failed: 0, dead: 0 };
  report.queued = await enqueueMedia(deps.dataSource, new Date(now.getTime() - lookbackDays * 86_400_000), now);
  const due = await claimDueMedia(deps.dataSource, now, batch, 10 * 60_000);
  for (const media of due) {
    if (media.expectedSize !== null && media.expectedSize > maxBytes) {
      await markMediaTooLarge(deps.dataSource, media, media.expectedSize);
      report.tooLarge++;
      continue;
    }
    try {
      const data = await downloadMedia(deps.source, media.sdkfileid, maxBytes);
      verify(media, data);
      await storeMedia(deps, media, data);
      report.stored++;
    } catch (err) {
      if (err instanceof MediaTooLarge) {
        await markMediaTooLarge(deps.dataSource, media, err.size);
        report.tooLarge++;
        continue;
      }
      const last = media.attempts + 1 >= maxAttempts;
      const retryAt = last ? null : new Date(deps.clock.now().getTime() + 5 * 60_000 * 2 ** media.attempts);
      await markMediaFailed(deps.dataSource, media, err instanceof Error ? err.message : String(err), retryAt);
      deps.logger.warn({ err, msgid: media.msgid, attempts: media.attempts + 1, dead: last }, "archive media fetch failed");
      if (last) report.dead++;
      else report.failed++;
    }
  }
  return report;
}

function verify(media: PendingMedia, data: Buffer): void {
  if (media.md5sum && createHash("md5").update(data).digest("hex") !== media.md5sum.toLowerCase()) {
    throw new Error("media md5 does not match the message's md5sum");
  }
}
