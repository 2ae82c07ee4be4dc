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
  /** False for a teacher who reads only their own records. */
  readsOthers: boolean;
  today: string;
  /** After an import: the counts the API answered (numbers only; the words are the page's). */
  imported?: { created: number; updated: number; unchanged: number };
  /** A refused import: the API's message and every row problem, with what was pasted kept. */
  refused?: { status: number; message: string; problems: string[]; csv: string };
  /** After an edit or a delete: the API's own sentence. */
  done?: string;
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
  return html`${p.done ? flash("ok", p.done) : ""}${p.imported
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
<td><a href="/console/qualifications/${r.id}">${r.name}${r.level || r.subject ? html`（${[r.level, r.subject].filter(Boolean).join("·")}）` : ""}</a><br><span class="muted">编号 ${r.certificateNo}</span></td>
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
  : p.readsOthers
    ? html`<p class="muted">您可以查看本校区教师的资质；导入和修改由人事负责。点证书名称可查看详情和修改记录。</p>`
    : html`<p class="muted">这里是登记在您名下的资质。如有错误或办理了新的注册，请把证书交给校区人事修改。</p>`}`;
}

/** One record as GET /api/admin/qualifications/:id answers, with its history in words. */
export interface QualificationDetail {
  record: QualificationRow & { kind: "teacher_certificate" | "other"; expiresOn: string | null };
  canEdit: boolean;
  changes: { at: string; byName: string; action: string; text: string }[];
}

/** What HR typed, kept when the API refuses it so nothing has to be typed twice. */
export interface QualificationForm {
  kind: string;
  certificateName: string;
  certificateNo: string;
  subject: string;
  level: string;
  registeredOn: string;
  expiresOn: string;
}

const LEVELS = ["幼儿园", "小学", "初级中学", "高级中学", "中等职业学校", "中等职业学校实习指导", "高等学校"];

function beijing(iso: string): string {
  // Console times are read in Beijing time whatever the server's zone.
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * One teacher's certificate: its facts, HR's edit form and delete button (for HR of the teacher's branch
 * only), and who changed what when. A refusal is shown above the form with what was typed kept.
 */
export function qualificationDetailView(d: QualificationDetail, csrf: Html, opts: { refused?: string; form?: QualificationForm } = {}): Html {
  const r = d.record;
  const f: QualificationForm = opts.form ?? {
    kind: r.kind,
    certificateName: r.kind === "other" ? r.name : "",
    certificateNo: r.certificateNo,
    subject: r.subject ?? "",
    level: r.level ?? "",
    registeredOn: r.registeredOn ?? "",
    expiresOn: r.expiresOn ?? "",
  };
  return html`${opts.refused ? html`<p class="notice bad" role="alert" data-testid="edit-refused">${opts.refused}</p>` : ""}
<section class="card" aria-labelledby="h-record"><h2 id="h-record">${r.staffName}的${r.name}</h2>
<p>${r.departmentName ? html`${r.departmentName}；` : ""}编号 ${r.certificateNo}${r.level || r.subject ? html`；${[r.level, r.subject].filter(Boolean).join("·")}` : ""}</p>
<p>${dueCell(r)}；状态：<span class="${STATUS_CLASS[r.status]}">${r.statusLabel}</span></p>
<p><a href="/console/qualifications">返回资质列表</a></p>
</section>
${d.canEdit
  ? html`<section class="card" aria-labelledby="h-edit"><h2 id="h-edit">修改</h2>
<form method="post" action="/console/qualifications/${r.id}">${csrf}
  <label for="kind">证书类型</label>
  <select id="kind" name="kind">${[["teacher_certificate", "教师资格证"], ["other", "其他证书"]].map(([v, l]) => html`<option value="${v!}"${f.kind === v ? " selected" : ""}>${l!}</option>`)}</select>
  <label for="certificateName">证书名称（其他证书填写）</label><input id="certificateName" name="certificateName" maxlength="40" value="${f.certificateName}">
  <label for="certificateNo">证书编号</label><input id="certificateNo" name="certificateNo" maxlength="40" required value="${f.certificateNo}">
  <label for="subject">学科（教师资格证必填）</label><input id="subject" name="subject" maxlength="32" value="${f.subject}">
  <label for="level">学段（教师资格证必填）</label>
  <select id="level" name="level"><option value="">（无）</option>${LEVELS.map((l) => html`<option value="${l}"${f.level === l ? " selected" : ""}>${l}</option>`)}</select>
  <label for="registeredOn">注册日期（教师资格证每 5 年定期注册）</label><input id="registeredOn" name="registeredOn" type="date" value="${f.registeredOn}">
  <label for="expiresOn">有效期至（其他证书）</label><input id="expiresOn" name="expiresOn" type="date" value="${f.expiresOn}">
  <p><button type="submit">保存修改</button></p>
</form>
<details><summary class="button danger">删除这条记录</summary>
<p>确定删除${r.staffName}的${r.name}（编号 ${r.certificateNo}）？删除后不再提醒，也不再作为接替老师的持证依据；修改记录会保留。</p>
<form method="post" action="/console/qualifications/${r.id}/delete">${csrf}<button type="submit" class="danger">确认删除</button></form>
</details>
</section>`
  : html`<p class="muted">修改和删除由${r.staffName}所在校区的人事负责；如信息有误，请联系人事。</p>`}
<section class="card" aria-labelledby="h-history"><h2 id="h-history">修改记录</h2>
${d.changes.length === 0
  ? html`<p class="muted">没有修改记录。</p>`
  : html`<ul data-testid="changes">${d.changes.map((c) => html`<li>${beijing(c.at)} ${c.byName}${c.action}：${c.text}</li>`)}</ul>`}
</section>`;
}
