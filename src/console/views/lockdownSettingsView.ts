import { MODE_LABELS, SEMANTIC_LABELS, type LockdownSettingsView } from "../presenters/lockdownForm";
import { shortTime } from "./format";
import { html, type Html } from "./html";

/**
 * 离职管控 on a branch's settings page: what WeCom's intercept rule stops on a
 * leaver's phone from the signed notice on, whether a leaver's group send
 * freezes the account by itself, the hour the account is disabled on the
 * last day, and the successor-contact days of handover health.
 */
export function lockdownSection(base: string, view: LockdownSettingsView, csrf: Html, fieldset: (body: Html) => Html, save: (label: string) => Html | string): Html {
  const s = view.settings;
  const checked = (on: boolean) => (on ? html` checked` : "");
  return html`<section class="card" aria-labelledby="h-lockdown"><h2 id="h-lockdown">离职管控：企业微信拦截与账号停用</h2>
<p class="muted">员工提交或登记离职后，其企业微信会按下方规则拦截发给家长的消息；撤回离职后解除；账号停用后结束。</p>
${view.configured
  ? ""
  : view.inheritedFrom
    ? html`<p class="notice" data-testid="lockdown-inherited">本校区尚未单独设置，当前沿用「${view.inheritedFrom.name}」的设置。保存后按本页设置执行。</p>`
    : html`<p class="notice bad" data-testid="lockdown-unconfigured">本校区及上级都还没有设置离职管控：离职人员目前不会被加入企业微信拦截规则。下方为建议设置，保存后生效。</p>`}
${view.ruleProblem ? html`<p class="notice bad" role="alert" data-testid="lockdown-rule-problem">拦截规则没有加到企业微信（${shortTime(view.ruleProblem.since)}起）：${view.ruleProblem.message}。</p>` : ""}
<form method="post" action="${base}/lockdown">${csrf}${fieldset(html`
  <label><input type="checkbox" name="enabled" value="1"${checked(s.enabled)}> 启用离职管控</label>
  <div class="grid">
    <div><label for="ld-ruleName">拦截规则名称（最多20字）</label><input id="ld-ruleName" name="ruleName" maxlength="20" required value="${s.rule.name}" aria-describedby="ld-wecomName"><p class="muted" id="ld-wecomName" data-testid="lockdown-wecom-name">企业微信后台显示为「${view.wecomRuleName}」：企业微信要求规则名称不重复，所以加上校区名。</p></div>
    <div><label for="ld-mode">拦截方式</label><select id="ld-mode" name="mode">${(Object.keys(MODE_LABELS) as (keyof typeof MODE_LABELS)[]).map((m) => html`<option value="${m}"${s.rule.mode === m ? html` selected` : ""}>${MODE_LABELS[m]}</option>`)}</select></div>
  </div>
  <div><label for="ld-words">拦截词（每行一个，最多300个，每个不超过32字）</label><textarea id="ld-words" name="words" rows="6">${s.rule.words.join("\n")}</textarea></div>
  <p>同时拦截：${(Object.keys(SEMANTIC_LABELS) as (keyof typeof SEMANTIC_LABELS)[]).map((k) => html`<label class="inline-check"><input type="checkbox" name="semantics" value="${k}"${checked(s.rule.semantics.includes(k))}> ${SEMANTIC_LABELS[k]}</label>`)}</p>
  <label><input type="checkbox" name="autoFreeze" value="1"${checked(s.groupSend.autoFreeze)}> 离职期内群发家长时自动冻结账号（同时发严重预警并通知校区负责人）</label>
  <div class="grid">
    <div><label for="ld-disableAtHour">最后工作日停用账号的时间（北京时间，0–23 点）</label><input id="ld-disableAtHour" name="disableAtHour" type="number" min="0" max="23" step="1" required value="${s.lastDay.disableAtHour}"></div>
    <div><label for="ld-contactWithinDays">接任老师须在几天内联系交接家长</label><input id="ld-contactWithinDays" name="contactWithinDays" type="number" min="1" max="60" step="1" required value="${s.handover.contactWithinDays}"></div>
    <div><label for="ld-escalateAfterDays">仍未联系，再过几天通知校区负责人</label><input id="ld-escalateAfterDays" name="escalateAfterDays" type="number" min="1" max="30" step="1" required value="${s.handover.escalateAfterDays}"></div>
  </div>
  ${save("保存离职管控设置")}`)}
</form></section>`;
}
