import type { CallbackCrypto } from "../crypto/callbackCrypto";
import { CallbackRejected } from "../crypto/callbackRejected";
import { dedupeKey } from "../events/dedupeKey";
import { eventKind } from "../events/eventKind";
import { parseEvent, parseXml } from "../events/parseEvent";
import type { WeComEvent } from "../events/types";

export interface CallbackQuery {
  msg_signature?: unknown;
  timestamp?: unknown;
  nonce?: unknown;
  echostr?: unknown;
}

export interface OpenedCallback {
  event: WeComEvent;
  kind: string;
  dedupeKey: string;
  rawXml: string;
}

export interface CallbackGuard {
  crypto: CallbackCrypto;
  /** Accepted clock skew either way, in seconds. */
  windowSeconds: number;
  nowMs: number;
}

const param = (v: unknown): string => {
  if (typeof v !== "string" || v === "") throw new CallbackRejected("missing_parameter");
  return v;
};

function checkTimestamp(timestamp: string, guard: CallbackGuard): void {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!(Math.abs(guard.nowMs / 1000 - seconds) <= guard.windowSeconds)) throw new CallbackRejected("stale_timestamp");
}

/**
 * GET URL verification: returns the plaintext to echo. Base64 has no spaces, so
 * a space in echostr is a '+' that a client forgot to URL-encode.
 */
export function openUrlVerification(query: CallbackQuery, guard: CallbackGuard): string {
  const signature = param(query.msg_signature);
  const timestamp = param(query.timestamp);
  const nonce = param(query.nonce);
  const echostr = param(query.echostr).replace(/ /g, "+");
  checkTimestamp(timestamp, guard);
  guard.crypto.verifySignature(signature, timestamp, nonce, echostr);
  return guard.crypto.decrypt(echostr);
}

/** The envelope is untrusted until its signature checks, so only the Encrypt element is read from it. */
function envelopeCiphertext(body: string): string {
  const root = parseXml(body);
  const xml = root.xml;
  const keys = Object.keys(root);
  if (keys.length !== 1 || xml === null || typeof xml !== "object") throw new CallbackRejected("malformed_xml");
  const encrypt = (xml as Record<string, unknown>).Encrypt;
  if (typeof encrypt !== "string" || encrypt === "") throw new CallbackRejected("malformed_xml");
  return encrypt;
}

/**
 * POST event: check the query, timestamp window and signature, decrypt (which
 * checks padding and receive id), parse. Everything here is pure CPU; the
 * route and the benchmark baseline share it.
 */
export function openEventCallback(query: CallbackQuery, body: string, guard: CallbackGuard): OpenedCallback {
  const signature = param(query.msg_signature);
  const timestamp = param(query.timestamp);
  const nonce = param(query.nonce);
  const encrypt = envelopeCiphertext(body);
  checkTimestamp(timestamp, guard);
  guard.crypto.verifySignature(signature, timestamp, nonce, encrypt);
  const rawXml = guard.crypto.decrypt(encrypt);
  const event = parseEvent(rawXml);
  return { event, kind: eventKind(event), dedupeKey: dedupeKey(event, rawXml), rawXml };
}

/** The Encrypt element of an envelope, or undefined when there is none (for the refusal's log line only). */
export function encryptOf(body: string): string | undefined {
  try {
    return envelopeCiphertext(body);
  } catch {
    return undefined;
  }
}

/** Does this pair's Token produce the query's signature? Used only to name the setting to align. */
export function signedWith(query: CallbackQuery, encrypt: string | undefined, crypto: CallbackCrypto): boolean {
  if (encrypt === undefined) return false;
  try {
    crypto.verifySignature(param(query.msg_signature), param(query.timestamp), param(query.nonce), encrypt);
    return true;
  } catch {
    return false;
  }
}
