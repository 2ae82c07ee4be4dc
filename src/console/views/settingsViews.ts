import type { AlertSettingsView, ApprovalChainView, ReminderPolicyView } from "../presenters/apiTypes";
import type { BranchChoice } from "../presenters/branchChoices";
import { html, type Html } from "./html";
import { flash } from "./layout";
import { lockdownSection } from "./lockdownSettingsView";
import type { LockdownSettingsView } from "../presenters/lockdownForm";
import type { Names } from "../presenters/names";
import { ACT_LABELS, DELIVERY_LABELS, FIXED_RULES, SEVERITY_LABELS } from "../presenters/riskRulesForm";

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
  lockdown_saved: ["ok", "离职管控设置已保存：企业微信拦截规则将在一分钟内同步到离职人员的手机"],
};
const ROLES: Record<string, string> = { department_head: "部门负责人", it: "IT", hr: "人事" };

export function branchListView(branches: BranchChoice[]): Html {
  if (branches.length === 0) return html`<p class="card">您没有可查看设置的校区。</p>`;
  return html`<div class="card"><p>选择校区：</p><ul>${branches.map((b) => html`<li><a href="/console/settings/${b.id}">${b.name}</a></li>`)}</ul></div>
<div class="card"><p>全集团：</p><ul><li><a href="/console/calendar">法定节假日安排</a>（各年份的放假与调休，录入下一年的官方安排）</li></ul></div>`;
}

export interface BranchSettingsData {
  reminders: ReminderPolicyView;
  chain: ApprovalChainView;
  /** Undefined: the branch has no alert rules yet. */
  alerts: AlertSettingsView | undefined;
  /** Undefined: the alerts capability (which owns the lockdown) is not deployed. */
  lockdown?: LockdownSettingsView | undefined;
}

export function settingsView(branchId: number, data: BranchSettingsData, opts: { editable: boolean; result?: string; error?: string; csrf: Html; names: Names }): Html {
  const result = opts.result ? RESULTS[opts.result] : undefined;
  const base = `/console/settings/${branchId}`;
  const save = (label: string) => (opts.editable ? html`<button type="submit">${label}</button>` : "");
  // Read-only viewers (campus heads) see the same fields, disabled.
  const fieldset = (body: Html) => html`<fieldset${opts.editable ? "" : html` disabled`} style="border:0;padding:0;margin:0">${body}</fieldset>`;
  const p = data.reminders.policy;
  return html`${opts.error ? html`<p class="notice bad" role="alert" data-testid="settings-error">${opts.error}</p>` : result ? flash(result[0], result[1]) : ""}
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
<p class="muted">按顺序审批；审批只安排交接，不决定员工能否离职。清空某一步的名称即删除该步。</p>
<form method="post" action="${base}/approval-chain">${opts.csrf}${fieldset(html`
<div class="steps">${[...data.chain.chain, undefined].map((step, i) => chainRow(i, step))}</div>
${save("保存审批链")}`)}
</form></section>
${data.lockdown ? lockdownSection(base, data.lockdown, opts.csrf, fieldset, save) : ""}
${alertSection(base, data.alerts, opts.csrf, fieldset, save, opts.names)}`;
}

function chainRow(i: number, step: ApprovalChainView["chain"][number] | undefined): Html {
  const id = (f: string) => `chain-${f}-${i}`;
  // The step's key is the system's; a person sees and edits the role, the name and the duties.
  return html`<fieldset class="step"><legend>${step ? `第 ${i + 1} 步` : "新增一步"}</legend><input type="hidden" name="key" value="${step?.key ?? ""}">
<div><label for="${id("role")}">审批角色</label><select id="${id("role")}" name="role">${Object.entries(ROLES).map(([value, label]) => html`<option value="${value}"${step?.role === value ? html` selected` : ""}>${label}</option>`)}</select></div>
<div><label for="${id("label")}">名称</label><input id="${id("label")}" name="label" maxlength="20" value="${step?.label ?? ""}"></div>
<div><label for="${id("duties")}">职责（每行一项）</label><textarea id="${id("duties")}" name="duties" rows="2">${step?.duties.join("\n") ?? ""}</textarea></div></fieldset>`;
}

function alertSection(base: string, s: AlertSettingsView | undefined, csrf: Html, fieldset: (body: Html) => Html, save: (label: string) => Html | string, names: Names): Html {
  const routes = s?.notifier.routes ?? {};
  const on = (kind: string, channel: "webhook" | "app" | "digest") => routes[kind]?.[channel] ?? channel !== "digest";
  const key = s?.notifier.webhookKey;
  const people = (ids: string[] | undefined) => (ids ?? []).map((id) => names.of(id)).join("、");
  return html`<section class="card" aria-labelledby="h-alerts"><h2 id="h-alerts">风险预警：通知渠道与规则</h2>
${s ? "" : html`<p class="muted">该校区尚未配置风险规则：请在下方填写规则后保存。</p>`}
<form method="post" action="${base}/alerts">${csrf}${fieldset(html`
  <div><label for="webhookKey">人事群机器人 key</label><input id="webhookKey" name="webhookKey" autocomplete="off" placeholder="${key ? `已设置（…${key.slice(-4)}），留空保持不变` : "未设置"}"></div>
  ${key ? html`<label><input type="checkbox" name="clearWebhook" value="1"> 停用群机器人通知</label>` : ""}
  <div><label for="mentionUserIds">群消息 @ 的人（姓名，用顿号或逗号分隔）</label><input id="mentionUserIds" name="mentionUserIds" value="${people(s?.notifier.mentionUserIds)}"></div>
  <div><label for="hrUserIds">接收预警卡片的人事（姓名，用顿号或逗号分隔）</label><input id="hrUserIds" name="hrUserIds" value="${people(s?.notifier.hrUserIds)}"></div>
  <table><caption class="muted">各类预警的通知方式</caption><thead><tr><th scope="col">预警</th><th scope="col">群机器人</th><th scope="col">应用消息</th><th scope="col">只进每日汇总</th></tr></thead><tbody>
  ${ALERT_KINDS.map(({ kind, label }) => html`<tr><th scope="row">${label}</th>${(["webhook", "app", "digest"] as const).map(
    (channel) => html`<td><input type="checkbox" name="route" value="${kind}:${channel}" aria-label="${label}：${channel === "webhook" ? "群机器人" : channel === "app" ? "应用消息" : "每日汇总"}"${on(kind, channel) ? html` checked` : ""}></td>`,
  )}</tr>`)}
  </tbody></table>
  ${riskRulesFields(s?.rules ?? {}, names)}
  ${save("保存预警设置")}`)}
</form></section>`;
}

