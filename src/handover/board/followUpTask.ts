import type { BoardState } from "./boardStatus";

/**
 * Who must act when a parent's transfer did not go through, and what they do.
 * A parent who declined the new teacher is the successor's to win back (ask
 * them to add the successor again; if that fails HR names someone else); a
 * transfer WeCom will not take (the successor is full, a non-retryable error)
 * or a parent nobody was given is HR's. Pure: the board state in, the task out.
 */
export type FollowUpOwner = "successor" | "hr";

export interface FollowUpTask {
  owner: FollowUpOwner;
  /** What to do next, in words the owner can act on. */
  action: string;
}

export function followUpTask(state: BoardState, retrying: boolean): FollowUpTask | null {
  switch (state) {
    case "refused":
      return { owner: "successor", action: "重新邀请家长：发送添加好友邀请并说明您是孩子的新老师；家长仍不同意时请人事改派其他老师" };
    case "over_limit":
      return { owner: "hr", action: "改派其他接替老师（该老师的客户数已达企业微信上限）" };
    case "failed":
      // A retryable failure is retried by the service on its own: nobody owes anything yet.
      return retrying ? null : { owner: "hr", action: "改派其他接替老师，或请 IT 查看企业微信的报错" };
    case "unassigned":
      return { owner: "hr", action: "指定接替老师" };
    case "not_started":
    case "sending":
    case "waiting":
    case "done":
      return null;
  }
}

export const FOLLOW_UP_OWNER_LABELS: Record<FollowUpOwner, string> = { successor: "接替老师", hr: "人事" };
