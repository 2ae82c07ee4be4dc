import type { MessageView, PersonRef, SearchAnswer, SearchHit, SearchIndexProgress, ThreadSummaryView } from "../presenters/apiTypes";
import { shortTime } from "./format";
import { html, type Html } from "./html";
import { flash } from "./layout";

export interface ArchiveQuery {
  who: "staff" | "parent";
  id?: string;
  q?: string;
  from: string;
  to: string;
  page?: number;
}

export type ArchiveResult =
  | { kind: "none" }
  | { kind: "threads"; threads: ThreadSummaryView[] }
  | { kind: "hits"; answer: SearchAnswer }
  | { kind: "refused"; message: string };

/** The API records every read, search and export in the access log; the reader is told so. */
const LOGGED = html`<p class="muted" role="note" data-testid="access-logged">本次查看已记录</p>`;

export function archiveSearchView(query: ArchiveQuery, result: ArchiveResult, index?: SearchIndexProgress): Html {
  return html`<form method="get" action="/console/archive" class="card inline" role="search">
  <div><label for="q">关键词</label><input id="q" name="q" maxlength="50" value="${query.q ?? ""}" placeholder="如：加我微信 退费"></div>
  <div><label for="who">限定</label><select id="who" name="who">
    <option value="staff"${query.who === "staff" ? html` selected` : ""}>员工（userid）</option>
    <option value="parent"${query.who === "parent" ? html` selected` : ""}>家长（external_userid）</option></select></div>
  <div><label for="id">账号（可选）</label><input id="id" name="id" maxlength="128" value="${query.id ?? ""}" autocomplete="off"></div>
  <div><label for="from">从</label><input id="from" name="from" type="date" value="${query.from}"></div>
  <div><label for="to">到</label><input id="to" name="to" type="date" value="${query.to}"></div>
  <button type="submit">查询</button>
</form>
<p class="muted">关键词检索覆盖您负责范围内的全部会话（不填账号即检索全部）；空格分隔的多个词须同时出现；英文和数字按完整单词匹配。不填关键词、填账号则列出该账号的会话。</p>
${index && !index.complete ? html`<p class="muted" role="status" data-testid="index-progress">检索索引建立中（已完成 ${index.percent}%），较早的部分消息暂时搜不到。</p>` : ""}
${resultView(result, query)}`;
}

function resultView(result: ArchiveResult, query: ArchiveQuery): Html | string {
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
      return hitsView(result.answer, query);
  }
}

function hitsView(answer: SearchAnswer, query: ArchiveQuery): Html {
  const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
  const pageHref = (page: number) =>
    `/console/archive?${new URLSearchParams({ q: query.q ?? "", who: query.who, ...(query.id ? { id: query.id } : {}), from: query.from, to: query.to, page: String(page) })}`;
  return html`<section class="card" aria-labelledby="h-hits"><h2 id="h-hits">检索结果（共 ${answer.total}${answer.truncated ? " 条以上" : " 条"}）</h2>${LOGGED}
${answer.truncated ? html`<p class="muted">匹配的消息过多，只检查了最近的一部分，请缩小时间范围或限定账号。</p>` : ""}
${answer.data.length === 0
  ? html`<p class="muted">没有找到包含“${query.q}”的消息。</p>`
  : html`<ol data-testid="hits" start="${(answer.page - 1) * answer.pageSize + 1}">${answer.data.map((h) => html`<li>${hitLine(h)} <a href="${hitHref(h)}">查看会话</a></li>`)}</ol>`}
${pages > 1
  ? html`<nav class="pager" aria-label="翻页">${answer.page > 1 ? html`<a href="${pageHref(answer.page - 1)}">上一页</a> ` : ""}<span class="muted">第 ${answer.page} / ${pages} 页</span>${answer.page < pages ? html` <a href="${pageHref(answer.page + 1)}">下一页</a>` : ""}</nav>`
  : ""}
</section>`;
}

const personName = (p: PersonRef | null, fallback: string) => p?.name ?? fallback;

/** Who said it, in which conversation, when, and the words around the hit with the hit marked. */
function hitLine(h: SearchHit): Html {
  const where = h.room
    ? `群聊`
    : `${personName(h.staff, "员工")} ↔ ${personName(h.parent, "家长")}`;
  return html`<span class="muted">${shortTime(h.message.sentAt)} ${where}</span> <strong>${personName(h.from, "未知发送人")}</strong>：${h.highlight.before}<mark>${h.highlight.match}</mark>${h.highlight.after}${h.message.recalled
    ? html` <span class="bad" data-testid="recalled">已撤回${h.message.recalledAt ? html`（${shortTime(h.message.recalledAt)}）` : ""}</span>`
    : ""}`;
}

function hitHref(h: SearchHit): string {
  if (h.room) return threadHref({ kind: "room", roomId: h.room });
  return threadHref({ kind: "single", staffUserid: h.staff?.id ?? "", externalUserid: h.parent?.id ?? "" });
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
