import type { PlanView } from "../presenters/apiTypes";
import { candidateLine, type BoardRow, type Candidate } from "../presenters/handoverTypes";
import type { Names } from "../presenters/names";
import { barChart } from "./barChart";
import { html, type Html } from "./html";
import { flash } from "./layout";
import { transferBoardView } from "./transferBoardView";

const RESULTS: Record<string, string> = { prepared: "已生成接替方案", confirmed: "方案已确认，将按方案转接" };
const REASONS: Record<string, string> = { hr_choice: "人事指定", class_co_teacher: "同班老师", qualified_least_loaded: "持同学科教师资格证、负担最轻", same_subject_least_loaded: "同科目负担最轻", campus_head: "校区负责人", no_candidate: "没有合适人选" };
const STATES: Record<string, string> = { draft: "草稿（待确认）", confirmed: "已确认", started: "转接中", finished: "已全部结束" };
const PAGE_ROWS = 200;

export interface PlanPage {
  leaverName: string;
  plan: PlanView | undefined;
  candidates: Candidate[];
  board: BoardRow[];
  names: Names;
}

/** The name a picker shows and a form posts for a candidate: the name, with the campus when two share it. */
export function pickerValue(c: Candidate, all: readonly Candidate[]): string {
  return all.filter((o) => o.name === c.name).length > 1 ? `${c.name}（${candidateLine(c)}）` : c.name;
}

/** "转接中" only while something still moves: once every parent and group has an outcome the plan is finished. */
export function planStateLabel(state: string, board: readonly BoardRow[]): string {
  const moving = board.some((r) => r.state === "sending" || r.state === "waiting" || r.state === "not_started" || (r.state === "failed" && r.at !== null));
  if (state === "started" && board.length > 0 && !moving) return STATES.finished as string;
  return STATES[state] ?? "未知";
}

export function planView(leaver: string, page: PlanPage, opts: { classFilter?: string; result?: string; changed?: string; error?: string; csrf: Html }): Html {
  const { plan, names } = page;
  const base = `/console/handover/${encodeURIComponent(leaver)}`;
  const notice = opts.error
    ? html`<p class="notice bad" role="alert" data-testid="refusal">${opts.error}</p>`
    : opts.result === "reassigned" && plan
      ? flash("ok", changedText(plan, opts.changed, names))
      : opts.result && RESULTS[opts.result]
        ? flash("ok", RESULTS[opts.result] as string)
        : "";
  if (!plan) {
    return html`${notice}<div class="card"><p>尚未为${page.leaverName}生成接替方案。</p>
<form method="post" action="${base}/prepare">${opts.csrf}<button type="submit">按班级生成接替方案</button></form></div>`;
  }
  const editable = plan.state === "draft";
  const classes = [...new Set(plan.items.flatMap((i) => i.classCodes))].sort();
  const parents = plan.items.filter((i) => i.kind === "parent" && (!opts.classFilter || i.classCodes.includes(opts.classFilter)));
  const groups = plan.items.filter((i) => i.kind === "group");
  const eligible = page.candidates.filter((c) => c.eligible);
  return html`${notice}
<datalist id="successors">${eligible.map((c) => html`<option value="${pickerValue(c, page.candidates)}">${candidateLine(c)}</option>`)}</datalist>
<section class="card" aria-labelledby="h-counts"><h2 id="h-counts">各接替人负责数量</h2>
<p>方案状态：<strong data-testid="plan-state">${planStateLabel(plan.state, page.board)}</strong>；未分配家长 ${plan.unassigned.parents.length} 位，未分配群 ${plan.unassigned.groups.length} 个。</p>
${plan.qualificationNote ? html`<p class="notice bad" role="status" data-testid="qualification-note">${plan.qualificationNote}</p>` : ""}
${plan.certificateChangeNote ? html`<p class="notice todo" role="status" data-testid="certificate-change-note">${plan.certificateChangeNote}</p>` : ""}
<table data-testid="per-successor"><thead><tr><th scope="col">接替人</th><th scope="col">家长</th><th scope="col">群聊</th></tr></thead><tbody>
${plan.perSuccessor.map((s) => html`<tr data-successor="${s.successorUserid}"><td>${s.name ?? names.of(s.successorUserid)}</td><td>${s.parents}</td><td>${s.groups}</td></tr>`)}
</tbody></table>
${barChart("各接替人负责家长数", plan.perSuccessor.map((s) => ({ label: s.name ?? names.of(s.successorUserid), value: s.parents })))}
${editable
  ? html`<form method="post" action="${base}/confirm">${opts.csrf}<button type="submit">确认方案</button></form>`
  : html`<p class="muted">方案已确认，不能再调整。</p>`}
</section>
${plan.state === "draft" ? "" : transferBoardView(page.board, names)}
${editable ? candidatesSection(page.candidates) : ""}
${editable && classes.length > 0
  ? html`<section class="card" aria-labelledby="h-bulk"><h2 id="h-bulk">按班级批量调整</h2>
<form method="post" action="${base}/reassign" class="inline">${opts.csrf}<input type="hidden" name="scope" value="class">
  <div><label for="bulk-class">班级</label><select id="bulk-class" name="target">${classes.map((c) => html`<option value="${c}">${names.className(c)}</option>`)}</select></div>
  <div><label for="bulk-successor">接替老师（输入姓名）</label><input id="bulk-successor" name="successor" required list="successors" autocomplete="off" size="10"></div>
  <button type="submit">整班改派</button>
</form></section>`
  : ""}
<section class="card" aria-labelledby="h-parents"><h2 id="h-parents">家长（${parents.length}）</h2>
${classes.length > 0
  ? html`<form method="get" action="${base}" class="inline"><div><label for="filter-class">按班级筛选</label>
<select id="filter-class" name="class"><option value="">全部</option>${classes.map((c) => html`<option value="${c}"${c === opts.classFilter ? html` selected` : ""}>${names.className(c)}</option>`)}</select></div><button class="secondary" type="submit">筛选</button></form>`
  : ""}
<table class="stack"><thead><tr><th scope="col">家长（孩子 · 班级）</th><th scope="col">接替人</th><th scope="col">依据</th>${editable ? html`<th scope="col">改派</th>` : ""}</tr></thead><tbody>
${parents.slice(0, PAGE_ROWS).map((p) => itemRow(p, names.parent(p.id), editable, base, opts.csrf, names))}
</tbody></table>
${parents.length > PAGE_ROWS ? html`<p class="muted">仅显示前 ${PAGE_ROWS} 位，请按班级筛选或整班改派。</p>` : ""}
</section>
${groups.length > 0
  ? html`<section class="card" aria-labelledby="h-groups"><h2 id="h-groups">客户群（${groups.length}）</h2><table class="stack"><thead><tr><th scope="col">群聊</th><th scope="col">新群主</th><th scope="col">依据</th>${editable ? html`<th scope="col">改派</th>` : ""}</tr></thead><tbody>
${groups.map((g) => itemRow(g, names.group(g.id), editable, base, opts.csrf, names))}</tbody></table></section>`
  : ""}`;
}

