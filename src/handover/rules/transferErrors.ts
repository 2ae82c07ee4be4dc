import { WECOM_ERRCODE } from "../../wecom";

/**
 * What a per-customer errcode from (resigned/)transfer_customer means for that customer, and what HR
 * does next when it is final. Code 0 only means "started": WeCom hands the customer over after 24 h
 * unless they refuse, so success is never decided by the call itself.
 *
 * What each code means is WeCom's (src/wecom/client/errcodes.ts, with its sources); what HR does about it
 * is ours, here. Transfer rules from path/92125 (在职继承), path/94081 (离职继承).
 */
export type CallOutcome =
  | { kind: "started" }
  /** Retry with backoff; `reason` says why it failed, for the plan view and, once out of attempts, for HR. */
  | { kind: "retry"; reason: string; next: string; whenExhausted: string }
  /** Retry only when the 2-per-90-days window of this customer opens (40128). */
  | { kind: "quota_window"; reason: string; next: string }
  /** Final: a person must act. `next` is what to do, in HR's words. */
  | { kind: "final"; reason: string; next: string };


const PICK_ANOTHER = "请在「交接方案」中为该家长另选接替老师后重新转接";
const NOTHING_TO_MOVE = "无需再转接；如家长仍需联系，请由接替老师主动添加该家长";

export function classifyCallErrcode(errcode: number): CallOutcome {
  switch (errcode) {
    case WECOM_ERRCODE.OK:
    // A transfer of this customer is already under way (e.g. our earlier call whose reply was lost):
    // the result poll tells where it ends.
    case WECOM_ERRCODE.ALREADY_TRANSFERRING:
    case WECOM_ERRCODE.ALREADY_MOVING:
      return { kind: "started" };
    case WECOM_ERRCODE.HANDOVER_NOT_LEFT:
      return {
        kind: "retry",
        reason: "企业微信尚未显示原老师已离职",
        next: "系统会自动重试",
        whenExhausted: "请确认已在企业微信通讯录中删除该老师，再在「交接方案」中重新转接",
      };
    case WECOM_ERRCODE.TOO_FREQUENT:
      return { kind: "quota_window", reason: "该家长90天内已被在职转接2次", next: "系统会在可再次转接的当天自动重试" };
    case WECOM_ERRCODE.TAKEOVER_NOT_VERIFIED:
      return { kind: "final", reason: "接替老师尚未在企业微信完成实名认证", next: `请接替老师完成实名认证，或${PICK_ANOTHER.slice(1)}` };
    case WECOM_ERRCODE.TAKEOVER_FULL:
      return { kind: "final", reason: "接替老师的客户数已达上限", next: PICK_ANOTHER };
    case WECOM_ERRCODE.SAME_HANDOVER_TAKEOVER:
      return { kind: "final", reason: "接替老师与原老师是同一人", next: PICK_ANOTHER };
    case WECOM_ERRCODE.NOT_ACTIVATED:
    case WECOM_ERRCODE.USER_NOT_FOUND:
    case WECOM_ERRCODE.NOT_VISIBLE:
    case WECOM_ERRCODE.MEMBER_BANNED:
      return { kind: "final", reason: "接替老师的企业微信账号不可用（未激活、已删除、被封禁或不在应用可见范围）", next: PICK_ANOTHER };
    case WECOM_ERRCODE.NOT_FOLLOWER:
      return { kind: "final", reason: "该家长已不是原老师的客户（可能已被删除或已转给他人）", next: NOTHING_TO_MOVE };
    case WECOM_ERRCODE.NO_RELATION:
      return { kind: "final", reason: "原老师与该家长已没有好友关系", next: NOTHING_TO_MOVE };
    case WECOM_ERRCODE.INVALID_EXTERNAL_USERID:
      return { kind: "final", reason: "企业微信不认识该家长", next: "请重新同步家长名单后重新生成交接方案" };
    case WECOM_ERRCODE.BUSY:
    case WECOM_ERRCODE.RATE_LIMITED:
    case WECOM_ERRCODE.CONCURRENCY_LIMITED:
      return { kind: "retry", reason: `企业微信繁忙或限频（${errcode}）`, next: "系统会自动重试", whenExhausted: "请联系IT确认企业微信接口状态后重新转接" };
    default:
      // Unknown codes need a person: retrying blindly could loop forever.
      return { kind: "final", reason: `企业微信返回错误码 ${errcode}`, next: "请联系IT查看该错误码后处理" };
  }
}

/** A retryable failure out of attempts: what HR reads once the system stops retrying. */
export function exhaustedText(errcode: number | undefined, attempts: number): string {
  const outcome = classifyCallErrcode(errcode ?? WECOM_ERRCODE.BUSY);
  if (outcome.kind === "retry") return failureText(`${outcome.reason}，已自动重试${attempts}次仍未成功`, outcome.whenExhausted);
  return failureText(`转接已自动重试${attempts}次仍未成功`, "请联系IT查看原因后重新转接");
}

/** The text stored with a failure and shown to HR: what happened, then what to do. */
export function failureText(reason: string, next: string): string {
  return `${reason}。${next}`;
}


/** HR's text for the two final outcomes transfer_result and transfer_fail report. */
export const RESULT_FAILURE = {
  refused: failureText("家长拒绝了转接", "请接替老师主动联系并添加该家长"),
  overLimit: failureText("接替老师的客户数已达上限，转接未完成", PICK_ANOTHER),
} as const;
