import type { NoticeDeadlineView } from "../services/types";
import { formatDay } from "./format";

/**
 * The written-notice deadline (seed 004) as the leaver reads it on the
 * progress and signing pages: the date and count, the weekends-only caveat
 * while a year's official arrangement is missing, and what happens once it
 * has passed. Null once signed or when the case has no deadline.
 */
export function deadlineBanner(d: NoticeDeadlineView | null, signed: boolean) {
  if (!d || signed) return null;
  return {
    headline: `请在${formatDay(d.deadline)}前签署书面离职通知（${d.workingDays}个工作日内，按国家法定节假日安排计算）`,
    caveat: d.caveat ?? "",
    overdue: d.escalated ? "签署期限已过，已转人事跟进；现在签署仍然有效。" : "",
    why: "《劳动合同法》第三十七条要求劳动者以书面形式提前通知，电子签署即为书面形式。",
  };
}

export type DeadlineBanner = NonNullable<ReturnType<typeof deadlineBanner>>;
