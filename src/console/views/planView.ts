import type { PlanView } from "../presenters/apiTypes";
import { barChart } from "./barChart";
import { html, type Html } from "./html";
import { flash } from "./layout";

const RESULTS: Record<string, string> = { prepared: "已生成接替方案", reassigned: "已调整接替人", confirmed: "方案已确认，将按方案转接" };
const REASONS: Record<string, string> = { hr_choice: "人事指定", class_co_teacher: "同班老师", same_subject_least_loaded: "同科目负担最轻", campus_head: "校区负责人" };
const STATES: Record<string, string> = { draft: "草稿（待确认）", confirmed: "已确认", started: "转接中" };
const PAGE_ROWS = 200;

export function planView(leaver: string, plan: PlanView | undefined, opts: { classFilter?: string; result?: string; csrf: Html }): Html {
  const notice = opts.result && RESULTS[opts.result] ? flash("ok", RESULTS[opts.result] as string) : "";
  const base = `/console/handover/${encodeURIComponent(leaver)}`;
  if (!plan) {
    return html`${notice}<div class="card"><p>尚未为该员工生成接替方案。</p>
<form method="post" action="${base}/prepare">${opts.csrf}<button type="submit">按班级生成接替方案</button></form></div>`;
  }
  const editable = plan.state === "draft";
  const classes = [...new Set(plan.items.flatMap((i) => i.classCodes))].sort();
  const successors = plan.perSuccessor.map((s) => s.successorUserid);
  const parents = plan.items.filter((i) => i.kind === "parent" && (!opts.classFilter || i.classCodes.includes(opts.classFilter)));
  const groups = plan.items.filter((i) => i.kind === "group");
  const successorInput = (id: string) =>
    html`<input id="${id}" name="successor" required list="successors" autocomplete="off" size="10">`;
  return html`${notice}
<datalist id="successors">${successors.map((s) => html`<option value="${s}"></option>`)}</datalist>
<section class="card" aria-labelledby="h-counts"><h2 id="h-counts">各接替人负责数量</h2>
<p>方案状态：<strong data-testid="plan-state">${STATES[plan.state] ?? plan.state}</strong>；未分配家长 ${plan.unassigned.parents.length} 位，未分配群 ${plan.unassigned.groups.length} 个。</p>
<table data-testid="per-successor"><thead><tr><th scope="col">接替人</th><th scope="col">家长</th><th scope="col">群聊</th></tr></thead><tbody>
${plan.perSuccessor.map((s) => html`<tr data-successor="${s.successorUserid}"><td>${s.name ?? s.successorUserid}（${s.successorUserid}）</td><td>${s.parents}</td><td>${s.groups}</td></tr>`)}
</tbody></table>
${barChart("各接替人负责家长数", plan.perSuccessor.map((s) => ({ label: s.name ?? s.successorUserid, value: s.parents })))}
${editable
  ? html`<form method="post" action="${base}/confirm">${opts.csrf}<button type="submit">确认方案</button></form>`
  : html`<p class="muted">方案已确认，不能再调整。</p>`}
</section>
${editable
  ? html`<section class="card" aria-labelledby="h-bulk"><h2 id="h-bulk">按班级批量调整</h2>
<form method="post" action="${base}/reassign" class="inline">${opts.csrf}<input type="hidden" name="scope" value="class">
  <div><label for="bulk-class">班级</label><select id="bulk-class" name="target">${classes.map((c) => html`<option>${c}</option>`)}</select></div>
  <div><label for="bulk-successor">接替人账号</label>${successorInput("bulk-successor")}</div>
  <button type="submit">整班改派</button>
</form></section>`
  : ""}
<section class="card" aria-labelledby="h-parents"><h2 id="h-parents">家长（${parents.length}）</h2>
<form method="get" action="${base}" class="inline"><div><label for="filter-class">按班级筛选</label>
<select id="filter-class" name="class"><option value="">全部</option>${classes.map((c) => html`<option${c === opts.classFilter ? html` selected` : ""}>${c}</option>`)}</select></div><button class="secondary" type="submit">筛选</button></form>
<table><thead><tr><th scope="col">家长</th><th scope="col">班级</th><th scope="col">接替人</th><th scope="col">依据</th>${editable ? html`<th scope="col">改派</th>` : ""}</tr></thead><tbody>
${parents.slice(0, PAGE_ROWS).map((p) => itemRow(p, editable, base, opts.csrf))}
</tbody></table>
${parents.length > PAGE_ROWS ? html`<p class="muted">仅显示前 ${PAGE_ROWS} 位，请按班级筛选或整班改派。</p>` : ""}
</section>
${groups.length > 0
  ? html`<section class="card" aria-labelledby="h-groups"><h2 id="h-groups">群聊（${groups.length}）</h2><table><thead><tr><th scope="col">群聊</th><th scope="col">班级</th><th scope="col">接替人</th><th scope="col">依据</th>${editable ? html`<th scope="col">改派</th>` : ""}</tr></thead><tbody>
${groups.map((g) => itemRow(g, editable, base, opts.csrf))}</tbody></table></section>`
  : ""}`;
}

function itemRow(item: PlanView["items"][number], editable: boolean, base: string, csrf: Html): Html {
  const fieldId = `to-${item.kind}-${item.id}`;
  return html`<tr data-item="${item.id}"><td>${item.name}</td><td>${item.classCodes.join("、") || "—"}</td><td data-testid="successor" data-userid="${item.successorUserid ?? ""}">${item.successorName ?? "未分配"}</td><td>${REASONS[item.reason] ?? item.reason}</td>
${editable
  ? html`<td><form method="post" action="${base}/reassign" class="inline">${csrf}<input type="hidden" name="scope" value="${item.kind}"><input type="hidden" name="target" value="${item.id}">
<label class="muted" for="${fieldId}">改派给</label><input id="${fieldId}" name="successor" required list="successors" autocomplete="off" size="8"><button type="submit" class="secondary">改派</button></form></td>`
  : ""}</tr>`;
}
