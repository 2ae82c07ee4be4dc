import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import type { Clock } from "../../platform/clock";
import { SandboxApiError } from "../apiError";
import { ERR } from "../errcodes";
import { encryptChatMessage, type EncryptedChatRecord } from "./chatEncryption";

/** What GetChatData hands out per message. */
export interface ChatDataRecord extends EncryptedChatRecord {
  seq: number;
  msgid: string;
  publickey_ver: number;
}

interface StoredRecord extends ChatDataRecord {
  /** The decrypted JSON, for test assertions; never served. */
  plain: Record<string, unknown> | undefined;
  storedAt: number;
}

export const MEDIA_CHUNK_BYTES = 512 * 1024;
/** ⚠ 3 or 5 days in the docs; the sandbox takes the longer window. */
export const ARCHIVE_PULL_WINDOW_MS = 5 * 86_400_000;

/**
 * The chat archive behind the Finance SDK: RSA key pairs per publickey_ver,
 * messages in seq order (encrypted once, on arrival, like WeCom), media files.
 */
export class ChatArchive {
  private readonly keys = new Map<number, { publicKey: string; privateKey: string }>();
  private currentVersion: number | undefined;
  private readonly records: StoredRecord[] = [];
  private readonly media = new Map<string, Buffer>();

  constructor(
    private readonly clock: Clock,
    private readonly secret: string,
  ) {}

  /** Creates a key pair for a version, makes it current, and returns the private PEM for our service. */
  addKeyVersion(version: number): string {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    this.keys.set(version, { publicKey, privateKey });
    this.currentVersion = version;
    return privateKey;
  }

  /** Restores a known key pair (a standalone sandbox reusing its key across restarts). */
  useKeyPair(version: number, publicKey: string, privateKey: string): void {
    this.keys.set(version, { publicKey, privateKey });
    this.currentVersion = version;
  }

  get keyVersion(): number | undefined {
    return this.currentVersion;
  }

  /** Appends a message (without seq; it is assigned here) and returns its seq. */
  append(message: Record<string, unknown> & { msgid: string }): number {
    const version = this.currentVersion;
    const key = version === undefined ? undefined : this.keys.get(version);
    if (version === undefined || !key) throw new Error("sandbox archive: call addKeyVersion() first");
    const seq = this.records.length + 1;
    this.records.push({
      seq,
      msgid: message.msgid,
      publickey_ver: version,
      ...encryptChatMessage(key.publicKey, JSON.stringify(message)),
      plain: message,
      storedAt: this.clock.now().getTime(),
    });
    return seq;
  }

  /** A record our service cannot decrypt: a key version it never got, or a garbage ciphertext. */
  appendUndecryptable(kind: "unknown_key_version" | "garbage_ciphertext"): number {
    const seq = this.records.length + 1;
    const version = this.currentVersion ?? 1;
    const msgid = `${randomBytes(8).toString("hex")}_sandbox_broken`;
    this.records.push({
      seq,
      msgid,
      publickey_ver: kind === "unknown_key_version" ? version + 1000 : version,
      encrypt_random_key: randomBytes(256).toString("base64"),
      encrypt_chat_msg: randomBytes(64).toString("base64"),
      plain: undefined,
      storedAt: this.clock.now().getTime(),
    });
    return seq;
  }

  storeMedia(data: Buffer): { sdkfileid: string; md5sum: string; filesize: number } {
    const sdkfileid = randomBytes(32).toString("base64");
    this.media.set(sdkfileid, data);
    return { sdkfileid, md5sum: createHash("md5").update(data).digest("hex"), filesize: data.length };
  }

  get size(): number {
    return this.records.length;
  }

  plainMessages(): Array<Record<string, unknown>> {
    return this.records.flatMap((r) => (r.plain ? [r.plain] : []));
  }

  /** GetChatData: messages after `seq`, at most `limit`, only within the pull window. */
  chatData(input: { seq: unknown; limit: unknown; secret: unknown }): ChatDataRecord[] {
    this.checkSecret(input.secret);
    const seq = Number(input.seq ?? 0);
    const limit = Number(input.limit);
    if (!Number.isInteger(seq) || seq < 0) throw new SandboxApiError(ERR.sdkParameter, "invalid seq");
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new SandboxApiError(ERR.sdkParameter, "limit must be 1..1000");
    const oldest = this.clock.now().getTime() - ARCHIVE_PULL_WINDOW_MS;
    return this.records
      .filter((r) => r.seq > seq && r.storedAt >= oldest)
      .slice(0, limit)
      .map(({ seq: s, msgid, publickey_ver, encrypt_random_key, encrypt_chat_msg }) => ({
        seq: s,
        msgid,
        publickey_ver,
        encrypt_random_key,
        encrypt_chat_msg,
      }));
  }

  /** GetMediaData: one ≤512 KB chunk from the offset in indexbuf. */
  mediaChunk(input: { sdkfileid: unknown; indexbuf: unknown; secret?: unknown }): {
    data: string;
    outindexbuf: string;
    is_finish: boolean;
  } {
    if (input.secret !== undefined) this.checkSecret(input.secret);
    const file = typeof input.sdkfileid === "string" ? this.media.get(input.sdkfileid) : undefined;
    if (!file) throw new SandboxApiError(ERR.sdkInvalidFileId, "unknown sdkfileid");
    const offset = input.indexbuf ? Number(Buffer.from(String(input.indexbuf), "base64").toString("utf8")) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > file.length) {
      throw new SandboxApiError(ERR.sdkInvalidFileId, "invalid indexbuf");
    }
    const end = Math.min(offset + MEDIA_CHUNK_BYTES, file.length);
    return {
      data: file.subarray(offset, end).toString("base64"),
      outindexbuf: Buffer.from(String(end), "utf8").toString("base64"),
      is_finish: end >= file.length,
    };
  }

  private checkSecret(secret: unknown): void {
    if (secret !== this.secret) throw new SandboxApiError(ERR.sdkInvalidSecret, "invalid chat-archive secret");
  }
}
