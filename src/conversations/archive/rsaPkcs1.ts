import { constants, createPrivateKey, privateDecrypt, type KeyObject } from "node:crypto";

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
 * does not reveal where the separator was or which check failed. (The
 * JavaScript engine gives no hard constant-time guarantee; the oracle risk is
 * further limited because a failure only dead-letters a message, it is never
 * reported back to whoever produced the ciphertext.)
 *
 * Self-contained on purpose (only the Buffer global): the RSA worker pool
 * ships this function's source text to worker threads.
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

/** RSA private-key decryption of a PKCS#1 v1.5 ciphertext. */
export function rsaDecryptPkcs1v15(key: KeyObject, ciphertext: Buffer): Buffer {
  let block: Buffer;
  try {
    block = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch (err) {
    throw new RsaDecryptError(`RSA decryption failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const message = unpadPkcs1v15(block);
  if (!message) throw new RsaDecryptError("RSA decryption failed: bad PKCS#1 v1.5 padding");
  return Buffer.from(message);
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
      keys.set(version, createPrivateKey(pem));
    } catch {
      // Never echo the PEM: a wrapper printing the private key in logs is a known failure.
      throw new RsaDecryptError(`WECOM_ARCHIVE_PRIVATE_KEYS entry "${ver}" is not a valid private key`);
    }
  }
  return keys;
}
