/**
 * One parent's line on the transfer board: where their handover stands, in
 * words HR can act on. Pure: the row as stored in, the line out.
 */
export type BoardState = "not_started" | "sending" | "waiting" | "done" | "refused" | "over_limit" | "failed" | "unassigned";

export interface BoardInput {
  successorUserid: string | null;
  /** The parent's current (not superseded) transfer, if one was started. */
  transfer?: { status: "requested" | "waiting" | "done" | "refused" | "successor_over_limit" | "failed"; retryable: boolean; takeoverAt: Date | null; retryAfter: Date | null; failureReason: string | null };
}

export interface BoardLine {
  state: BoardState;
  /** When WeCom hands the parent over (waiting) or did (done); when a retry can succeed (failed, retryable). */
  at: Date | null;
  /** What happens next, or what someone must do. */
  nextStep: string | null;
}

export const BOARD_STATE_LABELS: Record<BoardState, string> = {
  not_started: "未开始",
  sending: "正在提交",
  waiting: "等待接替",
  done: "已完成",
  refused: "家长拒绝",
  over_limit: "接替人客户数已满",
  failed: "转接失败",
  unassigned: "未分配接替人",
};

export function boardLine(input: BoardInput): BoardLine {
  const t = input.transfer;
  if (!t) {
    return input.successorUserid === null
      ? { state: "unassigned", at: null, nextStep: "请人事指定接替老师" }
      : { state: "not_started", at: null, nextStep: "最后工作日（或在职转接开始时）自动提交" };
  }
  switch (t.status) {
    case "requested":
      return { state: "sending", at: null, nextStep: "系统正在向企业微信提交" };
    case "waiting":
      return { state: "waiting", at: t.takeoverAt, nextStep: "家长未拒绝则到时自动完成" };
    case "done":
      return { state: "done", at: t.takeoverAt, nextStep: null };
    case "refused":
      return { state: "refused", at: null, nextStep: "请接替老师重新添加家长，或由人事改派其他老师" };
    case "successor_over_limit":
      return { state: "over_limit", at: null, nextStep: "接替老师的客户数已达上限：请改派其他老师" };
    case "failed":
      return t.retryable
        ? { state: "failed", at: t.retryAfter, nextStep: "系统将自动重试" }
        : { state: "failed", at: null, nextStep: `${t.failureReason ? `${t.failureReason}；` : ""}请人事改派其他老师或联系 IT` };
  }
}
