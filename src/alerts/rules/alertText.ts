import { OpenIncident } from "./incident";
import { EmploymentPhase } from "./observation";

/** Chinese title and summary for the HR card. */
export interface AlertTextContext {
  staffName: string;
  phase: EmploymentPhase;
  lastDay?: string;
  windowMinutes?: number;
  ruleName?: string;
}

const PHASE_LABEL: Record<EmploymentPhase, string> = {
  active: "",
  notice_period: "（离职交接中）",
  after_last_day: "（已过最后工作日）",
};

export function alertTitle(incident: OpenIncident, ctx: AlertTextContext): string {
  const who = `${ctx.staffName}${PHASE_LABEL[ctx.phase]}`;
  switch (incident.kind) {
    case "mass_messaging":
      return `【群发预警】${who}短时间内向大量家长发送消息`;
    case "sensitive_content":
      return `【敏感内容】${who}的消息命中「${ctx.ruleName ?? incident.ruleId}」`;
    case "mass_deletion":
      return `【批量删除家长】${who}短时间内删除多位家长`;
    case "parent_left":
      return `【家长流失】有家长删除了${who}`;
    case "after_last_day_message":
      return `【离职后发消息】${ctx.staffName}已过最后工作日${ctx.lastDay ? `（${ctx.lastDay}）` : ""}仍在给家长发消息`;
  }
}

export function alertSummary(incident: OpenIncident, ctx: AlertTextContext): string {
  const parents = incident.parents.length;
  const messages = incident.msgids.length;
  const reasons = incident.reasons.join("；");
  const sample = incident.sampleText ? `内容示例：“${incident.sampleText}”。` : "";
  switch (incident.kind) {
    case "mass_messaging":
      return `${ctx.windowMinutes ?? ""}分钟窗口内已涉及${parents}位家长、${messages}条消息。${reasons}。${sample}请尽快核实。`;
    case "sensitive_content":
      return `已涉及${parents}位家长、${messages}条消息。命中：${reasons}。请查看上下文并核实。`;
    case "mass_deletion":
      return `${ctx.windowMinutes ?? ""}分钟窗口内已删除${parents}位家长。请核实是否为恶意删除，并考虑恢复联系。`;
    case "parent_left":
      return `${parents}位家长删除了该老师的企业微信。请跟进家长流失原因。`;
    case "after_last_day_message":
      return `最后工作日之后仍向${parents}位家长发送了${messages}条消息。请立即核实并考虑停用该账号。`;
  }
}

/** Sample text for the card: short, one line. */
export function sampleOf(text: string | undefined, max = 60): string | undefined {
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, " ").trim();
  const chars = [...oneLine];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : oneLine;
}
