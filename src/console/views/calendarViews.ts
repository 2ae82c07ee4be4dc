import { flash } from "./layout";
import { html, type Html } from "./html";

/** GET /api/admin/calendar as the page reads it. */
export interface CalendarYears {
  years: Array<
    | { year: number; source: "package"; label: string }
    | { year: number; source: "loaded"; label: string; document: string; holidays: number; makeUpWorkdays: number; loadedByName: string; loadedAtText: string }
  >;
  nextYear: { year: number; covered: boolean };
  warning: string | null;
  mayLoad: boolean;
}

export interface CalendarForm {
  ok?: string;
  refused?: { message: string; problems: string[] };
  year?: string;
  text?: string;
}

/**
 * The official holiday calendar: which years the deadlines are counted on, whether next year is still missing
 * (the service warns from 1 November), and HQ's upload of the State Council's arrangement.
 */
export function calendarPageView(c: CalendarYears, csrf: Html, example: string, form: CalendarForm = {}): Html {
  const recent = c.years.filter((y) => y.year >= c.nextYear.year - 2 || y.source === "loaded");
  const older = c.years.length - recent.length;
  return html`${form.ok ? flash("ok", form.ok) : ""}${form.refused
    ? html`<div class="notice bad" role="status" data-testid="calendar-refused"><p style="margin:0"><strong>${form.refused.message.includes("没有录入") ? "" : "未录入："}${form.refused.message}</strong></p>
${form.refused.problems.length > 0 ? html`<ul style="margin:.25rem 0 0">${form.refused.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ""}</div>`
    : ""}
${c.warning
  ? html`<div class="notice todo" data-testid="calendar-warning"><p style="margin:0">${c.warning}</p></div>`
  : c.nextYear.covered
    ? ""
    : html`<p class="muted" data-testid="calendar-next">${c.nextYear.year}年的安排尚未录入（国务院办公厅通常于11月发布，11月1日起每天提醒）。</p>`}
<section class="card" aria-labelledby="h-years"><h2 id="h-years">已有的年份</h2>
<p>书面离职通知签署期限等“工作日”按这里的法定节假日和调休计算；没有录入的年份只能按周末估算，并会向员工注明。</p>
<table class="stack" data-testid="calendar-years"><thead><tr><th scope="col">年份</th><th scope="col">来源</th><th scope="col">放假 / 调休上班</th><th scope="col">录入</th></tr></thead><tbody>
${recent.map((y) =>
  y.source === "loaded"
    ? html`<tr><td data-label="年份">${y.year}年</td><td data-label="来源"><div>${y.label}<br><span class="muted" style="overflow-wrap:anywhere">${y.document}</span></div></td>
<td data-label="放假 / 调休">放假 ${y.holidays} 天，调休上班 ${y.makeUpWorkdays} 天</td><td data-label="录入"><div>${y.loadedByName}<br><span class="muted">${y.loadedAtText}</span></div></td></tr>`
    : html`<tr><td data-label="年份">${y.year}年</td><td data-label="来源">${y.label}</td><td data-label="放假 / 调休">—</td><td data-label="录入">随系统提供</td></tr>`,
)}
${c.nextYear.covered ? "" : html`<tr><td data-label="年份">${c.nextYear.year}年</td><td data-label="来源"><span class="bad">未录入</span></td><td data-label="放假 / 调休">—</td><td data-label="录入">—</td></tr>`}
</tbody></table>
${older > 0 ? html`<p class="muted">更早的 ${older} 个年份使用内置日历。</p>` : ""}
</section>
${c.mayLoad
  ? html`<section class="card" aria-labelledby="h-load"><h2 id="h-load">录入官方安排</h2>
<p class="muted">上传官方安排的 JSON 文件（如 holiday-cn 的年度文件），或按行填写国务院办公厅通知中的日期。每个日期只能出现一次，调休上班日必须是周六或周日；任何一行有误时整份安排都不录入，并逐行说明原因。再次录入同一年会替换原有安排。</p>
<form method="post" action="/console/calendar">${csrf}
  <label for="year">录入年份</label>
  <input id="year" name="year" inputmode="numeric" maxlength="4" required value="${form.year ?? String(c.nextYear.year)}" style="width:7rem">
  <p style="margin:.5rem 0"><label class="filepick" style="display:inline-block;border:1px solid #1f6f4a;border-radius:6px;padding:.4rem .9rem;color:#1f6f4a;background:#fff;font-size:1rem;cursor:pointer">选择文件（JSON 或文本）
  <input id="calendar-file" type="file" accept=".json,.txt,application/json,text/plain" aria-label="选择文件（JSON 或文本，UTF-8）" style="position:absolute;width:1px;height:1px;opacity:0"></label>
  <span id="calendar-file-name" class="muted">未选择文件</span></p>
  <label for="arrangement">或粘贴安排</label>
  <textarea id="arrangement" name="arrangement" rows="8" required style="width:100%" placeholder="${example}">${form.text ?? ""}</textarea>
  <button type="submit">校验并录入</button>
</form>
<details><summary>按行填写的格式</summary><pre style="white-space:pre-wrap">${example}</pre>
<p class="muted">第一行写发文依据；之后每行一天或一段日期（“至”连接），后面写“放假”或“上班”，名称可省略；以 # 开头的行不计。</p></details>
<script>document.getElementById("calendar-file").addEventListener("change",function(e){var f=e.target.files[0];if(!f)return;document.getElementById("calendar-file-name").textContent=f.name;f.text().then(function(t){document.getElementById("arrangement").value=t;});});</script>
</section>`
  : html`<p class="muted">节假日安排影响所有校区的期限，由集团管理员录入；缺少下一年的安排时，系统会每天提醒人事和管理员。</p>`}`;
}
