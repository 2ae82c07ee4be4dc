import type { MessageView, SearchHit, ThreadSummaryView } from "../presenters/apiTypes";
import { shortTime } from "./format";
import { html, type Html } from "./html";
import { flash } from "./layout";

export interface ArchiveQuery {
  who: "staff" | "parent";
  id?: string;
  q?: string;
  from: string;
  to: string;
}

export type ArchiveResult =
  | { kind: "none" }
  | { kind: "threads"; threads: ThreadSummaryView[] }
  | { kind: "hits"; hits: SearchHit[]; scanned: number; truncated: boolean }
  | { kind: "refused"; message: string };

/** The API records every read, search and export in the access log; the reader is told so. */
const LOGGED = html`<p class="muted" role="note" data-testid="access-logged">本次查看已记录</p>`;

export function archiveSearchView(query: ArchiveQuery, result: ArchiveResult): Html {
  const subject = query.id ? { [query.who]: query.id } : {};
  return html`<form method="get" action="/console/archive" class="card inline" role="search">
  <div><label for="who">查找</label><select id="who" name="who">
    <option value="staff"${query.who === "staff" ? html` selected` : ""}>员工（userid）</option>
    <option value="parent"${query.who === "parent" ? html` selected` : ""}>家长（external_userid）</option></select></div>
  <div><label for="id">账号</label><input id="id" name="id" required maxlength="128" value="${query.id ?? ""}" autocomplete="off"></div>
  <div><label for="q">关键词（可选）</label><input id="q" name="q" maxlength="50" value="${query.q ?? ""}"></div>
  <div><label for="from">从</label><input id="from" name="from" type="date" value="${query.from}"></div>
  <div><label for="to">到</label><input id="to" name="to" type="date" value="${query.to}"></div>
  <button type="submit">查询</button>
</form>
<p class="muted">只能查看您负责范围内的会话；关键词检索的时间范围不超过 93 天。</p>
${resultView(result, subject, query)}`;
}

function resultView(result: ArchiveResult, subject: Record<string, string>, query: ArchiveQuery): Html | string {
  switch (result.kind) {
    case "none":
      return "";
    case "refused":
      return flash("bad", result.message);
    case "threads":
      return html`<section class="card" aria-labelledby="h-threads"><h2 id="h-threads">会话（${result.threads.length}）</h2>${LOGGED}
${result.threads.length === 0
  ? html`<p class="muted">该时间段内没有会话。</p>`
  : html`<table><thead><tr><th scope="col">会话</th><th scope="col">消息数</th><th scope="col">最近消息</th></tr></thead><tbody>
${result.threads.map((t) => html`<tr><td><a href="${threadHref(t)}">${threadTitle(t)}</a></td><td>${t.messages}</td><td>${shortTime(t.lastAt)}</td></tr>`)}
</tbody></table>`}
${query.who === "staff" && query.id
  ? html`<p>导出该员工的会话：<a href="/api/conversations/export?${new URLSearchParams({ staff: query.id, format: "md" }).toString()}">Markdown</a> · <a href="/api/conversations/export?${new URLSearchParams({ staff: query.id, format: "json" }).toString()}">JSON</a></p>`
  : ""}
</section>`;
    case "hits":
      return html`<section class="card" aria-labelledby="h-hits"><h2 id="h-hits">检索结果（${result.hits.length}）</h2>${LOGGED}
${result.truncated ? html`<p class="muted">结果过多，仅显示前一部分，请缩小时间范围。</p>` : ""}
${result.hits.length === 0
  ? html`<p class="muted">没有找到包含“${query.q}”的消息（共检索 ${result.scanned} 条）。</p>`
  : html`<ol data-testid="hits">${result.hits.map((h) => html`<li>${messageLine(h.message, h.snippet)} <a href="${hitThreadHref(h.message, subject)}">查看会话</a></li>`)}</ol>`}
</section>`;
  }
}

export function threadPage(messages: MessageView[], nextHref: string | undefined): Html {
  return html`<section class="card" aria-labelledby="h-messages"><h2 id="h-messages">消息（${messages.length}）</h2>${LOGGED}
${messages.length === 0 ? html`<p class="muted">没有消息。</p>` : html`<ol class="context" data-testid="messages">${messages.map((m) => html`<li>${messageLine(m, m.text)}</li>`)}</ol>`}
${nextHref ? html`<p><a href="${nextHref}">后面的消息</a></p>` : ""}
</section>
<p><a href="/console/archive">返回会话存档</a></p>`;
}

function messageLine(m: MessageView, text: string): Html {
  return html`<span class="muted">${shortTime(m.sentAt)} ${m.from}</span> ${text || html`<span class="muted">（${m.type}）</span>`}${m.recalled
    ? html` <span class="bad" data-testid="recalled">已撤回${m.recalledAt ? html`（${shortTime(m.recalledAt)}）` : ""}</span>`
    : ""}`;
}

function threadTitle(t: ThreadSummaryView): string {
  return t.kind === "room" ? `群聊 ${t.roomId}` : `${t.staffUserid} ↔ ${t.externalUserid}`;
}

export function threadHref(t: { kind: "single" | "room"; staffUserid?: string; externalUserid?: string; roomId?: string }): string {
  const params: Record<string, string> = t.kind === "room" ? { room: t.roomId ?? "" } : { staff: t.staffUserid ?? "", parent: t.externalUserid ?? "" };
  return `/console/archive/thread?${new URLSearchParams(params)}`;
}

/** A hit's thread: its group, or the 1:1 between the searched person and the other side. */
function hitThreadHref(m: MessageView, subject: Record<string, string>): string {
  if (m.roomId) return threadHref({ kind: "room", roomId: m.roomId });
  const other = m.from === (subject.staff ?? subject.parent) ? m.to[0] : m.from;
  return subject.staff
    ? threadHref({ kind: "single", staffUserid: subject.staff, externalUserid: other })
    : threadHref({ kind: "single", staffUserid: other, externalUserid: subject.parent });
}
