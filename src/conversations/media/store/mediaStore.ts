import { createHash } from "node:crypto";

/**
 * Where archived media's sealed bytes live: a content-addressed object store.
 * An object's address is the SHA-256 of its bytes (which are already sealed:
 * the store never sees plaintext), so an object is written once, never
 * changed, and every read can prove it got back what was written.
 *
 * put is idempotent (same address, same bytes); get answers null for an
 * object that is not there; delete of a missing object succeeds.
 */
export interface MediaStore {
  /** For logs and /readyz: "filesystem /var/lib/…/media", "s3 bucket guard-media at http://minio:9000". */
  readonly description: string;
  put(address: string, data: Buffer): Promise<void>;
  get(address: string): Promise<Buffer | null>;
  delete(address: string): Promise<void>;
  /** Remove what an interrupted put left behind (the filesystem's temporary files), older than the bound. */
  sweepTemporaryFiles?(now: Date, olderThanMs: number): Promise<number>;
  /** Release connections at shutdown. */
  close?(): void;
}

const ADDRESS = /^[0-9a-f]{64}$/;

/** The content address of stored bytes. */
export const mediaAddress = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

export function assertMediaAddress(address: string): void {
  // Addresses become file names and object keys: nothing but 64 hex digits may pass.
  if (!ADDRESS.test(address)) throw new Error(`not a media address: ${JSON.stringify(address.slice(0, 80))}`);
}

export class MediaObjectCorrupt extends Error {
  constructor(readonly address: string, where: string) {
    super(`media object ${address} in ${where} does not match its address (corrupt or replaced)`);
    this.name = "MediaObjectCorrupt";
  }
}

/** A read must return exactly the bytes that were put: a bit flip on disk or a swapped object is an error, not data. */
export function checkedObject(address: string, data: Buffer, where: string): Buffer {
  if (mediaAddress(data) !== address) throw new MediaObjectCorrupt(address, where);
  return data;
}
