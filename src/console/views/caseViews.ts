import { REMINDER_SUBJECT_LABELS, type CaseDetail, type CaseSummary, type ChecklistView, type SentReminder, type Verification } from "../presenters/apiTypes";
import { consolePaths } from "../../platform/http/consoleLinks";
import type { BoardRow } from "../presenters/handoverTypes";
import type { Names } from "../presenters/names";
import { shortTime } from "./format";
import { transferBoardView } from "./transferBoardView";
import { caseActions, type PersonChoice } from "./caseActionsView";
import { html, type Html } from "./html";

export function caseListView(cases: CaseSummary[]): Html {
  if (cases.length === 0) return html`<p class="card">您负责的范围内暂无离职案件。</p>`;
  return html`<div class="card"><table>
<caption class="muted">您负责范围内的离职案件（最近 200 条）</caption>
<thead><tr><th scope="col">员工</th><th scope="col">状态</th><th scope="col">最后工作日</th></tr></thead>
<tbody>${cases.map(
    (c) => html`<tr><td><a href="/console/cases/${c.id}">${c.employeeName}</a></td><td>${c.statusLabel}</td><td>${c.lastDay ?? c.requestedLastDay ?? "—"}</td></tr>`,
  )}</tbody></table></div>`;
}

const DECISIONS: Record<string, string> = { pending: "待审批", approved: "已通过", rejected: "已退回", returned: "已退回" };

/** What the case page shows besides the case itself. */
export interface CasePage {
  case: CaseDetail;
  checklist: ChecklistView;
  reminders: SentReminder[];
  /** Per-parent transfers; absent for readers who may not see the plan. */
  board: BoardRow[] | undefined;
  names: Names;
  /** Present when the reader may change the case: whom HR may name on its forms. */
  people?: PersonChoice[];
  /** The approval step the reader decides now (null: none is theirs). */
  approve?: MyApproval | null;
}

/** The reader's open approval step, as the API answers it: the key is a form value only. */
export interface MyApproval {
  step: string;
  label: string;
  rejectReasons: readonly { id: string; text: string }[];
}

