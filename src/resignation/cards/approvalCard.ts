import { CHINA_TIME_ZONE, formatDateZh, type LocalDate } from "../../platform/localDate";
import type { ButtonInteractionCard } from "../../wecom";
import type { ApprovalStep } from "../rules/approvalChain";

export const APPROVE_KEY = "approve";
export const REJECT_KEY = "reject";
export const REJECT_REASON_QUESTION = "reason";

/** A card has no text input, so a rejection picks its reason here; the option text is the recorded reason. */
export const REJECT_REASONS: readonly { id: string; text: string }[] = [
  { id: "receiver", text: "接收人未确定，请补充" },
  { id: "plan", text: "交接安排不完整，请补充" },
  { id: "other", text: "其他原因，请联系我" },
];

/** The task_id namespace of approval cards: their clicks are routed to resignation (InboxDispatcher.registerCards). */
export const APPROVAL_CARD_NAMESPACE = "rs_";

/** One task_id per step and round: a resent card never collides with WeCom's per-app task_id uniqueness. */
export function approvalTaskId(stepId: string, round: number): string {
  return `${APPROVAL_CARD_NAMESPACE}${stepId.replace(/-/g, "")}_r${round}`;
}

export interface ApprovalCardInput {
  taskId: string;
  step: Pick<ApprovalStep, "label" | "duties">;
  employeeName: string;
  departmentName: string;
  lastDay: LocalDate;
  returnedReason?: string;
  detailUrl: string;
}

/** 同意 / 驳回 (callback buttons) and 查看详情 (a link): what each approver gets for their step. */
export function buildApprovalCard(input: ApprovalCardInput): ButtonInteractionCard {
  return {
    card_type: "button_interaction",
    source: { desc: "离职交接审批" },
    main_title: { title: `${input.employeeName}的离职交接审批`, desc: `环节：${input.step.label}` },
    sub_title_text:
      `请确认：${input.step.duties.join("、")}。审批仅用于内部交接安排，不影响员工依法离职的日期。` +
      (input.returnedReason ? `（上次退回原因：${input.returnedReason}）` : ""),
    horizontal_content_list: [
      { keyname: "员工", value: input.employeeName },
      { keyname: "部门", value: input.departmentName },
      { keyname: "最后工作日", value: formatDateZh(input.lastDay) },
    ],
    task_id: input.taskId,
    button_selection: {
      question_key: REJECT_REASON_QUESTION,
      title: "驳回原因",
      option_list: [...REJECT_REASONS],
      selected_id: REJECT_REASONS[0].id,
    },
    button_list: [
      { type: 0, text: "同意", style: 1, key: APPROVE_KEY },
      { type: 0, text: "驳回", style: 2, key: REJECT_KEY },
      { type: 1, text: "查看详情", style: 4, url: input.detailUrl },
    ],
  };
}

const MINUTE = new Intl.DateTimeFormat("zh-CN", { timeZone: CHINA_TIME_ZONE, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });

/** "北京校长已于3月2日 09:05在控制台同意该环节，无需再次操作。": what a card clicked after a console decision says. */
export function decidedInConsoleSentence(deciderName: string | null, decision: "approved" | "rejected", at: Date): string {
  const part = (type: string) => MINUTE.formatToParts(at).find((p) => p.type === type)?.value ?? "";
  const when = `${part("month")}月${part("day")}日 ${part("hour")}:${part("minute")}`;
  return `${deciderName ?? "审批人"}已于${when}在控制台${decision === "approved" ? "同意" : "驳回"}该环节，无需再次操作。`;
}
