import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { usesWeComSandbox, type Config } from "../config";
import { sandboxSecret } from "../secrets/sandboxSecret";
import type { Logger } from "../logger";
import { parseKeyRingJson } from "../secrets/keyRingJson";

/** What a protected value needs to be stored: the sealed bytes and the id of the key that sealed them. */
export interface Sealed {
  ciphertext: Buffer;
  keyId: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataKeyError";
  }
}

/**
 * AES-256-GCM at rest. Every row keeps the id of its key, so rotating means
 * adding a key and making it active: old rows stay readable until
 * re-encrypted. Ciphertext layout: iv(12) ‖ ciphertext ‖ tag(16).
 *
 * `context` is bound as additional authenticated data (e.g. the msgid), so a
 * sealed body copied onto another row fails to open instead of silently
 * showing the wrong message.
 */
export class DataKeyRing {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: Record<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    const map = new Map<string, Buffer>();
    for (const [id, key] of Object.entries(keys)) {
      if (key.length !== KEY_BYTES) throw new DataKeyError(`data key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
      map.set(id, key);
    }
    if (!map.has(activeKeyId)) throw new DataKeyError(`active data key "${activeKeyId}" is not in the key ring`);
    this.keys = map;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(plaintext: Buffer | string, context = ""): Sealed {
    const key = this.keys.get(this.activeKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, body, cipher.getAuthTag()]), keyId: this.activeKeyId };
  }

  open(sealed: Sealed, context = ""): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new DataKeyError(`data key "${sealed.keyId}" is not configured: cannot decrypt`);
    const data = sealed.ciphertext;
    if (data.length < IV_BYTES + TAG_BYTES) throw new DataKeyError("sealed value is too short");
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DataKeyError(`sealed value does not authenticate under key "${sealed.keyId}"`);
    }
  }

  /**
   * A keyed digest of `data` under the active key, as "<key id>:<hex>":
   * HMAC-SHA256 with a subkey derived (HKDF) for `purpose`, so equal data
   * gives equal digests (deduplication) while a reader of the database
   * without the key cannot test whether a well-known file is stored.
   */
  keyedDigest(data: Buffer, purpose: string): string {
    const subkey = Buffer.from(hkdfSync("sha256", this.keys.get(this.activeKeyId)!, Buffer.alloc(0), `digest:${purpose}`, KEY_BYTES));
    return `${this.activeKeyId}:${createHmac("sha256", subkey).update(data).digest("hex")}`;
  }

  /** Rotation step for one value: open with its own key, seal with the active one. */
  reseal(sealed: Sealed, context = ""): Sealed {
    if (sealed.keyId === this.activeKeyId) return sealed;
    return this.seal(this.open(sealed, context), context);
  }
}

/** The sandbox mode's own key: random, kept in the data folder (never derived). */
export const SANDBOX_KEY_ID = "sandbox-local";

/**
 * Key ring from DATA_ENCRYPTION_KEYS ({"id": "<base64 32 bytes>"}) with
 * DATA_ENCRYPTION_ACTIVE_KEY_ID (default: the first listed). Keys are never
 * derived: with real WeCom settings (or in production) config refuses to
 * start without them and this refuses again in case a caller bypassed it;
 * only the local sandbox mode generates a random key kept in the data folder.
 */
export function dataKeyRingFromConfig(config: Config, logger: Logger): DataKeyRing {
  if (!config.DATA_ENCRYPTION_KEYS) {
    if (!usesWeComSandbox(config)) throw new DataKeyError("DATA_ENCRYPTION_KEYS is required when WeCom settings are configured and in production");
    logger.warn({ keyId: SANDBOX_KEY_ID }, "DATA_ENCRYPTION_KEYS is unset: sealing with a random sandbox-only key kept in the data folder");
    return new DataKeyRing({ [SANDBOX_KEY_ID]: sandboxSecret(config, "data-key") }, SANDBOX_KEY_ID);
  }
  const ring = parseKeyRingJson("DATA_ENCRYPTION_KEYS", config.DATA_ENCRYPTION_KEYS, config.DATA_ENCRYPTION_ACTIVE_KEY_ID, (m) => new DataKeyError(m));
  return new DataKeyRing(ring.keys, ring.activeKeyId);
}
