/**
 * What a per-customer errcode from transfer_customer means for that customer.
 * Code 0 only means "started": WeCom hands the customer over after 24 h unless
 * they refuse, so success is never decided by the call itself.
 */
export type CallOutcome =
  | { kind: "started" }
  | { kind: "failed"; retryable: boolean; reason: string };

export const ERRCODE = {
  OK: 0,
  BUSY: -1,
  INVALID_EXTERNAL_USERID: 40096,
  TOO_FREQUENT: 40128,
  ALREADY_TRANSFERRING: 40129,
  SAME_HANDOVER_TAKEOVER: 40130,
  RATE_LIMITED: 45009,
  CONCURRENCY_LIMITED: 45033,
} as const;

export function classifyCallErrcode(errcode: number): CallOutcome {
  switch (errcode) {
    case ERRCODE.OK:
    // A transfer of this customer is already under way (e.g. our earlier call whose reply was lost);
    // the result poll will tell where it ends.
    case ERRCODE.ALREADY_TRANSFERRING:
      return { kind: "started" };
    case ERRCODE.INVALID_EXTERNAL_USERID:
      return { kind: "failed", retryable: false, reason: "家长不是该老师的客户或ID无效" };
    case ERRCODE.SAME_HANDOVER_TAKEOVER:
      return { kind: "failed", retryable: false, reason: "接替老师与原老师相同" };
    case ERRCODE.BUSY:
    case ERRCODE.TOO_FREQUENT:
    case ERRCODE.RATE_LIMITED:
    case ERRCODE.CONCURRENCY_LIMITED:
      return { kind: "failed", retryable: true, reason: `企业微信繁忙或限频（${errcode}）` };
    default:
      // Unknown codes need a person: retrying blindly could loop forever.
      return { kind: "failed", retryable: false, reason: `企业微信返回错误码 ${errcode}` };
  }
}

/** transfer_result `status`. */
export const TRANSFER_RESULT_STATUS = { DONE: 1, WAITING: 2, REFUSED: 3, OVER_LIMIT: 4, NO_RECORD: 5 } as const;
