import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { DataKeyRing } from "../../platform/dataProtection/keyRing";
import { returnedRows } from "../../platform/db/returnedRows";
import { mediaAddress, type MediaStore } from "./store/mediaStore";

export interface MediaObjectDeps {
  dataSource: DataSource;
  keyRing: DataKeyRing;
  store: MediaStore;
  clock: Clock;
}

/**
 * A stored object is sealed bound to the keyed digest of its plaintext, not
 * to one message: the same file sent in two messages is one object. Sealed
 * bytes put behind another object's address fail both the address check
 * (SHA-256 of the bytes) and the seal.
 */
export const objectContext = (contentDigest: string) => `media-object:${contentDigest}`;

const DIGEST_PURPOSE = "archive-media";
/** Advisory-lock class of "one content digest at a time" (the two-key form: its key space is apart from single-key locks). */
const CONTENT_LOCK_CLASS = 0x6d656469; // "medi"

/** Runs in the transaction that makes the row point at its object; answers whether a row was linked. */
export type LinkRow = (tx: EntityManager, address: string) => Promise<boolean>;

export interface StoredObject {
  address: string;
  /** True when an identical file was already stored and this row now shares it. */
  reused: boolean;
  linked: boolean;
}

/**
 * Store `data` for one archive_media row. When a live object with the same
 * content exists, the row is linked to it and nothing is uploaded; otherwise
 * the object is recorded as 'writing', uploaded, and made live in the
 * transaction that links the row. Concurrent stores of the same content
 * queue on an advisory lock of its digest, so the second links to the first.
 *
 * Crash safety: an upload never committed leaves a 'writing' row (collected
 * after the upload lease with its object); a row is never linked to an
 * object that is not fully written. With `verify`, the object is read back
 * and opened before the row is linked (the mover: nothing is emptied on trust).
 */
export async function storeMediaObject(deps: MediaObjectDeps, data: Buffer, link: LinkRow, options: { verify?: boolean } = {}): Promise<StoredObject> {
  const digest = deps.keyRing.keyedDigest(data, DIGEST_PURPOSE);
  const existing = await deps.dataSource.transaction(async (tx) => {
    const live = await lockLiveObject(tx, digest);
    if (live === undefined) return undefined;
    if (options.verify) await verifyObject(deps, live, data);
    return { address: live.address, linked: await link(tx, live.address) };
  });
  if (existing) return { ...existing, reused: true };

  const sealed = deps.keyRing.seal(data, objectContext(digest));
  const address = mediaAddress(sealed.ciphertext);
  await deps.dataSource.query(
    `INSERT INTO archive_media_object (address, content_digest, key_id, size, refs, state, created_at) VALUES ($1, $2, $3, $4, 0, 'writing', $5)`,
    [address, digest, sealed.keyId, data.length, deps.clock.now()],
  );
  await deps.store.put(address, sealed.ciphertext);
  if (options.verify) await verifyObject(deps, { address, contentDigest: digest, keyId: sealed.keyId }, data);

  return deps.dataSource.transaction(async (tx) => {
    const live = await lockLiveObject(tx, digest);
    if (live !== undefined) {
      // Another store of the same file won meanwhile: share its object, ours is garbage.
      await tx.query(`UPDATE archive_media_object SET state = 'deleting' WHERE address = $1 AND state = 'writing'`, [address]);
      if (options.verify) await verifyObject(deps, live, data);
      return { address: live.address, reused: true, linked: await link(tx, live.address) };
    }
    const promoted = returnedRows(await tx.query(`UPDATE archive_media_object SET state = 'live' WHERE address = $1 AND state = 'writing' RETURNING address`, [address]));
    if (promoted.length === 0) throw new Error(`media object ${address} was collected before its upload was committed (upload slower than the lease)`);
    return { address, reused: false, linked: await link(tx, address) };
  });
}

interface ObjectRef {
  address: string;
  contentDigest: string;
  keyId: string;
}

