import type { KeyObject } from "node:crypto";
import { rsaDecryptPkcs1v15, RsaDecryptError } from "./rsaPkcs1";

export interface EncryptedRandomKey {
  publickeyVer: number;
  /** base64, as in chatdata.encrypt_random_key */
  encryptedKey: string;
}

export type RandomKeyResult = { randomKey: string } | { error: string };

/**
 * Step 2 of WeCom's decryption: RSA-decrypt each message's random key with the
 * private key of its publickey_ver. RSA bounds archive throughput (~1,300
 * decrypts/s per core), which is why this is a batch interface: the worker
 * pool spreads a page over cores, the inline version runs on the caller's.
 */
export interface RandomKeyDecryptor {
  decryptBatch(items: EncryptedRandomKey[]): Promise<RandomKeyResult[]>;
  close(): Promise<void>;
}

export function unknownVersionError(ver: number): string {
  return `unknown publickey_ver ${ver}`;
}

export function decryptRandomKey(keys: ReadonlyMap<number, KeyObject>, item: EncryptedRandomKey): RandomKeyResult {
  const key = keys.get(item.publickeyVer);
  if (!key) return { error: unknownVersionError(item.publickeyVer) };
  try {
    // The random key is ASCII; latin1 maps its bytes to characters one to one.
    return { randomKey: rsaDecryptPkcs1v15(key, Buffer.from(item.encryptedKey, "base64")).toString("latin1") };
  } catch (err) {
    if (err instanceof RsaDecryptError) return { error: err.message };
    throw err;
  }
}

/** RSA on the calling thread. */
export class InlineRandomKeyDecryptor implements RandomKeyDecryptor {
  constructor(private readonly keys: ReadonlyMap<number, KeyObject>) {}

  async decryptBatch(items: EncryptedRandomKey[]): Promise<RandomKeyResult[]> {
    return items.map((item) => decryptRandomKey(this.keys, item));
  }

  async close(): Promise<void> {}
}
