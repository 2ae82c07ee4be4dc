import { flash } from "./layout";
import { html, type Html } from "./html";

/** An alum as GET /api/hr/alumni presents them (names and Chinese tags only). */
export interface AlumniRow {
  userid: string;
  name: string;
  left_on: string;
  labels: string[];
  outreach: { optedIn: boolean; mayContact: boolean; topics: string[]; stillContact: boolean; status: string };
}

export interface AlumniPage {
  alumni: AlumniRow[];
  q: string;
  tag: string;
  /** Every tag of the pool in view, for the filter. */
  allTags: string[];
  /** After a send: the API's own sentence (who got it, who not and why). */
  sent?: string;
  refused?: string;
}

const TOPICS = [
  { key: "festival", label: "节日问候" },
  { key: "jobs", label: "招聘信息" },
];

/**
 * The alumni pool for HR: search by words or one tag, each alum with their
 * tags and whether they agreed to hear from the school; a greeting or job
 * opening goes only to those who agreed (the form lists only them).
 */
export function alumniPageView(p: AlumniPage, csrf: Html): Html {
  const reachable = p.alumni.filter((a) => a.outreach.optedIn && a.outreach.stillContact && a.outreach.mayContact);
  const maySend = p.alumni.some((a) => a.outreach.mayContact);
  return html`${p.sent ? flash("ok", p.sent) : ""}${p.refused ? flash("bad", p.refused) : ""}
<section class="card" aria-labelledby="h-search"><h2 id="h-search">查找离职人员</h2>
<form class="inline" method="get" action="/console/alumni" role="search">
  <div><label for="q">姓名或标签中的词</label><input id="q" name="q" value="${p.q}" placeholder="如：英语 可返聘"></div>
  <div><label for="tag">标签</label><select id="tag" name="tag"><option value="">全部</option>${p.allTags.map((t) => html`<option value="${t}"${t === p.tag ? " selected" : ""}>${t}</option>`)}</select></div>
  <div><button type="submit">搜索</button></div>
</form>
<p>共 ${p.alumni.length} 人${p.q || p.tag ? "符合条件" : ""}；其中 ${reachable.length} 人同意接收学校消息。</p>
${p.alumni.length === 0
  ? html`<p class="muted">没有符合条件的离职人员。</p>`
  : html`<table class="stack" data-testid="alumni"><thead><tr><th scope="col">姓名</th><th scope="col">离职日期</th><th scope="col">标签</th><th scope="col">校友消息</th></tr></thead><tbody>
${p.alumni.map(
  (a) => html`<tr><td data-label="姓名">${a.name}</td><td data-label="离职日期">${a.left_on}</td>
<td data-label="标签"><span>${a.labels.map((t) => html`<a class="tag" href="/console/alumni?tag=${encodeURIComponent(t)}">${t}</a> `)}</span></td>
<td data-label="校友消息" class="${a.outreach.optedIn && a.outreach.stillContact ? "" : "muted"}">${a.outreach.status}</td></tr>`,
)}
</tbody></table>`}
</section>
${maySend ? html`<section class="card" aria-labelledby="h-send"><h2 id="h-send">发送节日问候或招聘信息</h2>
${reachable.length === 0
  ? html`<p class="muted">当前列表中没有同意接收学校消息的校友。校友同意后（仍是您的企业微信客户），由人事登记后才能发送。</p>`
  : html`<form method="post" action="/console/alumni/outreach">${csrf}
<fieldset class="step"><legend>类型</legend>${TOPICS.map((t, i) => html`<label class="inline-check"><input type="radio" name="topic" value="${t.key}"${i === 0 ? " checked" : ""}> ${t.label}</label>`)}</fieldset>
<fieldset class="step"><legend>发给（仅列出同意的校友）</legend>${reachable.map((a) => html`<label class="inline-check"><input type="checkbox" name="userids" value="${a.userid}" checked> ${a.name}（${a.outreach.topics.join("、")}）</label>`)}</fieldset>
<label for="content">内容</label><textarea id="content" name="content" rows="3" maxlength="1000" required style="width:100%"></textarea>
<p class="muted">通过登记时的人事企业微信群发，需该人事在企业微信中确认后才会发出；每位客户每月最多收到 4 条企业群发。</p>
<button type="submit">发送</button>
</form>`}
</section>` : ""}`;
}
