import { consolePaths, consoleUrl } from "../../platform/http/consoleLinks";
import { packSections, type ButtonInteractionCard } from "../../wecom";
import type { Severity } from "../rules/alert";

export interface AlertForMessage {
  id: string;
  title: string;
  summary: string;
  severity: Severity;
  staffUserId: string;
  staffName: string;
  parentsCount: number;
  caseId: string | null;
}

const SEVERITY_LABEL: Record<Severity, string> = { info: "提示", warning: "警告", critical: "严重" };
const SEVERITY_COLOR: Record<Severity, string> = { info: "comment", warning: "warning", critical: "warning" };

/** Button keys on the alert card; the task id carries the alert. */
export const FREEZE_KEY = "freeze";
export const FALSE_POSITIVE_KEY = "false_positive";
export const TASK_PREFIX = "alert-";

export function alertTaskId(alertId: string): string {
  return `${TASK_PREFIX}${alertId}`;
}

export function alertIdOfTask(taskId: string): string | undefined {
  if (!taskId.startsWith(TASK_PREFIX)) return undefined;
  const id = taskId.slice(TASK_PREFIX.length);
  return /^[1-9]\d{0,18}$/.test(id) ? id : undefined;
}

/** The alert's console page (it links on to the leaver's case when there is one). */
export function alertLink(publicBaseUrl: string, alert: Pick<AlertForMessage, "id">): string {
  return consoleUrl(publicBaseUrl, consolePaths.alert(alert.id));
}

/**
 * One alert's section of the group markdown; several backlogged sections share one message.
 * The employee is named, never shown by userid; `<@userid>` is the robot's
 * mention syntax, which WeCom renders as the member's name (群机器人配置说明,
 * developer.work.weixin.qq.com/document/path/91770: "text/markdown类型消息支持在content中使用<@userid>扩展语法来@群成员";
 * xen0n/go-workwx webhook_message.go SendMarkdownMessage says the same).
 */
export function alertMarkdownSection(a: AlertForMessage, mentions: string[], publicBaseUrl: string): string {
  const at = [...new Set(mentions)].map((u) => `<@${u}>`).join(" ");
  return [
    `### ${a.title}`,
    `> 级别：<font color="${SEVERITY_COLOR[a.severity]}">${SEVERITY_LABEL[a.severity]}</font>`,
    `> 员工：${a.staffName}`,
    `> 涉及家长：${a.parentsCount}位`,
    a.summary,
    `[查看详情](${alertLink(publicBaseUrl, a)})${at ? ` ${at}` : ""}`,
  ].join("\n");
}

export function alertCard(a: AlertForMessage, publicBaseUrl: string): ButtonInteractionCard {
  return {
    card_type: "button_interaction",
    source: { desc: "家长关系风险预警" },
    main_title: { title: clip(a.title, 36), desc: clip(a.summary, 44) },
    horizontal_content_list: [
      { keyname: "员工", value: `${a.staffName}` },
      { keyname: "级别", value: SEVERITY_LABEL[a.severity] },
      { keyname: "涉及家长", value: `${a.parentsCount}位` },
    ],
    card_action: { type: 1, url: alertLink(publicBaseUrl, a) },
    task_id: alertTaskId(a.id),
    button_list: [
      { type: 0, text: "冻结账号", style: 3, key: FREEZE_KEY },
      { type: 1, text: "查看详情", style: 2, url: alertLink(publicBaseUrl, a) },
      { type: 0, text: "标记误报", style: 2, key: FALSE_POSITIVE_KEY },
    ],
  };
}

export function digestMarkdown(branchName: string, day: string, alerts: AlertForMessage[], publicBaseUrl: string): string[] {
  const header = `### ${branchName} ${day} 风险预警汇总（${alerts.length}条）`;
  return packSections(
    header,
    alerts.map((a) => `- ${a.title}：${a.staffName}，涉及${a.parentsCount}位家长 [详情](${alertLink(publicBaseUrl, a)})`),
  );
}

/** `who` names the member the way the admin console lists them: department, position and name (e.g. "朝阳校区 · 课程顾问 马强"). */
export function itFreezeTaskText(who: string, reminder: number): string {
  const again = reminder > 0 ? `（第${reminder}次提醒）` : "";
  return `【IT任务${again}】请在企业微信管理后台停用成员 ${who} 的账号：HR已根据风险预警要求冻结，但系统未配置通讯录同步Secret，无法自动停用。停用后系统会根据通讯录自动确认，无需另行标记。`;
}

/** The last day's disable, when it must be done by hand (no contacts secret); `reminder` 0 is the first notice. */
export function itDisableTaskText(staffName: string, reminder: number): string {
  const again = reminder > 0 ? `（第${reminder}次提醒）` : "";
  return `【IT任务${again}】今天是${staffName}的最后工作日，最后的聊天记录已存档。请在企业微信管理后台停用其账号（系统未配置通讯录同步Secret，无法自动停用）；停用后系统会根据通讯录自动确认，家长随后转交给接任老师。`;
}

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : s;
}