export function caseView(page: CasePage, verified: { source: "database" | "export"; verification: Verification } | undefined, csrf: Html): Html {
  const c = page.case;
  // The reader's own open approval comes first: it is what the card's "查看详情" brought them here for.
  return html`${verified ? verificationResult(verified) : ""}${page.approve ? approvalForm(c.id, page.approve, csrf) : ""}
<section class="card" aria-labelledby="h-summary"><h2 id="h-summary">概况</h2>
<dl>
  <dt>状态</dt><dd data-testid="case-status">${c.statusLabel}</dd>
  <dt>通知日期</dt><dd>${c.noticeDate}</dd>
  <dt>最后工作日</dt><dd>${c.lastDay ?? c.requestedLastDay ?? "—"}</dd>
  <dt>书面离职通知</dt><dd>${c.noticeSigned ? "已签署" : "未签署"}${!c.noticeSigned && c.noticeDeadline ? html`（签署期限 <span data-testid="notice-deadline">${c.noticeDeadline.deadline}</span>${c.noticeDeadline.escalated ? "，已逾期并升级人事" : ""}${c.noticeDeadline.caveat ? html`；${c.noticeDeadline.caveat}` : ""}）` : ""}</dd>
  <dt>离职证明</dt><dd>${c.certificateIssued ? "已开具" : "未开具"}</dd>
</dl>
<p>${c.noticeSigned ? html`<a class="button" href="/console/cases/${c.id}/notice">查看/打印书面通知</a> ` : ""}${c.certificateIssued ? html`<a class="button" href="/console/cases/${c.id}/certificate">查看/打印离职证明</a>` : ""}</p>
<p><a href="${consolePaths.plan(c.employeeUserid)}">查看家长接替方案</a> · <a href="/console/cases/${c.id}/settlement">离职结算与面谈</a></p>
</section>
${page.people ? caseActions({ ...c, ...(c.receiverUserid ? { receiverName: page.names.of(c.receiverUserid) } : {}), ...(c.supervisorUserid ? { supervisorName: page.names.of(c.supervisorUserid) } : {}) }, page.people, csrf) : ""}
<section class="card" aria-labelledby="h-approvals"><h2 id="h-approvals">审批</h2>
${c.approvals.length === 0
  ? html`<p class="muted">尚未进入审批</p>`
  : html`<table><thead><tr><th scope="col">环节</th><th scope="col">审批人</th><th scope="col">结果</th><th scope="col">时间</th></tr></thead><tbody>
${c.approvals.map((a) => html`<tr><td>${a.label}</td><td>${a.approverName}</td><td>${DECISIONS[a.decision] ?? "—"}${a.reason ? html`：${a.reason}` : ""}${a.cardNote ? html`<br><span class="muted" data-testid="card-sync">在控制台审批 · ${a.cardNote}</span>` : ""}</td><td>${a.decidedAt ? shortTime(a.decidedAt) : "—"}</td></tr>`)}
</tbody></table>`}
</section>
${page.board
  ? transferBoardView(page.board, page.names)
  : html`<section class="card" aria-labelledby="h-transfers"><h2 id="h-transfers">家长转接</h2>
<p>共 ${c.transfers.total} 位家长：已完成 ${c.transfers.done}，待完成 ${c.transfers.waiting}，未能转接 ${c.transfers.failed}。</p></section>`}
${checklistSection(page.checklist, c.status)}
${remindersSection(page.reminders, page.names)}
<section class="card" aria-labelledby="h-timeline"><h2 id="h-timeline">时间线</h2>
<ol>${c.timeline.map((t) => html`<li><time datetime="${t.at}">${shortTime(t.at)}</time> ${t.label}${t.detail ? html`（${t.detail}）` : ""}</li>`)}</ol></section>
<section class="card" aria-labelledby="h-dossier"><h2 id="h-dossier">证据档案</h2>
<p><a class="button" href="/api/hr/cases/${c.id}/dossier.json" download>导出 JSON</a> <a class="button" href="/api/hr/cases/${c.id}/dossier.md">导出 Markdown</a></p>
<form method="post" action="/console/cases/${c.id}/verify">${csrf}
  <button type="submit">验证档案完整性</button>
</form>
<details><summary>核验一份导出的档案</summary>
<form method="post" action="/console/cases/${c.id}/verify">${csrf}
  <label for="dossier">粘贴导出的 JSON 文件内容</label>
  <textarea id="dossier" name="dossier" rows="6" style="width:100%"></textarea>
  <button type="submit">核验导出文件</button>
</form></details>
</section>`;
}

/** The reader's own open step: approve, or return it with one of the card's reasons (the same rule decides both). */
function approvalForm(caseId: string, { step, label, rejectReasons }: MyApproval, csrf: Html): Html {
  const action = `/console/cases/${caseId}/approval`;
  return html`<section class="notice todo" aria-labelledby="h-my-approval" data-testid="my-approval"><h2 id="h-my-approval">待您审批：${label}环节</h2>
<p>同意后进入下一环节；退回时员工会收到原因，退回不影响员工依法离职的日期。审批情况见下方“审批”。</p>
<form method="post" action="${action}" class="inline">${csrf}<input type="hidden" name="step" value="${step}"><input type="hidden" name="decision" value="approve"><button type="submit">同意</button></form>
<details><summary>退回</summary><form method="post" action="${action}" class="inline">${csrf}<input type="hidden" name="step" value="${step}"><input type="hidden" name="decision" value="reject">
<div><label for="reject-reason">退回原因</label><select id="reject-reason" name="reasonOptionId">${rejectReasons.map((r) => html`<option value="${r.id}">${r.text}</option>`)}</select></div>
<button type="submit" class="danger">退回</button></form></details></section>`;
}

