import * as nodeCrypto from "node:crypto";
import type { KeyObject } from "node:crypto";

/**
 * Step 2 of WeCom's decryption: RSA-decrypt each message's encrypt_random_key
 * (PKCS#1 v1.5) with the private key of its publickey_ver.
 *
 * The functions from RsaDecryptError to decryptRandomKey are self-contained
 * (only their parameters and the Buffer global): the RSA worker pool ships
 * their source text to worker threads (rsaWorkerSource), so the main thread
 * and the workers run the very same code.
 */

type RsaCrypto = Pick<typeof nodeCrypto, "privateDecrypt" | "constants">;

export interface EncryptedRandomKey {
  publickeyVer: number;
  /** base64, as in chatdata.encrypt_random_key */
  encryptedKey: string;
}

export type RandomKeyResult = { randomKey: string } | { error: string };

export class RsaDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RsaDecryptError";
  }
}

/**
 * Remove PKCS#1 v1.5 type-2 padding: 00 02 PS(≥8 non-zero) 00 M.
 *
 * Node 20 refuses RSA_PKCS1_PADDING for private decryption (CVE-2023-46809,
 * the Marvin timing attack), so we decrypt raw and unpad here. The scan
 * touches every byte and branches only on the final verdict, so its timing
 * does not reveal where the separator was or which check failed. (JavaScript
 * gives no hard constant-time guarantee; the oracle risk is further limited
 * because a failure only dead-letters a message and is never reported back to
 * whoever produced the ciphertext.)
 */
export function unpadPkcs1v15(block: Uint8Array): Uint8Array | undefined {
  const n = block.length;
  let bad = (block[0]! | (block[1]! ^ 0x02)) !== 0 ? 1 : 0;
  let separator = 0;
  let seen = 0;
  for (let i = 2; i < n; i++) {
    const isZero = block[i] === 0 ? 1 : 0;
    const first = isZero & (seen ^ 1);
    separator |= -first & i;
    seen |= isZero;
  }
  bad |= seen ^ 1;
  bad |= separator < 10 ? 1 : 0;
  if (bad) return undefined;
  return block.subarray(separator + 1);
}

export function rsaDecryptPkcs1v15(key: KeyObject, ciphertext: Buffer, crypto: RsaCrypto = nodeCrypto): Buffer {
  let block: Buffer;
  try {
    block = crypto.privateDecrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, ciphertext);
  } catch (err) {
    // Not `instanceof Error`: errors from node:crypto may come from another realm (worker threads, test VMs).
    throw new RsaDecryptError(`RSA decryption failed: ${(err as { message?: string })?.message ?? String(err)}`);
  }
  const message = unpadPkcs1v15(block);
  if (!message) throw new RsaDecryptError("RSA decryption failed: bad PKCS#1 v1.5 padding");
  return Buffer.from(message);
}

/** A per-message problem comes back as `error` (→ dead letter); anything else throws. */
export function decryptRandomKey(keys: ReadonlyMap<number, KeyObject>, item: EncryptedRandomKey, crypto: RsaCrypto = nodeCrypto): RandomKeyResult {
  const key = keys.get(item.publickeyVer);
  if (!key) return { error: `unknown publickey_ver ${item.publickeyVer}` };
  try {
    // The random key is ASCII; latin1 maps its bytes to characters one to one.
    return { randomKey: rsaDecryptPkcs1v15(key, Buffer.from(item.encryptedKey, "base64"), crypto).toString("latin1") };
  } catch (err) {
    if (err instanceof RsaDecryptError) return { error: err.message };
    throw err;
  }
}

/** Source text defining RsaDecryptError, unpadPkcs1v15, rsaDecryptPkcs1v15 and decryptRandomKey in a worker. */
export function rsaWorkerSource(): string {
  return [RsaDecryptError, unpadPkcs1v15, rsaDecryptPkcs1v15, decryptRandomKey].map((fn) => fn.toString()).join("\n");
}

/**
 * WECOM_ARCHIVE_PRIVATE_KEYS: {"<publickey_ver>": "<PEM>"}. Old messages keep
 * the version they were sealed with, so every version ever used stays here.
 */
export function parseArchivePrivateKeys(json: string | undefined): Map<number, KeyObject> {
  const keys = new Map<number, KeyObject>();
  if (!json) return keys;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new RsaDecryptError("WECOM_ARCHIVE_PRIVATE_KEYS is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RsaDecryptError('WECOM_ARCHIVE_PRIVATE_KEYS must be a JSON object {"<publickey_ver>": "<PEM>"}');
  }
  for (const [ver, pem] of Object.entries(parsed)) {
    const version = Number(ver);
    if (!Number.isInteger(version) || typeof pem !== "string") {
      throw new RsaDecryptError(`WECOM_ARCHIVE_PRIVATE_KEYS entry "${ver}" must map an integer version to a PEM string`);
    }
    try {
      keys.set(version, nodeCrypto.createPrivateKey(pem));
    } catch {
      // Never echo the PEM: a wrapper printing the private key in logs is a known failure.
      throw new RsaDecryptError(`WECOM_ARCHIVE_PRIVATE_KEYS entry "${ver}" is not a valid private key`);
    }
  }
  return keys;
}