async function lockLiveObject(tx: EntityManager, digest: string): Promise<ObjectRef | undefined> {
  await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [CONTENT_LOCK_CLASS, digest]);
  // FOR UPDATE: the collector cannot mark it 'deleting' until this transaction has added its reference.
  const [row]: Array<{ address: string; key_id: string }> = await tx.query(
    `SELECT address, key_id FROM archive_media_object WHERE content_digest = $1 AND state = 'live' FOR UPDATE`,
    [digest],
  );
  return row && { address: row.address, contentDigest: digest, keyId: row.key_id };
}

async function verifyObject(deps: MediaObjectDeps, object: ObjectRef, expected: Buffer): Promise<void> {
  const read = await openObject(deps, object);
  if (!read.equals(expected)) throw new Error(`media object ${object.address} read back differs from what was written`);
}

export class MediaObjectMissing extends Error {
  constructor(readonly address: string, where: string) {
    super(`media object ${address} is missing from ${where}`);
    this.name = "MediaObjectMissing";
  }
}

/** Read and open one object; a missing object is an error (a row points at it). */
export async function openObject(deps: Pick<MediaObjectDeps, "keyRing" | "store">, object: ObjectRef): Promise<Buffer> {
  const sealed = await deps.store.get(object.address);
  if (sealed === null) throw new MediaObjectMissing(object.address, deps.store.description);
  return deps.keyRing.open({ ciphertext: sealed, keyId: object.keyId }, objectContext(object.contentDigest));
}

export interface MediaGarbageReport {
  /** Objects deleted from the store (and their rows). */
  deleted: number;
  /** Of those, uploads a crash had left unfinished. */
  abandonedUploads: number;
  /** The store refused the delete: left marked 'deleting', retried next run. */
  failed: number;
}

/**
 * Delete objects no row refers to any more (the last message erased or
 * purged), and uploads abandoned longer than `uploadLeaseMs`. Each is first
 * marked 'deleting' under its row lock, so a store of the same file made
 * meanwhile either got its reference in first (and the object stays) or
 * uploads a new object; the object is deleted from the store, then its row.
 * A crash between the two leaves the 'deleting' row: the next run deletes
 * the object again (a no-op) and the row. Runs in batches until done.
 */
export async function collectMediaGarbage(deps: MediaObjectDeps, options: { uploadLeaseMs?: number; batch?: number } = {}): Promise<MediaGarbageReport> {
  const { uploadLeaseMs = 60 * 60_000, batch = 200 } = options;
  const report: MediaGarbageReport = { deleted: 0, abandonedUploads: 0, failed: 0 };
  const abandonedBefore = new Date(deps.clock.now().getTime() - uploadLeaseMs);
  const failed = new Set<string>();
  for (;;) {
    const doomed = returnedRows<{ address: string; was: string }>(
      await deps.dataSource.query(
        `UPDATE archive_media_object o SET state = 'deleting'
           FROM (SELECT address, state AS was FROM archive_media_object
                  WHERE ((state = 'live' AND refs = 0) OR (state = 'writing' AND created_at < $1) OR state = 'deleting')
                    AND NOT (address = ANY($3::text[]))
                  ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) g
          WHERE o.address = g.address
         RETURNING o.address, g.was`,
        [abandonedBefore, batch, [...failed]],
      ),
    );
    if (doomed.length === 0) break;
    for (const { address, was } of doomed) {
      try {
        await deps.store.delete(address);
      } catch {
        failed.add(address); // stays 'deleting': the next run tries again
        continue;
      }
      const gone = returnedRows(await deps.dataSource.query(`DELETE FROM archive_media_object WHERE address = $1 AND state = 'deleting' AND refs = 0 RETURNING address`, [address]));
      if (gone.length > 0) {
        report.deleted++;
        if (was === "writing") report.abandonedUploads++;
      }
    }
    if (doomed.length < batch) break;
  }
  report.failed = failed.size;
  await deps.store.sweepTemporaryFiles?.(deps.clock.now(), uploadLeaseMs);
  return report;
}
