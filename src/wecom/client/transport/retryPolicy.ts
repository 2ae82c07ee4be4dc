import { WeComApiError, WeComTransportError } from "../errors";

/** -1 busy, 45009 call-rate limit, 45033 concurrency limit: WeCom says "try again later". */
const transientErrcodes = new Set([-1, 45009, 45033]);

export function isTransient(err: unknown): boolean {
  if (err instanceof WeComApiError) return transientErrcodes.has(err.errcode);
  if (err instanceof WeComTransportError) {
    return (
      err.reason === "not_sent" ||
      err.reason === "network" ||
      err.reason === "timeout" ||
      (err.reason === "http_status" && (err.httpStatus ?? 0) >= 500)
    );
  }
  return false;
}

/**
 * A transient failure after which WeCom may have acted: the request went out and no WeCom answer came
 * back. An errcode is WeCom's own answer ("busy, not done"), and a connection that never opened carried
 * nothing, so neither of those leaves the outcome open.
 */
export function outcomeOpen(err: unknown): err is WeComTransportError {
  return isTransient(err) && err instanceof WeComTransportError && err.reason !== "not_sent";
}

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): a random wait in
 * [0, min(cap, base·2^retry)), so many instances hit by the same throttle do not retry in lockstep.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