function verificationResult(v: { source: "database" | "export"; verification: Verification }): Html {
  const what = v.source === "database" ? "系统中的档案" : "导出的档案";
  return v.verification.ok
    ? html`<p class="notice ok" role="status" data-testid="verification">验证通过：${what}共 ${v.verification.length} 条记录，哈希链完整。</p>`
    : html`<p class="notice bad" role="alert" data-testid="verification">验证失败：${what}第 ${v.verification.index + 1} 条记录异常（${v.verification.detail}）。</p>`;
}

const OWNERS: Record<string, string> = { leaver: "离职员工", receiver: "接收人", supervisor: "监交人", it: "IT", hr: "人事" };

/** States past the last day: the employment has ended whatever the handover's state. */
const ENDED = new Set(["last_day_reached", "certificate_issued", "closed"]);

function checklistSection(list: ChecklistView, status: string): Html {
  const open = list.items.filter((i) => !i.done);
  const awaiting = list.awaitingSignatures ?? [];
  return html`<section class="card" aria-labelledby="h-checklist"><h2 id="h-checklist">交接清单${list.complete ? html`（<span class="ok">已完成</span>）` : ""}</h2>
${ENDED.has(status) && !list.complete && list.items.length > 0
  ? html`<p class="notice bad" role="status" data-testid="handover-open">雇佣关系已结束，但交接尚未完成：${open.length > 0 ? html`${open.length} 项未完成（${open.map((i) => i.title).join("；")}）` : "事项均已完成"}${awaiting.length > 0 ? html`；待签字：${awaiting.map((a) => `${a.roleLabel} ${a.name}`).join("、")}` : ""}。离职证明与工资不受交接影响；经济补偿（如有）在三方签字后支付。</p>`
  : ""}
${list.items.length === 0
  ? html`<p class="muted">交接清单尚未生成（员工签署书面离职通知后生成）。</p>`
  : html`<table data-testid="checklist"><thead><tr><th scope="col">事项</th><th scope="col">负责</th><th scope="col">状态</th></tr></thead><tbody>
${list.items.map((i) => html`<tr><td>${i.title}${i.detail ? html`<br><span class="muted">${i.detail}</span>` : ""}</td><td>${i.auto ? "系统核验" : (OWNERS[i.owner] ?? "—")}</td>
<td>${i.done
  ? html`<span class="ok">已完成</span>${i.verifiedBy ? html`<br><span class="muted">${i.verifiedBy === "系统" ? "系统核验" : `${i.verifiedBy} 确认`}${i.doneAt ? html` · ${shortTime(i.doneAt)}` : ""}</span>` : ""}`
  : i.auto ? "待核验" : "未完成"}</td></tr>`)}
</tbody></table>`}
<h3>签字</h3>
${list.signatures.length === 0
  ? html`<p class="muted">尚无人签字。</p>`
  : html`<ul data-testid="signatures">${list.signatures.map((s) => html`<li>${s.roleLabel}：${s.name}，${shortTime(s.signedAt)}</li>`)}</ul>`}
${awaiting.length > 0 ? html`<p data-testid="awaiting-signatures">待签字：${awaiting.map((a) => `${a.roleLabel} ${a.name}`).join("、")}（清单全部完成后方可签字）</p>` : ""}
</section>`;
}

function remindersSection(reminders: SentReminder[], names: Names): Html {
  return html`<section class="card" aria-labelledby="h-reminders"><h2 id="h-reminders">已发送提醒（${reminders.length}）</h2>
${reminders.length === 0
  ? html`<p class="muted">尚未发送提醒。</p>`
  : html`<table><thead><tr><th scope="col">时间</th><th scope="col">环节</th><th scope="col">类型</th><th scope="col">发给</th></tr></thead><tbody>
${reminders.map((r) => html`<tr><td>${shortTime(r.queuedAt)}</td><td>${REMINDER_SUBJECT_LABELS[r.subjectKind] ?? r.subjectKind}</td><td>${r.kind === "escalation" ? "升级" : `第 ${r.seq} 次提醒`}</td><td>${names.people(r.recipients)}</td></tr>`)}
</tbody></table>`}
</section>`;
}
