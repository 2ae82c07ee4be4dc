import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { returnedRows } from "../../platform/db/returnedRows";
import { openObject, storeMediaObject, type MediaObjectDeps, type StoredObject } from "./mediaObjects";
import type { MediaStore } from "./store/mediaStore";

export interface PendingMedia {
  msgid: string;
  sdkfileid: string;
  expectedSize: number | null;
  md5sum: string | null;
  attempts: number;
}

/**
 * Rows stored before the object store kept their sealed bytes in
 * data_ciphertext, bound to their message and file so sealed bytes moved
 * onto another row fail to open. Read until the mover has moved them.
 */
export const mediaContext = (msgid: string, sdkfileid: string) => `media:${msgid}:${createHash("sha256").update(sdkfileid).digest("hex")}`;

/** Message types whose files we keep (stickers are not evidence). */
const FETCHED_TYPES = ["image", "voice", "video", "file", "mixed"];

/**
 * Queue media of messages stored recently (WeCom serves media for a limited
 * time, so older messages are not worth asking for). Idempotent.
 */
export async function enqueueMedia(dataSource: DataSource, since: Date, now: Date): Promise<number> {
  const queued: unknown[] = await dataSource.query(
    `INSERT INTO archive_media (msgid, sdkfileid, msg_time, msgtype, filename, expected_size, md5sum, next_attempt_at, created_at)
     SELECT m.msgid, ref->>'sdkfileid', m.msg_time, m.msgtype, ref->>'filename',
            CASE WHEN ref->>'filesize' ~ '^[0-9]+$' THEN (ref->>'filesize')::bigint END, ref->>'md5sum', $2, $2
       FROM archive_message m, jsonb_array_elements(m.media) AS ref
      WHERE m.msg_time >= $1 AND m.media IS NOT NULL AND m.msgtype = ANY($3)
        AND coalesce(ref->>'sdkfileid', '') <> ''
     ON CONFLICT DO NOTHING
     RETURNING msgid`,
    [since, now, FETCHED_TYPES],
  );
  return queued.length;
}

/**
 * Claim due media for one worker: the claim pushes next_attempt_at out by the
 * lease, so a second instance skips them and a crashed worker's claims come
 * due again after the lease.
 */
export async function claimDueMedia(dataSource: DataSource, now: Date, limit: number, leaseMs: number): Promise<PendingMedia[]> {
  const rows = returnedRows<{ msgid: string; sdkfileid: string; expected_size: string | null; md5sum: string | null; attempts: number }>(await dataSource.query(
    // Due rows in due order, read through archive_media_due alone whatever the statistics say (migration
    // 1767020000004), their lease set in the same statement.
    `SELECT msgid, sdkfileid, expected_size, md5sum, attempts FROM archive_media_claim($1, $2, $3)`,
    [now, new Date(now.getTime() + leaseMs), limit],
  ));
  return rows.map((r) => ({
    msgid: r.msgid,
    sdkfileid: r.sdkfileid,
    expectedSize: r.expected_size === null ? null : Number(r.expected_size),
    md5sum: r.md5sum,
    attempts: r.attempts,
  }));
}

/** The fetched file goes to the object store (shared with an identical file already there); the row points at it. */
export async function storeMedia(deps: MediaObjectDeps, media: PendingMedia, data: Buffer): Promise<StoredObject> {
  return storeMediaObject(deps, data, async (tx, address) =>
    returnedRows(await tx.query(
      `UPDATE archive_media SET status = 'stored', size = $3, object_address = $4, stored_at = $5, attempts = attempts + 1, last_error = NULL
        WHERE msgid = $1 AND sdkfileid = $2 RETURNING msgid`,
      [media.msgid, media.sdkfileid, data.length, address, deps.clock.now()],
    )).length > 0,
  );
}

export async function markMediaTooLarge(dataSource: DataSource, media: PendingMedia, size: number): Promise<void> {
  await dataSource.query(`UPDATE archive_media SET status = 'too_large', size = $3 WHERE msgid = $1 AND sdkfileid = $2`, [media.msgid, media.sdkfileid, size]);
}

/** A failed attempt: retry later, or park as dead after the last attempt. */
export async function markMediaFailed(dataSource: DataSource, media: PendingMedia, error: string, retryAt: Date | null): Promise<void> {
  await dataSource.query(
    `UPDATE archive_media SET attempts = attempts + 1, last_error = $3,
            status = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE status END,
            next_attempt_at = coalesce($4::timestamptz, next_attempt_at)
      WHERE msgid = $1 AND sdkfileid = $2`,
    [media.msgid, media.sdkfileid, error.slice(0, 1000), retryAt],
  );
}

/** The stored bytes of one file, decrypted; null when not (yet) stored. */
export async function readMedia(
  deps: { dataSource: DataSource; keyRing: DataKeyRing; store: MediaStore },
  msgid: string,
  sdkfileid: string,
): Promise<Buffer | null> {
  const [row]: Array<{ data_ciphertext: Buffer | null; data_key_id: string | null; address: string | null; content_digest: string | null; key_id: string | null }> =
    await deps.dataSource.query(
      `SELECT m.data_ciphertext, m.data_key_id, o.address, o.content_digest, o.key_id
         FROM archive_media m LEFT JOIN archive_media_object o ON o.address = m.object_address
        WHERE m.msgid = $1 AND m.sdkfileid = $2 AND m.status = 'stored'`,
      [msgid, sdkfileid],
    );
  if (!row) return null;
  if (row.address !== null) return openObject(deps, { address: row.address, contentDigest: row.content_digest!, keyId: row.key_id! });
  // Not moved yet: still in the row.
  return deps.keyRing.open({ ciphertext: row.data_ciphertext!, keyId: row.data_key_id! }, mediaContext(msgid, sdkfileid));
}
