/**
 * Whether an approval card can still be changed with the code WeCom gave when it was sent.
 *
 * message/send answers a button card with a response_code that message/update_template_card accepts once,
 * within 72 hours: "应用可使用response_code调用更新模版卡片消息接口，72小时内有效，且只能使用一次" (path/90236's
 * reply field, transcribed alike in several public SDKs' send-result types; path/94888 as quoted in a public
 * Python client: "response_code的有效期是72小时，超过72小时后将无法使用". Older copies of path/94888 and WxJava's
 * WxCpTaskCardService say 24 h; the sandbox follows the 72 h). A click's ResponseCode is
 * another code with the same rule. A call with a used or expired code answers 60140 "无效的response_code"
 * (path/90313, as crawled in xen0n/go-workwx errcodes/mod.go: "可能是response_code已经过期").
 */
export const RESPONSE_CODE_LIFETIME_MS = 72 * 3_600_000;

/**
 * We learn the send's code when its answer reaches us, a little after WeCom issued it, and the update then
 * waits its turn in the outbox: a code this close to its 72 hours is not tried (WeCom would refuse it).
 */
const SAFETY_MARGIN_MS = 10 * 60_000;

export interface KeptCode {
  issuedAt: Date;
  usedAt: Date | null;
}

/** usable, or why no update is tried: no code (the card was not sent, or WeCom gave none), used once already, too old. */
export type CardUpdateVerdict = "usable" | "no_code" | "used" | "expired";

export function cardUpdateVerdict(code: KeptCode | null, now: Date): CardUpdateVerdict {
  if (!code) return "no_code";
  if (code.usedAt) return "used";
  if (now.getTime() - code.issuedAt.getTime() >= RESPONSE_CODE_LIFETIME_MS - SAFETY_MARGIN_MS) return "expired";
  return "usable";
}

/** What the approver's card shows once a step was decided in the console (its buttons greyed out with this). */
export const CONSOLE_DECIDED_LABEL = { approved: "已同意（控制台）", rejected: "已驳回（控制台）" } as const;

/** The step's record, in Chinese, of what became of the approvers' cards after a console decision. */
export const CARD_SYNC_LABELS: Readonly<Record<CardUpdateVerdict | "sent" | "failed" | "unknown", string>> = {
  usable: "正在同步到审批人的企业微信卡片",
  sent: "已同步到审批人的企业微信卡片",
  failed: "企业微信拒绝更新审批人的卡片，卡片上的按钮仍可点击（点击后会提示已在控制台处理）",
  unknown: "未能确认审批人的企业微信卡片是否已更新",
  no_code: "审批卡片尚未发出或企业微信未返回更新凭证，卡片未同步（点击后会提示已在控制台处理）",
  used: "审批人的企业微信卡片已更新过，未再同步",
  expired: "审批卡片已发出超过72小时，企业微信不再允许更新（点击后会提示已在控制台处理）",
};
