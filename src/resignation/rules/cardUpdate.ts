import type { CardUpdateVerdict } from "../../wecom";

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
