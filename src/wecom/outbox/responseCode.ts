/**
 * Whether a template card can still be changed with the code WeCom gave when it was sent (or clicked).
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
