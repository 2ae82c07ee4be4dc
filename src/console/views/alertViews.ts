import { ALERT_STATUS_LABELS, type AlertDetail, type AlertRow, type ContextMessage } from "../presenters/apiTypes";
import type { Names } from "../presenters/names";
import { shortTime } from "./format";
import { html, type Html } from "./html";
import { flash } from "./layout";

const RESULTS: Record<string, string> = {
  freeze_frozen: "已冻结该员工的企业微信账号",
  freeze_it_task: "已通知 IT 冻结账号（缺少通讯录权限）",
  freeze_already: "该账号已冻结或已交由 IT 处理",
  false_positive: "已标记为误报",
  unfrozen: "已解除冻结，该员工可以重新使用企业微信；预警重新待处理",
};
/** The rules' severities (src/alerts/rules/alert.ts), as on the alert card. */
export const SEVERITY: Record<string, string> = { info: "提示", warning: "警告", critical: "严重" };
const ACTIONS: Record<string, string> = { freeze: "冻结了企业微信账号", freeze_it_task: "请 IT 冻结账号", false_positive: "标记为误报", unfreeze: "解除了冻结" };
const VIA: Record<string, string> = { card: "通过预警卡片", console: "在人事台" };

export function alertListView(alerts: AlertRow[], status: string | undefined): Html {
  return html`<form method="get" action="/console/alerts" class="inline card"><div><label for="status">状态</label>
<select id="status" name="status"><option value="">全部</option>${(Object.keys(ALERT_STATUS_LABELS) as AlertRow["status"][]).map(
    (s) => html`<option value="${s}"${s === status ? html` selected` : ""}>${ALERT_STATUS_LABELS[s]}</option>`,
  )}</select></div><button class="secondary" type="submit">筛选</button></form>
${alerts.length === 0
  ? html`<p class="card">暂无预警。</p>`
  : html`<div class="card"><table><thead><tr><th scope="col">预警</th><th scope="col">员工</th><th scope="col">级别</th><th scope="col">状态</th><th scope="col">时间</th></tr></thead><tbody>
${alerts.map((a) => html`<tr><td><a href="/console/alerts/${a.id}">${a.title}</a></td><td>${a.staffName}</td><td>${SEVERITY[a.severity] ?? "—"}</td><td>${ALERT_STATUS_LABELS[a.status]}</td><td>${shortTime(a.openedAt)}</td></tr>`)}
</tbody></table></div>`}`;
}

export function alertView(d: AlertDetail, result: string | undefined, csrf: Html, names: Names): Html {
  const a = d.alert;
  return html`${result && RESULTS[result] ? flash("ok", RESULTS[result] as string) : ""}
<section class="card" aria-labelledby="h-alert"><h2 id="h-alert">概况</h2>
<p>${a.summary}</p>
<dl><dt>员工</dt><dd>${a.staffName}</dd><dt>级别</dt><dd>${SEVERITY[a.severity] ?? "—"}</dd>
<dt>状态</dt><dd data-testid="alert-status">${ALERT_STATUS_LABELS[a.status]}</dd><dt>涉及家长（${a.parents.length} 位）</dt><dd>${a.parents.map((p) => names.parent(p)).join("、")}</dd>
<dt>依据</dt><dd>${a.reasons.join("；")}</dd></dl>
${a.caseId ? html`<p><a href="/console/cases/${a.caseId}">查看离职案件</a></p>` : ""}
</section>
${a.status === "open"
  ? html`<section class="card" aria-labelledby="h-actions"><h2 id="h-actions">处理</h2>
<details data-testid="freeze"><summary class="button danger" role="button">冻结企业微信账号…</summary>
<form method="post" action="/console/alerts/${a.id}/freeze" class="card">${csrf}
  <p>冻结后，${a.staffName}将立即无法登录企业微信、无法再联系家长；可以在本页解除冻结。</p>
  <label><input type="checkbox" name="confirm" value="1" required> 我确认要冻结${a.staffName}的企业微信账号</label>
  <button class="danger" type="submit">确认冻结</button>
</form></details>
<form method="post" action="/console/alerts/${a.id}/false-positive" class="inline" style="margin-top:1rem">${csrf}
  <div><label for="fp-reason">误报原因</label><input id="fp-reason" name="reason" required maxlength="500"></div>
  <button class="secondary" type="submit">标记为误报</button></form></section>`
  : ""}
${a.status === "frozen"
  ? html`<section class="card" aria-labelledby="h-undo"><h2 id="h-undo">解除冻结</h2>
<form method="post" action="/console/alerts/${a.id}/unfreeze" class="inline">${csrf}
  <div><label for="unfreeze-reason">解除原因</label><input id="unfreeze-reason" name="reason" required maxlength="500"></div>
  <button class="secondary" type="submit">解除冻结</button></form></section>`
  : ""}
<section class="card" aria-labelledby="h-context"><h2 id="h-context">命中消息上下文</h2>
${d.context.length === 0
  ? html`<p class="muted">没有可显示的会话存档内容。</p>`
  : d.context.map((c) => html`<ol class="context">${c.before.map((m) => message(m, false))}${message(c.hit, true)}${c.after.map((m) => message(m, false))}</ol>`)}
</section>
<section class="card" aria-labelledby="h-log"><h2 id="h-log">处理记录</h2>
${d.actions.length === 0 ? html`<p class="muted">暂无</p>` : html`<ul>${d.actions.map((x) => html`<li>${shortTime(x.at)} ${names.of(x.actor_userid)}${VIA[x.via] ?? ""}${ACTIONS[x.action] ?? "处理了预警"}${x.reason ? html`（${x.reason}）` : ""}</li>`)}</ul>`}
</section>`;
}

function message(m: ContextMessage, hit: boolean): Html {
  const who = m.direction === "outbound" ? "员工" : "家长";
  return html`<li${hit ? html` style="background:#fff8c5"` : ""}>${hit ? html`<strong>命中</strong> ` : ""}<span class="muted">${shortTime(m.at)} ${who}</span> ${m.text ?? "（非文本消息）"}</li>`;
}
