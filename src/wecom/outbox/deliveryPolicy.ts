import { WECOM_ERRCODE } from "../client/errcodes";
import { retryDelayMs } from "../inbox/backoff";

/** How one send attempt ended, as the transport reported it. */
export type AttemptResult =
  | { kind: "sent"; msgid: string | null }
  /** WeCom answered with an errcode (the transport already retried its transient ones within the call). */
  | { kind: "refused"; errcode: number; error: string }
  /** No answer: it may have arrived (a timeout after sending, a lost reply). */
  | { kind: "unknown"; error: string }
  /** Not sent: the request never reached WeCom (connection refused, DNS). */
  | { kind: "network"; error: string };

export interface RowFacts {
  /** Sent with WeCom's duplicate check: a copy within its window is dropped by WeCom. */
  duplicateCheck: boolean;
  /** Every try after the first looks the message up at WeCom before sending (a 群发 task). */
  lookupBeforeResend: boolean;
  /** Still inside the duplicate-check window of the first attempt (see resendStillSuppressed). */
  withinDuplicateWindow: boolean;
  /** Attempts made, this one included. */
  attempts: number;
  /** Give up after this many attempts of a message that did not reach WeCom; null: never give up. */
  giveUpAfter: number | null;
}

export type Decision =
  | { close: "sent"; msgid: string | null }
  | { close: "failed" | "unknown"; errcode: number | null }
  | { retryInMs: number; errcode: number | null; rateLimited: boolean };

/** WeCom's answers that mean "not now", not "never" (path/90313: -1 系统繁忙, 45009 频率限制, 45033 并发限制). */
const TRANSIENT: readonly number[] = [WECOM_ERRCODE.BUSY, WECOM_ERRCODE.RATE_LIMITED, WECOM_ERRCODE.CONCURRENCY_LIMITED];

/** A robot's or an API's minute is spent: the next try waits for the next minute. */
const RATE_LIMIT_WAIT_MS = 60_000;
/** However often it failed, a message still due is tried at least this often. */
const MAX_RETRY_MS = 30 * 60_000;
/**
 * A message that may have reached WeCom is looked up again no sooner than this: a task created a moment ago
 * may not be listed yet, and looking too early would send it twice.
 */
export const LOOKUP_WAIT_MS = 5 * 60_000;

/**
 * The one retry rule of everything we send to WeCom. Nothing is sent twice: a message whose outcome is
 * unknown is repeated only while WeCom's duplicate check would drop the copy, otherwise it is closed as
 * "unknown" — or, for a message WeCom lets us look up (a 群发 task), tried again after LOOKUP_WAIT_MS, the
 * try beginning with the look-up. Nothing is dropped silently: "not now" answers and unreachable WeCom are retried with
 * backoff; any other errcode would be answered the same way again (bad parameter, no valid recipient, a
 * used response_code), so the message is closed as failed and its owner hears it.
 */
export function decideDelivery(result: AttemptResult, row: RowFacts): Decision {
  if (result.kind === "sent") return { close: "sent", msgid: result.msgid };
  const exhausted = row.giveUpAfter !== null && row.attempts >= row.giveUpAfter;
  const backoff = Math.min(MAX_RETRY_MS, retryDelayMs(row.attempts));
  switch (result.kind) {
    case "refused": {
      if (!TRANSIENT.includes(result.errcode)) return { close: "failed", errcode: result.errcode };
      if (exhausted) return { close: "failed", errcode: result.errcode };
      const rateLimited = result.errcode !== WECOM_ERRCODE.BUSY;
      return { retryInMs: rateLimited ? RATE_LIMIT_WAIT_MS : backoff, errcode: result.errcode, rateLimited };
    }
    case "unknown":
      if (row.lookupBeforeResend) return exhausted ? { close: "unknown", errcode: null } : { retryInMs: Math.max(LOOKUP_WAIT_MS, backoff), errcode: null, rateLimited: false };
      if (!(row.duplicateCheck && row.withinDuplicateWindow)) return { close: "unknown", errcode: null };
      return exhausted ? { close: "unknown", errcode: null } : { retryInMs: backoff, errcode: null, rateLimited: false };
    case "network":
      return exhausted ? { close: "failed", errcode: null } : { retryInMs: backoff, errcode: null, rateLimited: false };
  }
}
