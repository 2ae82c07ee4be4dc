import { createHmac } from "node:crypto";
import { usesWeComSandbox, type Config } from "../../platform/config";
import { parseKeyRingJson } from "../../platform/secrets/keyRingJson";
import { sandboxSecret } from "../../platform/secrets/sandboxSecret";
import type { Logger } from "../../platform/logger";

export class SearchIndexKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SearchIndexKeyError";
  }
}

const MIN_KEY_BYTES = 32;
/** Distinct tokens per key kept hashed in memory; a chat vocabulary is far smaller, so hits dominate. */
const CACHE_LIMIT = 200_000;

/**
 * The blind index's keys: HMAC-SHA-256(key, token) cut to a signed 32-bit
 * integer. Separate from the data keys (a leaked index key reveals token
 * equality, never bodies) and rotatable the same way: every row keeps the id
 * of the key that hashed it, a query is hashed with every configured key, and
 * the back-fill re-hashes rows of other keys with the active one. Once it has
 * finished, the old key is removed and its hashes match nothing any more.
 */
export class SearchIndexKeys {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly caches = new Map<string, Map<string, number>>();

  constructor(
    keys: Record<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    const map = new Map<string, Buffer>();
    for (const [id, key] of Object.entries(keys)) {
      if (key.length < MIN_KEY_BYTES) throw new SearchIndexKeyError(`search index key "${id}" must be at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
      map.set(id, key);
    }
    if (!map.has(activeKeyId)) throw new SearchIndexKeyError(`active search index key "${activeKeyId}" is not configured`);
    this.keys = map;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** The keyed 32-bit value of one token under one key. */
  hash(keyId: string, token: string): number {
    const key = this.keys.get(keyId);
    if (!key) throw new SearchIndexKeyError(`search index key "${keyId}" is not configured`);
    let cache = this.caches.get(keyId);
    if (!cache) this.caches.set(keyId, (cache = new Map()));
    const hit = cache.get(token);
    if (hit !== undefined) return hit;
    const value = createHmac("sha256", key).update(token, "utf8").digest().readInt32BE(0);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(token, value);
    return value;
  }

  /** Distinct keyed values of these tokens, sorted (a stable array for storage and for @>). */
  hashAll(keyId: string, tokens: string[]): number[] {
    return [...new Set(tokens.map((t) => this.hash(keyId, t)))].sort((a, b) => a - b);
  }
}

/** The sandbox mode's own index key: random, kept in the data folder beside its data key (never derived). */
export const SANDBOX_SEARCH_KEY_ID = "sandbox-local";

/**
 * Keys from SEARCH_INDEX_KEYS ({"id": "<base64, ≥ 32 bytes>"}) and
 * SEARCH_INDEX_ACTIVE_KEY_ID (default: the first listed). Like the data keys,
 * they are never derived: with real WeCom settings or in production config
 * refuses to start without them (and this refuses again in case a caller
 * bypassed it); only the local sandbox mode generates a random key, kept in
 * the data folder so a restart does not re-index the whole archive.
 */
export function searchIndexKeysFromConfig(config: Config, logger: Logger): SearchIndexKeys {
  if (!config.SEARCH_INDEX_KEYS) {
    if (!usesWeComSandbox(config)) throw new SearchIndexKeyError("SEARCH_INDEX_KEYS is required when WeCom settings are configured and in production");
    logger.warn({ keyId: SANDBOX_SEARCH_KEY_ID }, "SEARCH_INDEX_KEYS is unset: the archive search index uses a random sandbox-only key kept in the data folder");
    return new SearchIndexKeys({ [SANDBOX_SEARCH_KEY_ID]: sandboxSecret(config, "search-index-key") }, SANDBOX_SEARCH_KEY_ID);
  }
  const ring = parseKeyRingJson("SEARCH_INDEX_KEYS", config.SEARCH_INDEX_KEYS, config.SEARCH_INDEX_ACTIVE_KEY_ID, (m) => new SearchIndexKeyError(m));
  return new SearchIndexKeys(ring.keys, ring.activeKeyId);
}
