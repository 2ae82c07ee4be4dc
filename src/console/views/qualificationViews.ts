import { flash } from "./layout";
import { html, type Html } from "./html";

/** A record as the API presents it (names and Chinese labels only). */
export interface QualificationRow {
  id: string;
  staffName: string;
  departmentName: string | null;
  kindLabel: string;
  name: string;
  certificateNo: string;
  subject: string | null;
  level: string | null;
  registeredOn: string | null;
  dueOn: string | null;
  dueAction: string;
  status: "valid" | "due_soon" | "lapsed" | "no_date";
  statusLabel: string;
  remindFrom: string | null;
}

export interface QualificationPage {
  records: QualificationRow[];
  canImport: boolean;
  today: string;
  /** After an import: the counts the API answered (numbers only; the words are the page's). */
  imported?: { created: number; updated: number; unchanged: number };
  /** A refused import: the API's message and every row problem, with what was pasted kept. */
  refused?: { status: number; message: string; problems: string[]; csv: string };
}

export const CSV_TEMPLATE = "账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至";
const EXAMPLE = `${CSV_TEMPLATE}
lijing,李静,教师资格证,,20154405112000123,数学,高级中学,2021-09-01,
lijing,李静,其他证书,普通话水平测试等级证书,4411000123,,,2019-05-01,2029-04-30`;

const STATUS_CLASS: Record<QualificationRow["status"], string> = { valid: "ok", due_soon: "bad", lapsed: "bad", no_date: "muted" };

function dueCell(r: QualificationRow): Html {
  if (!r.dueOn) return html`<span class="muted">${r.kindLabel === "教师资格证" ? "尚未登记注册日期" : "长期有效"}</span>`;
  return html`${r.dueOn} 前${r.dueAction}${r.registeredOn ? html`<br><span class="muted">上次注册 ${r.registeredOn}</span>` : ""}`;
}

/** HR's list of teachers' certificates, soonest due first, with the CSV import for those who may write. */
export function qualificationPageView(p: QualificationPage, csrf: Html): Html {
  const dueSoon = p.records.filter((r) => r.status === "due_soon").length;
  const lapsed = p.records.filter((r) => r.status === "lapsed").length;
  return html`${p.imported
    ? flash("ok", `导入完成：新增 ${p.imported.created} 条，更新 ${p.imported.updated} 条，未变化 ${p.imported.unchanged} 条。到期前 90、30、7 天将提醒教师本人和校区人事。`)
    : ""}
${p.refused
  ? html`<div class="notice bad" role="alert" data-testid="import-refused"><p><strong>${p.refused.message}</strong></p><ul>${p.refused.problems.map((m) => html`<li>${m}</li>`)}</ul></div>`
  : ""}
<section class="card" aria-labelledby="h-list"><h2 id="h-list">教师资格与证书</h2>
<p>共 ${p.records.length} 条；<span class="${dueSoon ? "bad" : ""}">90 天内到期 ${dueSoon} 条</span>；<span class="${lapsed ? "bad" : ""}">已过期 ${lapsed} 条</span>。教师资格证每 5 年定期注册一次。</p>
${p.records.length === 0
  ? html`<p class="muted">还没有登记任何资质。</p>`
  : html`<table data-testid="qualifications"><thead><tr><th scope="col">教师</th><th scope="col">证书</th><th scope="col">到期事项</th><th scope="col">状态</th></tr></thead><tbody>
${p.records.map(
  (r) => html`<tr><td>${r.staffName}${r.departmentName ? html`<br><span class="muted">${r.departmentName}</span>` : ""}</td>
<td>${r.name}${r.level || r.subject ? html`（${[r.level, r.subject].filter(Boolean).join("·")}）` : ""}<br><span class="muted">编号 ${r.certificateNo}</span></td>
<td>${dueCell(r)}</td><td class="${STATUS_CLASS[r.status]}">${r.statusLabel}</td></tr>`,
)}
</tbody></table>`}
</section>
${p.canImport
  ? html`<section class="card" aria-labelledby="h-import"><h2 id="h-import">导入资质（CSV）</h2>
<p class="muted">每行一张证书；同一证书（名称＋编号）再次导入会更新而不会重复。任何一行有误时整个文件都不导入，并逐行说明原因。</p>
<form method="post" action="/console/qualifications/import">${csrf}
  <label for="csv-file">选择 CSV 文件（UTF-8）</label>
  <input id="csv-file" type="file" accept=".csv,text/csv">
  <label for="csv">或粘贴 CSV 内容（第一行为表头：${CSV_TEMPLATE}）</label>
  <textarea id="csv" name="csv" rows="6" required style="width:100%" placeholder="${EXAMPLE}">${p.refused?.csv ?? ""}</textarea>
  <button type="submit">导入</button>
</form>
<details><summary>示例</summary><pre style="white-space:pre-wrap">${EXAMPLE}</pre></details>
<script>document.getElementById("csv-file").addEventListener("change",function(e){var f=e.target.files[0];if(!f)return;f.text().then(function(t){document.getElementById("csv").value=t;});});</script>
</section>`
  : html`<p class="muted">您可以查看本校区教师的资质；导入和修改由人事负责。</p>`}`;
}