function candidatesSection(candidates: Candidate[]): Html {
  return html`<details class="card"><summary>可接替的老师（${candidates.filter((c) => c.eligible).length} 位）</summary>
<table data-testid="candidates"><thead><tr><th scope="col">老师</th><th scope="col">校区 · 科目 · 现有家长</th></tr></thead><tbody>
${candidates.filter((c) => c.eligible).map((c) => html`<tr><td>${c.name}</td><td>${candidateLine(c)}</td></tr>`)}
</tbody></table></details>`;
}

function changedText(plan: PlanView, changed: string | undefined, names: Names): string {
  const item = changed ? plan.items.find((i) => i.id === changed) : undefined;
  if (!item) return "已调整接替人";
  const who = item.kind === "group" ? names.group(item.id) : names.of(item.id, "家长");
  return `已调整接替人：${who} → ${item.successorName ?? "未分配"}（方案需重新确认）`;
}

function itemRow(item: PlanView["items"][number], label: string, editable: boolean, base: string, csrf: Html, names: Names): Html {
  const fieldId = `to-${item.kind}-${item.id}`;
  const [who, to] = item.kind === "group" ? ["群聊", "新群主"] : ["家长", "接替人"];
  return html`<tr data-item="${item.id}"><td data-label="${who}">${label}</td><td data-label="${to}" data-testid="successor" data-userid="${item.successorUserid ?? ""}">${item.successorName ?? (item.successorUserid ? names.of(item.successorUserid) : "未分配")}</td><td data-label="依据">${REASONS[item.reason] ?? "—"}</td>
${editable
  ? html`<td data-label="改派"><form method="post" action="${base}/reassign" class="inline">${csrf}<input type="hidden" name="scope" value="${item.kind}"><input type="hidden" name="target" value="${item.id}">
<label class="muted" for="${fieldId}">改派给（姓名）</label><input id="${fieldId}" name="successor" required list="successors" autocomplete="off" size="8"><button type="submit" class="secondary">改派</button></form></td>`
  : ""}</tr>`;
}
