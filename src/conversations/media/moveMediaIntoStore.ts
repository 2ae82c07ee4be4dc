import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { returnedRows } from "../../platform/db/returnedRows";
import type { Logger } from "../../platform/logger";
import { mediaContext } from "./mediaRows";
import { storeMediaObject } from "./mediaObjects";
import type { MediaStore } from "./store/mediaStore";

export interface MoveMediaDeps {
  dataSource: DataSource;
  keyRing: DataKeyRing;
  store: MediaStore;
  clock: Clock;
  logger: Logger;
}

export interface MoveMediaReport {
  moved: number;
  /** Of those, files identical to one already in the store: linked, not uploaded again. */
  shared: number;
  /** Rows that could not be moved this run (the error is logged); they keep their bytes and are tried next run. */
  failed: number;
  /** Rows still holding their bytes in PostgreSQL after this run. */
  remaining: number;
}

/**
 * Moves media stored before the object store existed out of
 * archive_media.data_ciphertext: each row is opened with its old binding,
 * written to the store, read back and opened again, and only then, in the
 * transaction that points the row at its object, is the column emptied. A
 * crash at any point leaves the row with its bytes (moved again next run) or
 * the row moved; an uploaded object no row took is collected as garbage.
 * Resumable by construction: the rows say what is left. A row erased while
 * it was being moved stays erased (the update finds nothing). Rows are read
 * one at a time (each may hold megabytes) in key order; a row that fails is
 * skipped for the rest of the run.
 */
export async function moveMediaIntoStore(deps: MoveMediaDeps, options: { batch?: number; signal?: AbortSignal } = {}): Promise<MoveMediaReport> {
  const { batch = 100, signal } = options;
  const report: MoveMediaReport = { moved: 0, shared: 0, failed: 0, remaining: 0 };
  let after: [string, string] = ["", ""];
  while (!signal?.aborted) {
    const keys: Array<{ msgid: string; sdkfileid: string }> = await deps.dataSource.query(
      `SELECT msgid, sdkfileid FROM archive_media WHERE data_ciphertext IS NOT NULL AND (msgid, sdkfileid) > ($1, $2)
        ORDER BY msgid, sdkfileid LIMIT $3`,
      [after[0], after[1], batch],
    );
    if (keys.length === 0) break;
    for (const key of keys) {
      if (signal?.aborted) break;
      after = [key.msgid, key.sdkfileid];
      try {
        const outcome = await moveOne(deps, key.msgid, key.sdkfileid);
        if (outcome === "moved" || outcome === "shared") report.moved++;
        if (outcome === "shared") report.shared++;
      } catch (err) {
        report.failed++;
        deps.logger.error({ err, msgid: key.msgid }, "archive media could not be moved into the object store; it stays in the database");
      }
    }
  }
  const [{ remaining }] = await deps.dataSource.query(`SELECT count(*)::int AS remaining FROM archive_media WHERE data_ciphertext IS NOT NULL`);
  report.remaining = remaining;
  if (report.moved > 0 || report.failed > 0) deps.logger.info({ ...report, store: deps.store.description }, "archive media moved into the object store");
  return report;
}

async function moveOne(deps: MoveMediaDeps, msgid: string, sdkfileid: string): Promise<"moved" | "shared" | "gone"> {
  const [row]: Array<{ data_ciphertext: Buffer; data_key_id: string }> = await deps.dataSource.query(
    `SELECT data_ciphertext, data_key_id FROM archive_media WHERE msgid = $1 AND sdkfileid = $2 AND data_ciphertext IS NOT NULL`,
    [msgid, sdkfileid],
  );
  if (!row) return "gone";
  const data = deps.keyRing.open({ ciphertext: row.data_ciphertext, keyId: row.data_key_id }, mediaContext(msgid, sdkfileid));
  const stored = await storeMediaObject(
    deps,
    data,
    async (tx, address) =>
      returnedRows(
        await tx.query(
          `UPDATE archive_media SET object_address = $3, data_ciphertext = NULL, data_key_id = NULL
            WHERE msgid = $1 AND sdkfileid = $2 AND data_ciphertext IS NOT NULL AND object_address IS NULL RETURNING msgid`,
          [msgid, sdkfileid, address],
        ),
      ).length > 0,
    { verify: true },
  );
  if (!stored.linked) return "gone";
  return stored.reused ? "shared" : "moved";
}