function severitySelect(id: string, name: string, value: unknown): Html {
  return html`<div><label for="${id}">级别</label><select id="${id}" name="${name}">${Object.entries(SEVERITY_LABELS).map(([v, label]) => html`<option value="${v}"${v === value ? html` selected` : ""}>${label}</option>`)}</select></div>`;
}

/** The risk rules as a form: each rule on, its auditor by name, its level and thresholds; sensitive-word rules as rows. */
function riskRulesFields(rules: Record<string, unknown>, names: Names): Html {
  const rule = (key: string) => (rules[key] as Record<string, unknown> | undefined) ?? {};
  const auditor = (r: Record<string, unknown>) => (typeof r.auditorUserId === "string" ? names.of(r.auditorUserId, "") : "");
  const sensitive = ((rules.sensitive as Record<string, unknown>[] | undefined) ?? []).concat([{}]);
  return html`<h3>规则</h3>
<div class="grid">
  <div><label for="cooldownMinutes">同一事件合并时长（分钟）</label><input id="cooldownMinutes" name="cooldownMinutes" type="number" min="1" step="1" required value="${String(rules.cooldownMinutes ?? 60)}"></div>
  <div><label for="leaverFactor">离职期阈值系数（0–1，越小越敏感）</label><input id="leaverFactor" name="leaverFactor" type="number" min="0.05" max="1" step="0.05" required value="${String(rules.leaverFactor ?? 0.3)}"></div>
</div>
${FIXED_RULES.map((f) => {
  const r = rule(f.key);
  return html`<fieldset class="step" data-rule="${f.prefix}"><legend>${f.label}</legend>
<label><input type="checkbox" name="${f.prefix}.enabled" value="1"${r.enabled === false ? "" : html` checked`}> 启用</label>
<div class="grid">
<div><label for="${f.prefix}-auditor">审核人（姓名）</label><input id="${f.prefix}-auditor" name="${f.prefix}.auditor" required value="${auditor(r)}"></div>
${severitySelect(`${f.prefix}-severity`, `${f.prefix}.severity`, r.severity ?? (f.key === "afterLastDay" ? "critical" : f.key === "parentLeft" ? "info" : "warning"))}
${f.numbers.map(([field, label]) => html`<div><label for="${f.prefix}-${field}">${label}</label><input id="${f.prefix}-${field}" name="${f.prefix}.${field}" type="number" min="1" step="1" required value="${String(r[field] ?? DEFAULTS[`${f.key}.${field}`] ?? "")}"></div>`)}
${f.key === "parentLeft"
  ? html`<div><label for="pl-delivery">通知方式</label><select id="pl-delivery" name="pl.delivery">${Object.entries(DELIVERY_LABELS).map(([v, label]) => html`<option value="${v}"${(r.delivery ?? "digest") === v ? html` selected` : ""}>${label}</option>`)}</select></div>`
  : ""}
</div></fieldset>`;
})}
<h3>敏感词与敏感行为</h3>
${sensitive.map((r, i) => html`<fieldset class="step" data-rule="sensitive-${i}"><legend>${r.name ? `敏感规则：${String(r.name)}` : "新增敏感规则（填写名称即启用）"}</legend>
<input type="hidden" name="s.ruleId" value="${typeof r.ruleId === "string" ? r.ruleId : ""}">
<label><input type="checkbox" name="s.enabled" value="${String(i)}"${r.enabled === false ? "" : html` checked`}> 启用</label>
<div class="grid">
<div><label for="s-name-${i}">名称</label><input id="s-name-${i}" name="s.name" maxlength="20" value="${typeof r.name === "string" ? r.name : ""}"></div>
<div><label for="s-auditor-${i}">审核人（姓名）</label><input id="s-auditor-${i}" name="s.auditor" value="${auditor(r)}"></div>
${severitySelect(`s-severity-${i}`, "s.severity", r.severity ?? "warning")}
</div>
<div><label for="s-words-${i}">敏感词（每行一个）</label><textarea id="s-words-${i}" name="s.words" rows="3">${Array.isArray(r.words) ? r.words.join("\n") : ""}</textarea></div>
<p>识别行为：${Object.entries(ACT_LABELS).map(([act, label]) => html`<label class="inline-check"><input type="checkbox" name="s.acts" value="${`${i}:${act}`}"${Array.isArray(r.acts) && r.acts.includes(act) ? html` checked` : ""}> ${label}</label>`)}</p>
</fieldset>`)}`;
}

const DEFAULTS: Record<string, number> = {
  "massMessaging.windowMinutes": 10,
  "massMessaging.distinctParents": 40,
  "massMessaging.duplicateParents": 15,
  "massDeletion.windowMinutes": 30,
  "massDeletion.deletions": 10,
};
