import { TRANSFER_RESULT_STATUS } from "../../wecom";
import { classifyCallErrcode, failureText, RESULT_FAILURE } from "./transferErrors";

/**
 * Lifecycle of one parent's transfer from a leaver to a successor.
 *
 *   requested ──call 0──▶ waiting (24 h) ──▶ done | refused | successor_over_limit
 *       │                     │
 *       └──call error──▶ failed ◀──no record──┘      failed(retryable) ──retry──▶ requested
 *
 * Two kinds of input: our own commands (call result, retry), which are only
 * legal in one state and throw otherwise, and WeCom's reports (result poll,
 * callbacks), which may be late, duplicated or out of order and so never move
 * a final state backwards — they are ignored there instead.
 */
export type TransferStatus = "requested" | "waiting" | "done" | "refused" | "successor_over_limit" | "failed";

export interface Transfer {
  handoverUserId: string;
  takeoverUserId: string;
  externalUserId: string;
  status: TransferStatus;
  /** Only meaningful for `failed`. */
  retryable: boolean;
  errcode?: number;
  failureReason?: string;
  /** When WeCom will (or did) hand the parent over. */
  takeoverAt?: Date;
  /** Quota failures: the earliest moment a retry can succeed. */
  retryAfter?: Date;
  attempts: number;
  updatedAt: Date;
}

export type TransferInput =
  /** `quotaOpensAt`: for 40128, when this customer's 90-day window opens again (from our own history). */
  | { type: "call_result"; errcode: number; at: Date; quotaOpensAt?: Date }
  | { type: "quota_exhausted"; availableAt: Date; at: Date }
  | { type: "retry"; at: Date }
  | { type: "result_polled"; status: number; takeoverTime?: Date; at: Date }
  | { type: "successor_added"; byUserId: string; at: Date }
  | { type: "transfer_failed"; reason: "customer_refused" | "customer_limit_exceed"; at: Date };

export class IllegalTransferTransition extends Error {
  constructor(readonly from: TransferStatus, readonly input: TransferInput["type"]) {
    super(`illegal transfer transition: ${input} in state ${from}`);
    this.name = "IllegalTransferTransition";
  }
}

const TAKEOVER_DELAY_MS = 24 * 3_600_000;

export function newTransfer(handoverUserId: string, takeoverUserId: string, externalUserId: string, at: Date): Transfer {
  return { handoverUserId, takeoverUserId, externalUserId, status: "requested", retryable: false, attempts: 1, updatedAt: at };
}

export function isFinal(t: Transfer): boolean {
  return t.status === "done" || t.status === "refused" || t.status === "successor_over_limit" || (t.status === "failed" && !t.retryable);
}

export function applyTransferInput(t: Transfer, input: TransferInput): Transfer {
  switch (input.type) {
    case "call_result":
    case "quota_exhausted":
      if (t.status !== "requested") throw new IllegalTransferTransition(t.status, input.type);
      return input.type === "quota_exhausted"
        ? fail(t, input.at, true, failureText("该家长90天内已被在职转接2次", "系统会在可再次转接的当天自动重试"), { retryAfter: input.availableAt })
        : callResult(t, input.errcode, input.at, input.quotaOpensAt);
    case "retry":
      if (t.status !== "failed" || !t.retryable) throw new IllegalTransferTransition(t.status, input.type);
      return restart(t, input.at);
    default:
      return isFinal(t) ? t : report(t, input);
  }
}

/** When a 40128 arrives and our history does not show the two earlier transfers: the window surely opens by then. */
const NINETY_DAYS_MS = 90 * 86_400_000;

function callResult(t: Transfer, errcode: number, at: Date, quotaOpensAt?: Date): Transfer {
  const outcome = classifyCallErrcode(errcode);
  switch (outcome.kind) {
    case "started":
      return { ...t, status: "waiting", errcode, takeoverAt: new Date(at.getTime() + TAKEOVER_DELAY_MS), updatedAt: at };
    case "quota_window": {
      // Retry only when the window opens, at that date (never with short backoff).
      const opens = quotaOpensAt && quotaOpensAt.getTime() > at.getTime() ? quotaOpensAt : new Date(at.getTime() + NINETY_DAYS_MS);
      return fail(t, at, true, failureText(outcome.reason, outcome.next), { errcode, retryAfter: opens });
    }
    case "retry":
      return fail(t, at, true, failureText(outcome.reason, outcome.next), { errcode });
    case "final":
      return fail(t, at, false, failureText(outcome.reason, outcome.next), { errcode });
  }
}

function report(t: Transfer, input: Exclude<TransferInput, { type: "call_result" | "quota_exhausted" | "retry" }>): Transfer {
  switch (input.type) {
    case "successor_added":
      // Someone else adding the parent says nothing about this transfer.
      return input.byUserId === t.takeoverUserId ? settle(t, "done", input.at) : t;
    case "transfer_failed":
      return settle(t, input.reason === "customer_refused" ? "refused" : "successor_over_limit", input.at);
    case "result_polled":
      switch (input.status) {
        case TRANSFER_RESULT_STATUS.DONE:
          return settle(t, "done", input.at, input.takeoverTime);
        case TRANSFER_RESULT_STATUS.WAITING:
          return { ...t, status: "waiting", retryable: false, takeoverAt: input.takeoverTime ?? t.takeoverAt, updatedAt: input.at };
        case TRANSFER_RESULT_STATUS.REFUSED:
          return settle(t, "refused", input.at);
        case TRANSFER_RESULT_STATUS.OVER_LIMIT:
          return settle(t, "successor_over_limit", input.at);
        case TRANSFER_RESULT_STATUS.NO_RECORD:
          // Before our call is answered "no record" is expected; after it, the call did not land.
          return t.status === "waiting" ? fail(t, input.at, true, failureText("企业微信无此转接记录", "系统会自动重新转接")) : t;
        default:
          throw new RangeError(`unknown transfer_result status ${input.status}`);
      }
  }
}

function settle(t: Transfer, status: "done" | "refused" | "successor_over_limit", at: Date, takeoverAt?: Date): Transfer {
  const reason = status === "refused" ? RESULT_FAILURE.refused : status === "successor_over_limit" ? RESULT_FAILURE.overLimit : undefined;
  return clean({
    ...t,
    status,
    retryable: false,
    ...(takeoverAt ? { takeoverAt } : {}),
    ...(reason ? { failureReason: reason } : { failureReason: undefined }),
    updatedAt: at,
  });
}

function fail(t: Transfer, at: Date, retryable: boolean, reason: string, extra: Partial<Transfer> = {}): Transfer {
  return { ...t, status: "failed", retryable, failureReason: reason, ...extra, updatedAt: at };
}

/** A new attempt: the previous attempt's error no longer describes this one. */
function restart(t: Transfer, at: Date): Transfer {
  const { errcode: _errcode, failureReason: _reason, retryAfter: _after, takeoverAt: _takeover, ...rest } = t;
  return { ...rest, status: "requested", retryable: false, attempts: t.attempts + 1, updatedAt: at };
}

/** Drops fields left over from an earlier attempt or outcome. */
function clean(t: Transfer): Transfer {
  const out = { ...t };
  if (out.failureReason === undefined) delete out.failureReason;
  if (out.status !== "failed") delete out.retryAfter;
  return out;
}

/** A waiting transfer past its takeover time should be polled for its outcome. */
export function needsResultPoll(t: Transfer, now: Date): boolean {
  return t.status === "waiting" && t.takeoverAt !== undefined && now.getTime() >= t.takeoverAt.getTime();
}
