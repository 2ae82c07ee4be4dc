import type { AlertSettingsView, ApprovalChainView, ReminderPolicyView } from "../presenters/apiTypes";
import type { BranchChoice } from "../presenters/branchChoices";
import { html, type Html } from "./html";
import { flash } from "./layout";

export const ALERT_KINDS = [
  { kind: "mass_messaging", label: "群发可疑消息" },
  { kind: "sensitive_content", label: "敏感内容" },
  { kind: "mass_deletion", label: "批量删除家长" },
  { kind: "parent_left", label: "家长删除老师" },
  { kind: "after_last_day_message", label: "离职后仍在发消息" },
] as const;

const RESULTS: Record<string, ["ok" | "bad", string]> = {
  reminders_saved: ["ok", "提醒规则已保存"],
  chain_saved: ["ok", "审批链已保存"],
  alerts_saved: ["ok", "预警设置已保存"],
  rules_invalid_json: ["bad", "规则配置不是有效的 JSON 对象，未保存"],
};
const ROLES: Record<string, string> = { department_head: "部门负责人", it: "IT", hr: "人事" };

export function branchListView(branches: BranchChoice[]): Html {
  if (branches.length === 0) return html`<p class="card">您没有可查看设置的校区。</p>`;
  return html`<div class="card"><p>选择校区：</p><ul>${branches.map((b) => html`<li><a href="/console/settings/${b.id}">${b.name}</a></li>`)}</ul></div>`;
}

export interface BranchSettingsData {
  reminders: ReminderPolicyView;
  chain: ApprovalChainView;
  /** Undefined: the branch has no alert rules yet. */
  alerts: AlertSettingsView | undefined;
}

export function settingsView(branchId: number, data: BranchSettingsData, opts: { editable: boolean; result?: string; csrf: Html }): Html {
  const result = opts.result ? RESULTS[opts.result] : undefined;
  const base = `/console/settings/${branchId}`;
  const save = (label: string) => (opts.editable ? html`<button type="submit">${label}</button>` : "");
  // Read-only viewers (campus heads) see the same fields, disabled.
  const fieldset = (body: Html) => html`<fieldset${opts.editable ? "" : html` disabled`} style="border:0;padding:0;margin:0">${body}</fieldset>`;
  const p = data.reminders.policy;
  return html`${result ? flash(result[0], result[1]) : ""}
${opts.editable ? "" : html`<p class="notice" role="note">您可以查看本校区设置；修改需由本校区人事或总部进行。</p>`}
<section class="card" aria-labelledby="h-reminders"><h2 id="h-reminders">提醒与升级</h2>
${data.reminders.inherited ? html`<p class="muted">本校区尚未单独设置，当前沿用上级或默认规则。</p>` : ""}
<form method="post" action="${base}/reminders">${opts.csrf}<input type="hidden" name="tz" value="${p.quietHours.tz}">${fieldset(html`
  <div class="grid">
  <div><label for="firstAfterHours">首次提醒（环节开始后，小时）</label><input id="firstAfterHours" name="firstAfterHours" type="number" min="0" max="336" step="1" required value="${p.firstAfterHours}"></div>
  <div><label for="everyHours">之后每隔（小时）</label><input id="everyHours" name="everyHours" type="number" min="1" max="336" step="1" required value="${p.everyHours}"></div>
  <div><label for="escalateAfter">提醒几次后升级给上级</label><input id="escalateAfter" name="escalateAfter" type="number" min="1" max="50" step="1" required value="${p.escalateAfter}"></div>
  <div><label for="quietStart">免打扰开始</label><input id="quietStart" name="quietStart" type="time" required value="${p.quietHours.start}"></div>
  <div><label for="quietEnd">免打扰结束</label><input id="quietEnd" name="quietEnd" type="time" required value="${p.quietHours.end}"></div>
  </div>
  <p class="muted">免打扰时段内不发提醒，顺延到结束时发送（${p.quietHours.tz}）。</p>
  ${save("保存提醒规则")}`)}
</form></section>
<section class="card" aria-labelledby="h-chain"><h2 id="h-chain">离职交接审批链</h2>
<p class="muted">按顺序审批；审批只安排交接，不决定员工能否离职。清空某一环节的标识和名称即删除该环节。</p>
<form method="post" action="${base}/approval-chain">${opts.csrf}${fieldset(html`
<table><thead><tr><th scope="col">顺序</th><th scope="col">标识</th><th scope="col">审批角色</th><th scope="col">名称</th><th scope="col">职责（每行一项）</th></tr></thead><tbody>
${[...data.chain.chain, undefined].map((step, i) => chainRow(i, step))}
</tbody></table>
${save("保存审批链")}`)}
</form></section>
${alertSection(base, data.alerts, opts.csrf, fieldset, save)}`;
}

