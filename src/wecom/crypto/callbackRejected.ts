import { AppError } from "../../platform/errors";

export type RejectionReason =
  | "bad_signature"
  | "foreign_corp"
  | "bad_padding"
  | "stale_timestamp"
  | "malformed_xml"
  | "missing_parameter";

const statusFor: Record<RejectionReason, number> = {
  bad_signature: 401,
  foreign_corp: 403,
  bad_padding: 400,
  stale_timestamp: 400,
  malformed_xml: 400,
  missing_parameter: 400,
};

/**
 * A callback we refuse. The message names only the reason: never the token,
 * key, signature or ciphertext, so it is safe to log and to answer with.
 */
export class CallbackRejected extends AppError {
  constructor(readonly reason: RejectionReason) {
    super(statusFor[reason], "callback_rejected", `回调校验失败: ${reason}`, { reason });
  }
}
