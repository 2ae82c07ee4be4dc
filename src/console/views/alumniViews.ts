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
  (a) => html`<tr><td data-label="姓名"><a href="/console/alumni/${a.userid}">${a.name}</a></td><td data-label="离职日期">${a.left_on}</td>
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

/** One alum as GET /api/hr/alumni/:userid answers. */
export interface AlumDetail {
  userid: string;
  name: string;
  leftOn: string;
  labels: string[];
  hrTags: string[];
  mayContact: boolean;
  optin: {
    active: boolean;
    topics: string[];
    evidence: string;
    recordedAt: string;
    recordedByName: string;
    contactName: string;
    withdrawnAt: string | null;
    stillContact: boolean;
    externalUserid: string;
  } | null;
  contacts: { externalUserid: string; name: string }[];
}

function beijingTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * One alum for HR: their tags with HR's own removable and a box to add one; the opt-in as recorded (the alum's
 * own words, when, through whose WeCom) with a withdraw button, or the form to record it — choosing the alum
 * among HR's own WeCom customers by name.
 */
export function alumDetailView(a: AlumDetail, csrf: Html, result: { ok?: string; refused?: string } = {}): Html {
  const derived = a.labels.filter((l) => !a.hrTags.includes(l));
  const o = a.optin;
  const sameName = a.contacts.find((c) => c.name === a.name);
  return html`${result.ok ? flash("ok", result.ok) : ""}${result.refused ? flash("bad", result.refused) : ""}
<section class="card" aria-labelledby="h-alum"><h2 id="h-alum">${a.name}</h2>
<p>离职日期 ${a.leftOn}</p>
<p><a href="/console/alumni">返回离职人才库</a></p>
</section>
<section class="card" aria-labelledby="h-tags"><h2 id="h-tags">标签</h2>
<p>${derived.map((t) => html`<a class="tag" href="/console/alumni?tag=${encodeURIComponent(t)}">${t}</a> `)}</p>
<p class="muted">以上标签来自离职原因、岗位、绩效和返聘意见。</p>
<h3>人事自定义标签</h3>
${a.hrTags.length === 0
  ? html`<p class="muted">还没有自定义标签。</p>`
  : html`<ul data-testid="hr-tags">${a.hrTags.map(
      (t) => html`<li>${t}${a.mayContact
        ? html` <form class="inline" style="display:inline" method="post" action="/console/alumni/${a.userid}/tags/remove">${csrf}<input type="hidden" name="tag" value="${t}"><button class="secondary" type="submit" aria-label="删除标签${t}">删除</button></form>`
        : ""}</li>`,
    )}</ul>`}
${a.mayContact
  ? html`<form class="inline" method="post" action="/console/alumni/${a.userid}/tags">${csrf}
<div><label for="tag">新标签</label><input id="tag" name="tag" maxlength="30" required placeholder="如：双语、可带竞赛"></div><div><button type="submit">添加标签</button></div></form>`
  : ""}
</section>
<section class="card" aria-labelledby="h-optin"><h2 id="h-optin">接收校友消息</h2>
${o
  ? html`<div data-testid="optin"><p class="${o.active && o.stillContact ? "ok" : "muted"}">${o.active
      ? o.stillContact
        ? `已同意接收：${o.topics.join("、")}（通过${o.contactName}的企业微信）`
        : `已同意，但已不是${o.contactName}的企业微信客户，暂不能发送`
      : `已撤回（${beijingTime(o.withdrawnAt!)}），不再发送`}</p>
<p>同意原话：「${o.evidence}」</p><p class="muted">${o.recordedByName}登记于 ${beijingTime(o.recordedAt)}</p></div>`
  : html`<p class="muted">尚未登记同意。只有校友本人同意、且仍是人事的企业微信客户时，才能向其发送节日问候或招聘信息。</p>`}
${a.mayContact && o?.active
  ? html`<form method="post" action="/console/alumni/${a.userid}/optin/withdraw">${csrf}<button class="danger" type="submit">撤回同意（不再发送）</button></form>`
  : ""}
${a.mayContact && !o?.active
  ? a.contacts.length === 0
    ? html`<p class="muted">您的企业微信还没有任何客户。请先让${a.name}用个人微信添加您的企业微信，再登记同意。</p>`
    : html`<form method="post" action="/console/alumni/${a.userid}/optin">${csrf}
<label for="contact">${a.name}是您的哪位企业微信客户</label>
<select id="contact" name="externalUserid" required><option value="">请选择</option>${a.contacts.map(
        (c) => html`<option value="${c.externalUserid}"${c === sameName ? " selected" : ""}>${c.name}</option>`,
      )}</select>
<fieldset class="step"><legend>同意接收</legend>
<label class="inline-check"><input type="checkbox" name="festival" value="on" checked> 节日问候</label>
<label class="inline-check"><input type="checkbox" name="jobs" value="on"> 招聘信息</label></fieldset>
<label for="evidence">同意的方式和原话</label>
<textarea id="evidence" name="evidence" rows="2" maxlength="500" required style="width:100%" placeholder="如：2026-03-01 企业微信回复“愿意接收学校的节日问候”"></textarea>
<p><button type="submit">登记同意</button></p></form>`
  : ""}
</section>`;
}