function chainRow(i: number, step: ApprovalChainView["chain"][number] | undefined): Html {
  const id = (f: string) => `chain-${f}-${i}`;
  return html`<tr><td>${step ? i + 1 : "新增"}</td>
<td><label class="muted" for="${id("key")}">标识</label><input id="${id("key")}" name="key" size="10" maxlength="32" value="${step?.key ?? ""}"></td>
<td><label class="muted" for="${id("role")}">角色</label><select id="${id("role")}" name="role">${Object.entries(ROLES).map(([value, label]) => html`<option value="${value}"${step?.role === value ? html` selected` : ""}>${label}</option>`)}</select></td>
<td><label class="muted" for="${id("label")}">名称</label><input id="${id("label")}" name="label" size="8" maxlength="20" value="${step?.label ?? ""}"></td>
<td><label class="muted" for="${id("duties")}">职责</label><textarea id="${id("duties")}" name="duties" rows="2">${step?.duties.join("\n") ?? ""}</textarea></td></tr>`;
}

function alertSection(base: string, s: AlertSettingsView | undefined, csrf: Html, fieldset: (body: Html) => Html, save: (label: string) => Html | string): Html {
  const routes = s?.notifier.routes ?? {};
  const on = (kind: string, channel: "webhook" | "app" | "digest") => routes[kind]?.[channel] ?? channel !== "digest";
  const key = s?.notifier.webhookKey;
  return html`<section class="card" aria-labelledby="h-alerts"><h2 id="h-alerts">风险预警：通知渠道与规则</h2>
${s ? "" : html`<p class="muted">该校区尚未配置风险规则：请在下方填写规则后保存。</p>`}
<form method="post" action="${base}/alerts">${csrf}${fieldset(html`
  <div><label for="webhookKey">人事群机器人 key</label><input id="webhookKey" name="webhookKey" size="30" autocomplete="off" placeholder="${key ? `已设置（…${key.slice(-4)}），留空保持不变` : "未设置"}"></div>
  ${key ? html`<label><input type="checkbox" name="clearWebhook" value="1"> 停用群机器人通知</label>` : ""}
  <div><label for="mentionUserIds">群消息 @ 的人（userid，逗号分隔）</label><input id="mentionUserIds" name="mentionUserIds" size="40" value="${s?.notifier.mentionUserIds.join(", ") ?? ""}"></div>
  <div><label for="hrUserIds">接收预警卡片的人事（userid，逗号分隔）</label><input id="hrUserIds" name="hrUserIds" size="40" value="${s?.notifier.hrUserIds.join(", ") ?? ""}"></div>
  <table><caption class="muted">各类预警的通知方式</caption><thead><tr><th scope="col">预警</th><th scope="col">群机器人</th><th scope="col">应用消息</th><th scope="col">只进每日汇总</th></tr></thead><tbody>
  ${ALERT_KINDS.map(({ kind, label }) => html`<tr><th scope="row">${label}</th>${(["webhook", "app", "digest"] as const).map(
    (channel) => html`<td><input type="checkbox" name="route" value="${kind}:${channel}" aria-label="${label}：${channel === "webhook" ? "群机器人" : channel === "app" ? "应用消息" : "每日汇总"}"${on(kind, channel) ? html` checked` : ""}></td>`,
  )}</tr>`)}
  </tbody></table>
  <div><label for="rules">规则配置（JSON：群发、批量删除、家长删除、离职后消息、敏感词规则及各自审核人）</label>
  <textarea id="rules" name="rules" rows="12" style="width:100%;font-family:monospace" required>${s ? JSON.stringify(s.rules, null, 2) : ""}</textarea></div>
  ${save("保存预警设置")}`)}
</form></section>`;
}
