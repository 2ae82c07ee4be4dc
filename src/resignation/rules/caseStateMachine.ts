import { AppError } from "../../platform/errors";

/**
 * The life of a resignation case, as one table.
 *
 * Legal shape (labor-law.md §1): once the employee's signed notice reaches the
 * employer, the last day arrives on its own; approvals are internal handover
 * steps and can never veto it. So `last_day` is accepted from every state after
 * signing, including a returned approval step or a pending withdrawal.
 *
 * Withdrawal: before the notice is signed the employee simply abandons the
 * case. After signing, the notice has taken effect (CC 137), so taking it back
 * needs the employer's consent: `withdraw_request` parks the case until HR
 * accepts (→ withdrawn) or declines (→ back where it was). If the last day
 * comes first, the request lapses and the employment ends.
 *
 * After the last day, the termination certificate must be issued whether or
 * not the handover is done (LCL 50); handover confirmation stays possible
 * because economic compensation, where owed, waits for it. Closing with the
 * handover still open is allowed only with a written reason.
 */

export const STATES = [
  "draft",
  "registered_by_hr",
  "notice_pending_signature",
  "notice_signed",
  "in_approval",
  "step_returned",
  "approved",
  "handover_in_progress",
  "handover_done",
  "withdrawal_requested",
  "last_day_reached",
  "certificate_issued",
  "closed",
  "withdrawn",
] as const;
export type CaseState = (typeof STATES)[number];

export const EVENTS = [
  "start",
  "confirm_registration",
  "sign_notice",
  "submit",
  "approve_step",
  "reject_step",
  "resubmit_step",
  "withdraw_request",
  "withdraw_accept",
  "withdraw_decline",
  "start_handover",
  "handover_confirmed",
  "last_day",
  "issue_certificate",
  "close",
] as const;
export type CaseEvent = (typeof EVENTS)[number];

/** Where a case begins: the employee opens the app, or HR records an informal (e.g. WeChat) notice. */
export type CaseOrigin = "employee" | "hr_registration";

export interface TransitionContext {
  /** approve_step: true when this approval completes the chain (see approvalChain.nextStep). */
  chainComplete?: boolean;
  /** reject_step, and close with the handover open: why. */
  reason?: string;
  /** withdraw_decline: the state the case was in when the withdrawal was requested. */
  resumeState?: CaseState;
  /** close: whether every handover item is done and signed. */
  handoverComplete?: boolean;
}

type Target = CaseState | ((ctx: TransitionContext, from: CaseState, event: CaseEvent) => CaseState);

const afterSigning = (extra: Partial<Record<CaseEvent, Target>>): Partial<Record<CaseEvent, Target>> => ({
  withdraw_request: "withdrawal_requested",
  last_day: "last_day_reached",
  ...extra,
});

const needReason =
  (to: CaseState): Target =>
  (ctx, from, event) => {
    if (!ctx.reason?.trim()) throw new IllegalTransition(from, event, "请填写退回原因", "reason_required");
    return to;
  };

/** States from which a withdrawal can be requested after signing, i.e. where a decline may return to. */
const WITHDRAWABLE_AFTER_SIGNING: readonly CaseState[] = [
  "notice_signed",
  "in_approval",
  "step_returned",
  "approved",
  "handover_in_progress",
  "handover_done",
];

export const TRANSITIONS: Readonly<Record<CaseState, Partial<Record<CaseEvent, Target>>>> = {
  draft: { start: "notice_pending_signature", withdraw_request: "withdrawn" },
  registered_by_hr: { confirm_registration: "notice_pending_signature", withdraw_request: "withdrawn" },
  notice_pending_signature: { sign_notice: "notice_signed", withdraw_request: "withdrawn" },
  notice_signed: afterSigning({ submit: "in_approval" }),
  in_approval: afterSigning({
    approve_step: (ctx) => (ctx.chainComplete ? "approved" : "in_approval"),
    reject_step: needReason("step_returned"),
  }),
  step_returned: afterSigning({ resubmit_step: "in_approval" }),
  approved: afterSigning({ start_handover: "handover_in_progress" }),
  handover_in_progress: afterSigning({ handover_confirmed: "handover_done" }),
  handover_done: afterSigning({}),
  withdrawal_requested: {
    withdraw_accept: "withdrawn",
    withdraw_decline: (ctx, from, event) => {
      if (!ctx.resumeState || !WITHDRAWABLE_AFTER_SIGNING.includes(ctx.resumeState)) {
        throw new IllegalTransition(from, event, "无法确定撤回申请之前的流程状态", "resume_state_invalid");
      }
      return ctx.resumeState;
    },
    last_day: "last_day_reached",
  },
  last_day_reached: { handover_confirmed: "last_day_reached", issue_certificate: "certificate_issued" },
  certificate_issued: {
    handover_confirmed: "certificate_issued",
    close: (ctx, from, event) => {
      if (!ctx.handoverComplete && !ctx.reason?.trim()) {
        throw new IllegalTransition(from, event, "交接尚未完成；如确需结案，请填写结案说明", "reason_required");
      }
      return "closed";
    },
  },
  closed: {},
  withdrawn: {},
};

export const STATE_LABELS: Readonly<Record<CaseState, string>> = {
  draft: "填写中",
  registered_by_hr: "人事已登记，待员工确认",
  notice_pending_signature: "待签署离职通知",
  notice_signed: "离职通知已签署",
  in_approval: "交接审批中",
  step_returned: "审批退回待补充",
  approved: "审批完成，待交接",
  handover_in_progress: "交接中",
  handover_done: "交接完成",
  withdrawal_requested: "撤回申请待公司确认",
  last_day_reached: "已到最后工作日",
  certificate_issued: "离职证明已开具",
  closed: "已结案",
  withdrawn: "已撤回",
};

export const EVENT_LABELS: Readonly<Record<CaseEvent, string>> = {
  start: "提交离职信息",
  confirm_registration: "员工确认人事登记",
  sign_notice: "签署离职通知",
  submit: "提交交接审批",
  approve_step: "审批通过",
  reject_step: "审批退回",
  resubmit_step: "补充后重新提交",
  withdraw_request: "申请撤回离职",
  withdraw_accept: "同意撤回",
  withdraw_decline: "不同意撤回",
  start_handover: "开始交接",
  handover_confirmed: "确认交接完成",
  last_day: "到达最后工作日",
  issue_certificate: "开具离职证明",
  close: "结案",
};

export const TERMINAL_STATES: readonly CaseState[] = ["closed", "withdrawn"];

export function initialState(origin: CaseOrigin): CaseState {
  return origin === "employee" ? "draft" : "registered_by_hr";
}

export class IllegalTransition extends AppError {
  constructor(
    readonly from: CaseState,
    readonly event: CaseEvent,
    message: string = `当前状态“${STATE_LABELS[from] ?? from}”下不能执行“${EVENT_LABELS[event] ?? event}”`,
    readonly reason: "not_allowed" | "reason_required" | "resume_state_invalid" = "not_allowed",
  ) {
    super(409, "illegal_transition", message, { from, event, reason });
  }
}

export function transition(from: CaseState, event: CaseEvent, context: TransitionContext = {}): CaseState {
  const target = TRANSITIONS[from]?.[event];
  if (target === undefined) throw new IllegalTransition(from, event);
  return typeof target === "function" ? target(context, from, event) : target;
}

/** Events the UI may offer in a state (guards may still refuse them). */
export function allowedEvents(state: CaseState): CaseEvent[] {
  return EVENTS.filter((e) => TRANSITIONS[state][e] !== undefined);
}
