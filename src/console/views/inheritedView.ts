import { BOARD_STATE_LABELS } from "../../handover";
import type { HandoverDuty, InheritedRow } from "../presenters/handoverTypes";
import type { Names } from "../presenters/names";
import { shortTime } from "./format";
import { html, type Html } from "./html";

const STATE_CLASS: Partial<Record<InheritedRow["state"], string>> = { done: "ok", refused: "bad", over_limit: "bad", failed: "bad" };
const HEALTH_CLASS: Record<string, string> = { active: "ok", at_risk: "bad", lost: "bad" };

/** Where the transfer of one parent or group stands, with its time. */
function stateCell(r: InheritedRow): Html {
  const when = r.at === null ? "" : r.state === "waiting" ? `预计 ${shortTime(r.at)} 完成` : r.state === "done" ? `${shortTime(r.at)} 完成` : `${shortTime(r.at)} 后重试`;
  return html`<span class="${STATE_CLASS[r.state] ?? ""}" data-testid="inherited-state">${BOARD_STATE_LABELS[r.state]}</span>${when ? html`<br><span class="muted">${when}</span>` : ""}`;
}

/**
 * The successor's own page: what they must do, the parents they inherit (by
 * name, child and class) with where each transfer stands and how the parent is
 * doing, the history with each handed-over parent, and the groups they take
 * over. Nothing of the leaver's case: only whose parents these were.
 */
export function inheritedView(me: string, rows: readonly InheritedRow[], duties: readonly HandoverDuty[], names: Names): Html {
  const parents = rows.filter((r) => r.kind === "parent");
  const groups = rows.filter((r) => r.kind === "group");
  const mine = parents.filter((r) => r.followUp && r.followUp.owner === "successor" && r.followUp.ownerUserids.includes(me));
  const atRisk = parents.filter((r) => r.health?.state === "at_risk");
  const taskCount = mine.length + duties.length + atRisk.length;
  const history = (r: InheritedRow) =>
    r.historyReadable
      ? html`<a href="/console/archive/thread?${new URLSearchParams({ staff: r.leaverUserid, parent: r.id }).toString()}">查看与${names.of(r.leaverUserid, "原老师")}的沟通记录</a>`
      : html`<span class="muted">${r.state === "refused" || r.state === "over_limit" || (r.state === "failed" && r.at === null) ? "未转给您，不能查看" : "转接完成后可查看"}</span>`;
  return html`<section class="card" aria-labelledby="h-tasks"><h2 id="h-tasks">待办（${taskCount}）</h2>
${taskCount === 0
  ? html`<p class="muted">暂无待办。</p>`
  : html`<ul data-testid="successor-tasks">
${duties.map((d) => html`<li>签署 ${d.leaverName} 的工作交接清单（您是${d.roleLabel}，最后工作日 ${d.lastDay}）：请在企业微信中打开小程序签署（提醒消息可直接打开）。</li>`)}
${mine.map((r) => html`<li data-testid="follow-up"><strong>${names.parent(r.id)}</strong> ${BOARD_STATE_LABELS[r.state]}：${r.followUp!.action}</li>`)}
${atRisk.map((r) => html`<li><strong>${names.parent(r.id)}</strong> 有流失风险：${r.health!.reason}，请尽快联系。</li>`)}
</ul>`}
</section>
<section class="card" aria-labelledby="h-parents"><h2 id="h-parents">我接替的家长（${parents.length}）</h2>
${parents.length === 0
  ? html`<p class="muted">目前没有转给您的家长。离职老师的家长分配给您后会显示在这里。</p>`
  : html`<table class="stack" data-testid="inherited-parents"><thead><tr><th scope="col">家长（孩子 · 班级）</th><th scope="col">原老师</th><th scope="col">转接</th><th scope="col">家长近况</th><th scope="col">沟通记录</th></tr></thead><tbody>
${parents.map((r) => html`<tr><td data-label="家长">${names.parent(r.id)}</td><td data-label="原老师">${names.of(r.leaverUserid, "原老师")}</td><td data-label="转接">${stateCell(r)}</td>
<td data-label="家长近况">${r.health ? html`<span class="${HEALTH_CLASS[r.health.state] ?? ""}">${r.health.stateLabel}</span><br><span class="muted">${r.health.reason}</span>` : html`<span class="muted">—</span>`}</td>
<td data-label="沟通记录">${history(r)}</td></tr>`)}
</tbody></table>`}
</section>
${groups.length > 0
  ? html`<section class="card" aria-labelledby="h-groups"><h2 id="h-groups">我接手的客户群（${groups.length}）</h2><table class="stack"><thead><tr><th scope="col">群聊</th><th scope="col">原群主</th><th scope="col">状态</th></tr></thead><tbody>
${groups.map((r) => html`<tr><td data-label="群聊">${names.group(r.id)}</td><td data-label="原群主">${names.of(r.leaverUserid, "原老师")}</td><td data-label="状态">${stateCell(r)}</td></tr>`)}
</tbody></table></section>`
  : ""}`;
}
