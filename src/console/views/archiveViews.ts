import type { MessageView, PersonRef, SearchAnswer, SearchHit, SearchIndexProgress, ThreadSummaryView } from "../presenters/apiTypes";
import { shortTime } from "./format";
import { html, type Html } from "./html";
import { flash } from "./layout";
import type { Names } from "../presenters/names";

export interface ArchiveQuery {
  who: "staff" | "parent";
  name?: string;
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
  | { kind: "refused"; message: string }
  /** Several teachers or parents have the name typed: the reader picks one. */
  | { kind: "choose"; whoLabel: string; choices: { id: string; label: string }[] };

/** The API records every read, search and export in the access log; the reader is told so. */
const LOGGED = html`<p class="muted" role="note" data-testid="access-logged">本次查看已记录</p>`;

export function archiveSearchView(query: ArchiveQuery, result: ArchiveResult, index: SearchIndexProgress | undefined, names: Names, mayHold = false): Html {
  return html`${mayHold
    ? html`<p class="card"><a href="/console/consent-withdrawals">家长撤回存档同意：查看何时删除聊天记录，纠纷期间暂缓删除 →</a></p>`
    : ""}<form method="get" action="/console/archive" class="card inline" role="search">
  <div><label for="q">关键词</label><input id="q" name="q" maxlength="50" value="${query.q ?? ""}" placeholder="如：加我微信 退费"></div>
  <div><label for="who">限定</label><select id="who" name="who">
    <option value="staff"${query.who === "staff" ? html` selected` : ""}>老师</option>
    <option value="parent"${query.who === "parent" ? html` selected` : ""}>家长</option></select></div>
  <div><label for="name">姓名（可选）</label><input id="name" name="name" maxlength="64" value="${query.name ?? ""}" autocomplete="off" placeholder="如：李静、张妈妈"></div>
  <div><label for="from">从</label><input id="from" name="from" type="date" value="${query.from}"></div>
  <div><label for="to">到</label><input id="to" name="to" type="date" value="${query.to}"></div>
  <button type="submit">查询</button>
</form>
<p class="muted">关键词检索覆盖您负责范围内的全部会话（不填姓名即检索全部）；空格分隔的多个词须同时出现；英文和数字按完整单词匹配。不填关键词、填老师或家长姓名则列出其会话。</p>
${index && !index.complete ? html`<p class="muted" role="status" data-testid="index-progress">检索索引建立中（已完成 ${index.percent}%），较早的部分消息暂时搜不到。</p>` : ""}
${resultView(result, query, names)}`;
}

function resultView(result: ArchiveResult, query: ArchiveQuery, names: Names): Html | string {
  switch (result.kind) {
    case "none":
      return "";
    case "refused":
      return flash("bad", result.message);
    case "choose": {
      const href = (id: string) => `/console/archive?${new URLSearchParams({ who: query.who, id, name: query.name ?? "", ...(query.q ? { q: query.q } : {}), from: query.from, to: query.to })}`;
      return html`<section class="card" aria-labelledby="h-choose"><h2 id="h-choose">有 ${result.choices.length} 位名为“${query.name}”的${result.whoLabel}，请选择</h2>
<ul data-testid="namesakes">${result.choices.map((c) => html`<li><a href="${href(c.id)}">${c.label}</a></li>`)}</ul></section>`;
    }
    case "threads":
      return html`<section class="card" aria-labelledby="h-threads"><h2 id="h-threads">会话（${result.threads.length}）</h2>${LOGGED}
${result.threads.length === 0
  ? html`<p class="muted">该时间段内没有会话。</p>`
  : html`<table><thead><tr><th scope="col">会话</th><th scope="col">消息数</th><th scope="col">最近消息</th></tr></thead><tbody>
${result.threads.map((t) => html`<tr><td><a href="${threadHref(t)}">${threadTitle(t, names)}</a></td><td>${t.messages}</td><td>${shortTime(t.lastAt)}</td></tr>`)}
</tbody></table>`}
${query.who === "staff" && query.id
  ? html`<p>导出该员工的会话：<a href="/api/conversations/export?${new URLSearchParams({ staff: query.id, format: "md" }).toString()}">Markdown</a> · <a href="/api/conversations/export?${new URLSearchParams({ staff: query.id, format: "json" }).toString()}">JSON</a></p>`
  : ""}
</section>`;
    case "hits":
      return hitsView(result.answer, query, names);
  }
}

function hitsView(answer: SearchAnswer, query: ArchiveQuery, names: Names): Html {
  const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
  const pageHref = (page: number) =>
    `/console/archive?${new URLSearchParams({ q: query.q ?? "", who: query.who, ...(query.id ? { id: query.id } : {}), ...(query.name ? { name: query.name } : {}), from: query.from, to: query.to, page: String(page) })}`;
  return html`<section class="card" aria-labelledby="h-hits"><h2 id="h-hits">检索结果（共 ${answer.total}${answer.truncated ? " 条以上" : " 条"}）</h2>${LOGGED}
${answer.truncated ? html`<p class="muted">匹配的消息过多，只检查了最近的一部分，请缩小时间范围或限定账号。</p>` : ""}
${answer.data.length === 0
  ? html`<p class="muted">没有找到包含“${query.q}”的消息。</p>`
  : html`<ol data-testid="hits" start="${(answer.page - 1) * answer.pageSize + 1}">${answer.data.map((h) => html`<li>${hitLine(h, names)} <a href="${hitHref(h)}">查看会话</a></li>`)}</ol>`}
${pages > 1
  ? html`<nav class="pager" aria-label="翻页">${answer.page > 1 ? html`<a href="${pageHref(answer.page - 1)}">上一页</a> ` : ""}<span class="muted">第 ${answer.page} / ${pages} 页</span>${answer.page < pages ? html` <a href="${pageHref(answer.page + 1)}">下一页</a>` : ""}</nav>`
  : ""}
</section>`;
}

const personName = (p: PersonRef | null, fallback: string) => p?.name ?? fallback;

/** Who said it, in which conversation, when, and the words around the hit with the hit marked. */
function hitLine(h: SearchHit, names: Names): Html {
  const where = h.room
    ? `群聊 · ${names.group(h.room)}`
    : `${personName(h.staff, "员工")} ↔ ${personName(h.parent, "家长")}`;
  return html`<span class="muted">${shortTime(h.message.sentAt)} ${where}</span> <strong>${personName(h.from, "未知发送人")}</strong>：${h.highlight.before}<mark>${h.highlight.match}</mark>${h.highlight.after}${h.message.recalled
    ? html` <span class="bad" data-testid="recalled">已撤回${h.message.recalledAt ? html`（${shortTime(h.message.recalledAt)}）` : ""}</span>`
    : ""}`;
}

function hitHref(h: SearchHit): string {
  if (h.room) return threadHref({ kind: "room", roomId: h.room });
  return threadHref({ kind: "single", staffUserid: h.staff?.id ?? "", externalUserid: h.parent?.id ?? "" });
}

export function threadPage(messages: MessageView[], nextHref: string | undefined, names: Names): Html {
  return html`<section class="card" aria-labelledby="h-messages"><h2 id="h-messages">消息（${messages.length}）</h2>${LOGGED}
${messages.length === 0 ? html`<p class="muted">没有消息。</p>` : html`<ol class="context" data-testid="messages">${messages.map((m) => html`<li>${messageLine(m, m.text, names)}</li>`)}</ol>`}
${nextHref ? html`<p><a href="${nextHref}">后面的消息</a></p>` : ""}
</section>
<p><a href="/console/archive">返回会话存档</a></p>`;
}

/** WeCom's chat archive message types (msgtype of GetChatData, developer.work.weixin.qq.com path/91774) in words. */
const MESSAGE_TYPES: Record<string, string> = {
  image: "图片", voice: "语音", video: "视频", file: "文件", emotion: "表情", link: "链接", card: "名片", location: "位置",
  weapp: "小程序", chatrecord: "聊天记录", redpacket: "红包", external_redpacket: "红包", meeting_voice_call: "语音通话",
  voip_doc_share: "共享文档", docmsg: "在线文档", mixed: "图文消息", news: "图文", revoke: "撤回", agree: "同意存档", disagree: "不同意存档",
};

/** Messages whose files the archive keeps (src/conversations/media: stickers are not kept). */
const WITH_FILES: Record<string, string> = { image: "下载图片", voice: "下载语音", video: "下载视频", file: "下载文件", mixed: "下载附件" };

function messageLine(m: MessageView, text: string, names: Names): Html {
  // The sender is a staff member or a parent, by name; never their account id.
  const from = names.of(m.from, "未知发送人");
  const download = WITH_FILES[m.type];
  return html`<span class="muted">${shortTime(m.sentAt)}</span> <strong>${from}</strong>：${text || html`<span class="muted">（${MESSAGE_TYPES[m.type] ?? "其他消息"}）</span>`}${download && m.action === "send"
    ? html` <a href="/console/archive/media?${new URLSearchParams({ msgid: m.msgid }).toString()}" data-testid="media-download">${download}</a>`
    : ""}${m.recalled
    ? html` <span class="bad" data-testid="recalled">已撤回${m.recalledAt ? html`（${shortTime(m.recalledAt)}）` : ""}</span>`
    : ""}`;
}

function threadTitle(t: ThreadSummaryView, names: Names): string {
  return t.kind === "room" ? `群聊 · ${names.group(t.roomId ?? "")}` : `${names.of(t.staffUserid, "员工")} ↔ ${t.externalUserid ? names.parent(t.externalUserid) : "家长"}`;
}

export function threadHref(t: { kind: "single" | "room"; staffUserid?: string; externalUserid?: string; roomId?: string }): string {
  const params: Record<string, string> = t.kind === "room" ? { room: t.roomId ?? "" } : { staff: t.staffUserid ?? "", parent: t.externalUserid ?? "" };
  return `/console/archive/thread?${new URLSearchParams(params)}`;
}
