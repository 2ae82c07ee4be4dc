/**
 * Whether an inherited parent stayed: a pure rule over facts gathered from
 * the chat archive (who wrote when), WeCom's contact events (the parent
 * deleted the successor: del_follow_user) and the transfer result (the
 * parent refused the transfer), plus refund words (退费, 退课, 转校) seen in
 * the parent's or successor's messages after the handover.
 *
 * States, most serious first:
 * - lost: the parent deleted the successor, or refused the transfer;
 * - at_risk: refund words appeared, or the successor has not written within
 *   the configured days of the handover;
 * - active: the parent wrote to the successor within the last 30 days;
 * - silent: otherwise (contact made but the parent has gone quiet, or the
 *   handover is too fresh to judge).
 */
export type HealthState = "active" | "silent" | "at_risk" | "lost";

export interface ParentHandoverFacts {
  handedOverAt: Date;
  /** The transfer's outcome; "refused" means the parent declined the new teacher. */
  transferStatus: "requested" | "waiting" | "done" | "refused" | "successor_over_limit" | "failed";
  successorFirstMessageAt?: Date | null;
  parentFirstReplyAt?: Date | null;
  parentLastReplyAt?: Date | null;
  followDeletedAt?: Date | null;
  refundWord?: string | null;
  refundAt?: Date | null;
}

export interface HealthRuleSettings {
  /** The successor must write within this many days of the handover. */
  contactWithinDays: number;
}

export interface HealthVerdict {
  state: HealthState;
  /** Why, in Chinese, for the successor and the campus head. */
  reason: string;
}

export const ACTIVE_WINDOW_DAYS = 30;
export const REFUND_WORDS = ["退费", "退课", "转校"] as const;

const DAY = 86_400_000;
const days = (ms: number) => Math.floor(ms / DAY);

export function handoverHealth(f: ParentHandoverFacts, now: Date, settings: HealthRuleSettings): HealthVerdict {
  if (f.followDeletedAt) return { state: "lost", reason: "家长删除了接任老师的企业微信" };
  if (f.transferStatus === "refused") return { state: "lost", reason: "家长拒绝了转接" };
  if (f.refundWord) return { state: "at_risk", reason: `家长沟通中出现「${f.refundWord}」` };
  const since = now.getTime() - f.handedOverAt.getTime();
  if (!f.successorFirstMessageAt) {
    if (since >= settings.contactWithinDays * DAY) return { state: "at_risk", reason: `接任老师交接后${days(since)}天未联系家长` };
    return { state: "silent", reason: "刚完成交接，等待接任老师首次联系" };
  }
  if (f.parentLastReplyAt && now.getTime() - f.parentLastReplyAt.getTime() <= ACTIVE_WINDOW_DAYS * DAY) {
    return { state: "active", reason: "家长近30天内有回复" };
  }
  return { state: "silent", reason: f.parentLastReplyAt ? `家长已${days(now.getTime() - f.parentLastReplyAt.getTime())}天未回复` : "接任老师已联系，家长尚未回复" };
}

/**
 * Retained at D days after the handover: the parent accepted the transfer,
 * still followed the successor on day D, and wrote to the successor at least
 * once within those D days. Undefined while day D has not come yet.
 */
export function retainedAt(f: ParentHandoverFacts, dayCount: number, now: Date): boolean | undefined {
  const mark = f.handedOverAt.getTime() + dayCount * DAY;
  if (now.getTime() < mark) return undefined;
  if (f.transferStatus === "refused") return false;
  if (f.followDeletedAt && f.followDeletedAt.getTime() <= mark) return false;
  return !!f.parentFirstReplyAt && f.parentFirstReplyAt.getTime() <= mark;
}

export interface RetentionFigure {
  /** Parents whose day D has come. */
  eligible: number;
  retained: number;
  /** retained / eligible, or null when nobody is eligible yet. */
  rate: number | null;
}

export function retentionFigure(parents: ParentHandoverFacts[], dayCount: number, now: Date): RetentionFigure {
  let eligible = 0;
  let retained = 0;
  for (const p of parents) {
    const r = retainedAt(p, dayCount, now);
    if (r === undefined) continue;
    eligible++;
    if (r) retained++;
  }
  return { eligible, retained, rate: eligible === 0 ? null : retained / eligible };
}

/**
 * Successor contact reminders: first the successor (after contactWithinDays
 * without a message), then the campus head (escalateAfterDays later).
 */
export function contactReminderDue(
  f: Pick<ParentHandoverFacts, "handedOverAt" | "successorFirstMessageAt" | "followDeletedAt" | "transferStatus">,
  now: Date,
  s: { contactWithinDays: number; escalateAfterDays: number },
): "none" | "successor" | "campus_head" {
  if (f.successorFirstMessageAt || f.followDeletedAt || f.transferStatus === "refused") return "none";
  const since = now.getTime() - f.handedOverAt.getTime();
  if (since >= (s.contactWithinDays + s.escalateAfterDays) * DAY) return "campus_head";
  if (since >= s.contactWithinDays * DAY) return "successor";
  return "none";
}
