import { WECOM_ERRCODE } from "../../wecom";
import { failureText } from "./transferErrors";

/**
 * What HR does about a failed_chat_list errcode from groupchat/transfer (离职, path/92127) or
 * groupchat/onjob_transfer (在职, path/95703); the codes' meanings are in src/wecom/client/errcodes.ts.
 */

export type GroupOutcome =
  /** Look at the group's owner: the new owner = done; otherwise `otherwise`. */
  | { kind: "check_owner"; otherwise: "retry" | "final" }
  | { kind: "retry"; reason: string; whenExhausted: string }
  | { kind: "final"; reason: string; next: string };

export function classifyGroupErrcode(errcode: number): GroupOutcome {
  switch (errcode) {
    case WECOM_ERRCODE.GROUP_OWNER_UNCHANGED:
    case WECOM_ERRCODE.GROUP_ALREADY_INHERITED:
      // Already inherited (e.g. our earlier call whose reply was lost, or HR in the admin console).
      return { kind: "check_owner", otherwise: "final" };
    case WECOM_ERRCODE.GROUP_INHERITING:
      return { kind: "check_owner", otherwise: "retry" };
    case WECOM_ERRCODE.GROUP_OWNER_NOT_RESIGNED:
      // The directory lags the deletion; or an earlier call already moved it (then the owner check says done).
      return { kind: "check_owner", otherwise: "retry" };
    case WECOM_ERRCODE.GROUP_FULL:
      return {
        kind: "final",
        reason: "群内微信用户已满99人，企业微信不允许自动转移",
        next: "请新群主在企业微信手机端打开该群，按提示确认接收群主",
      };
    case WECOM_ERRCODE.NOT_CUSTOMER_GROUP:
      return { kind: "final", reason: "该群不是客户群（或已解散）", next: "无需转移" };
    case WECOM_ERRCODE.GROUP_OWNER_RESIGNED:
      return { kind: "final", reason: "原群主已离职，不能再用在职转移", next: "请在「交接方案」中重新开始离职继承" };
    case -1:
    case 45009:
    case 45033:
      return { kind: "retry", reason: `企业微信繁忙或限频（${errcode}）`, whenExhausted: "请联系IT确认企业微信接口状态后重新转移" };
    default:
      return { kind: "final", reason: `企业微信返回错误码 ${errcode}`, next: "请联系IT查看该错误码后处理" };
  }
}

/** The owner check failed: the group is with someone else. */
export function ownedByOtherText(ownerName: string | null): string {
  return failureText(
    `该群已由${ownerName ?? "其他成员"}接手，未转给计划中的新群主`,
    "如需更换群主，请在企业微信管理后台「客户联系 - 离职继承/在职继承」中手动转移",
  );
}

export function groupFailureText(outcome: Extract<GroupOutcome, { kind: "final" }>): string {
  return failureText(outcome.reason, outcome.next);
}

export function groupRetryExhaustedText(reason: string, attempts: number, whenExhausted: string): string {
  return failureText(`${reason}，已自动重试${attempts}次仍未成功`, whenExhausted);
}

/** A group retried after these many calls goes to HR instead. */
export const MAX_GROUP_ATTEMPTS = 5;
