import { REASON_CATEGORIES } from "../../resignation";
import type { CaseDetail } from "../presenters/apiTypes";
import { html, type Html } from "./html";

/** A person HR may name on a form: the label tells namesakes apart ("李静（朝阳校区 · 英语老师）"). */
export interface PersonChoice {
  userid: string;
  name: string;
  label: string;
}

/** How an informal notice reached HR, in words (the API's channel keys stay in option values). */
export const CHANNEL_LABELS: Record<string, string> = {
  wechat: "微信消息",
  wecom_chat: "企业微信聊天",
  phone: "电话",
  in_person: "当面",
  email: "电子邮件",
  other: "其他",
};

/** States in which HR may still set a mutually agreed last day (the API refuses the others with the reason). */
const AGREEMENT_STATES = new Set(["notice_pending_signature", "registered_by_hr", "notice_signed", "in_approval", "step_returned", "approved", "handover_in_progress", "handover_done"]);
/** States in which the handover's receiver and supervisor may still change (nobody has signed yet is checked by the API). */
const PARTY_STATES = new Set([...AGREEMENT_STATES, "last_day_reached", "certificate_issued"]);

export function peopleList(id: string, people: PersonChoice[]): Html {
  return html`<datalist id="${id}">${people.map((p) => html`<option value="${p.label}"></option>`)}</datalist>`;
}

/**
 * HR's actions on one case. Shown only to readers who may change the case;
 * each posts a form the API checks again, and the page answers with what
 * happened or why not.
 */
export function caseActions(c: CaseDetail & { receiverName?: string; supervisorName?: string }, people: PersonChoice[], csrf: Html): Html {
  const withdrawal = c.status === "withdrawal_requested";
  return html`<section class="card" aria-labelledby="h-actions"><h2 id="h-actions">人事操作</h2>
${withdrawal
  ? html`<form method="post" action="/console/cases/${c.id}/withdrawal" data-testid="withdrawal-form">${csrf}
  <p><strong>员工申请撤回离职。</strong>书面通知已生效，撤回需公司同意。</p>
  <label for="w-note">说明（选填）</label><input id="w-note" name="note" maxlength="500">
  <button type="submit" name="accept" value="true">同意撤回</button>
  <button type="submit" name="accept" value="false" class="secondary">不同意撤回</button>
</form>`
  : ""}
<form method="post" action="/console/cases/${c.id}/remind-now">${csrf}
  <p>向所有尚未处理的审批人、签署人和签字人立即发送提醒（记入证据档案）。</p>
  <button type="submit">立即提醒</button>
</form>
${AGREEMENT_STATES.has(c.status)
  ? html`<form method="post" action="/console/cases/${c.id}/agreement" data-testid="agreement-form">${csrf}
  <h3>协商一致的最后工作日</h3>
  <p class="muted">双方协商一致可早于法定通知期（《劳动合同法》第36条）；请保留员工同意的记录。</p>
  <label for="a-day">最后工作日</label><input id="a-day" type="date" name="lastDay" required>
  <label for="a-by">提出方</label><select id="a-by" name="proposedBy"><option value="employee">员工提出</option><option value="employer">公司提出</option></select>
  <button type="submit">记录协商一致</button>
</form>`
  : ""}
${PARTY_STATES.has(c.status)
  ? html`<form method="post" action="/console/cases/${c.id}/parties" data-testid="parties-form">${csrf}
  <h3>交接接收人与监交人</h3>
  <p>当前接收人：<strong>${c.receiverName ?? "待指定"}</strong>；监交人：<strong>${c.supervisorName ?? "待指定"}</strong>。任一方签字后不能再更换。</p>
  <label for="p-receiver">接收人（输入姓名选择）</label><input id="p-receiver" name="receiver" list="case-people" autocomplete="off" maxlength="128">
  <label for="p-supervisor">监交人（输入姓名选择）</label><input id="p-supervisor" name="supervisor" list="case-people" autocomplete="off" maxlength="128">
  ${peopleList("case-people", people)}
  <button type="submit">保存</button>
</form>`
  : ""}
</section>`;
}

/** Register a notice that reached HR informally (a WeChat message "我想离职", a call): opens the case and asks the employee to sign. */
export function registerForm(people: PersonChoice[], csrf: Html, today: string): Html {
  return html`<details class="card" data-testid="register"><summary><strong>登记非书面离职通知</strong>（员工通过微信、电话等方式提出）</summary>
<form method="post" action="/console/cases/register">${csrf}
  <label for="r-employee">员工（输入姓名选择）</label><input id="r-employee" name="employee" list="register-people" required autocomplete="off" maxlength="128">
  ${peopleList("register-people", people)}
  <label for="r-channel">方式</label><select id="r-channel" name="channel">${Object.entries(CHANNEL_LABELS).map(([k, v]) => html`<option value="${k}">${v}</option>`)}</select>
  <label for="r-at">收到时间</label><input id="r-at" type="datetime-local" name="receivedAt" required>
  <label for="r-text">员工原话或通话记录（作为证据保存）</label><textarea id="r-text" name="evidenceText" rows="3" required maxlength="2000" placeholder="例如：刘老师，我想离职，4月底走"></textarea>
  <label for="r-day">员工提出的最后工作日</label><input id="r-day" type="date" name="requestedLastDay" required min="${today}">
  <label for="r-reason">离职原因</label><select id="r-reason" name="reasonCategory">${Object.entries(REASON_CATEGORIES).map(([k, v]) => html`<option value="${k}"${k === "other" ? html` selected` : ""}>${v}</option>`)}</select>
  <button type="submit">登记并请员工签署书面通知</button>
</form></details>`;
}

/** The signed notice or the certificate as a printable page ("打印 / 存为 PDF" is the browser's print dialog). */
export function printableDocument(kind: "notice" | "certificate", back: string, text: string, sha256: string, extra: Html): Html {
  return html`<style>@media print{header,nav,.no-print{display:none!important}main{max-width:none;padding:0}.card{border:0;box-shadow:none}}</style>
<p class="no-print"><a href="${back}">返回案件</a> · 在浏览器中选择“打印”，可打印或存为 PDF（手机上可用“分享 → 打印”）。</p>
<article class="card" data-testid="${kind}"><pre style="white-space:pre-wrap;font-family:inherit;font-size:1rem;line-height:1.8">${text}</pre>
${extra}
<p class="muted" style="word-break:break-all">文件摘要（SHA-256）：${sha256}</p></article>`;
}
