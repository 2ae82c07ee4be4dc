import { BOARD_STATE_LABELS } from "../../handover";
import { FOLLOW_UP_OWNER_LABELS } from "../../handover";
import type { BoardRow } from "../presenters/handoverTypes";
import type { Names } from "../presenters/names";
import { shortTime } from "./format";
import { html, type Html } from "./html";

const STATE_CLASS: Partial<Record<BoardRow["state"], string>> = { done: "ok", refused: "bad", over_limit: "bad", failed: "bad", unassigned: "bad" };

/** Counts per state, e.g. 已完成 5 · 家长拒绝 1. */
export function boardTotals(rows: readonly BoardRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(BOARD_STATE_LABELS[r.state], (counts.get(BOARD_STATE_LABELS[r.state]) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${label} ${n}`).join(" · ") || "暂无";
}

/** Transfers still moving: the board keeps refreshing itself while any is. */
export function boardIsLive(rows: readonly BoardRow[]): boolean {
  return rows.some((r) => r.state === "sending" || r.state === "waiting" || (r.state === "failed" && r.at !== null));
}

/**
 * The per-parent transfer board (plan and case pages): each parent with child
 * and class, their new teacher, where the transfer stands and what happens
 * next. While transfers move, the section reloads itself every 15 s.
 */
export function transferBoardView(rows: readonly BoardRow[], names: Names): Html {
  const parents = rows.filter((r) => r.kind === "parent");
  const groups = rows.filter((r) => r.kind === "group");
  const when = (r: BoardRow) =>
    r.at === null ? "" : r.state === "waiting" ? `预计 ${shortTime(r.at)} 完成` : r.state === "done" ? `${shortTime(r.at)} 完成` : `${shortTime(r.at)} 后重试`;
  const line = (r: BoardRow, who: string, whoLabel: string, toLabel: string) => html`<tr data-board="${r.id}"><td data-label="${whoLabel}">${who}</td><td data-label="${toLabel}">${names.of(r.successorUserid, "未分配")}</td>
<td data-label="状态"><span class="${STATE_CLASS[r.state] ?? ""}" data-testid="board-state">${BOARD_STATE_LABELS[r.state]}</span>${when(r) ? html`<br><span class="muted">${when(r)}</span>` : ""}</td>
<td data-label="下一步">${r.followUp
  ? html`<span data-testid="follow-up">跟进：${names.people(r.followUp.ownerUserids) || "人事"}（${FOLLOW_UP_OWNER_LABELS[r.followUp.owner]}）</span><br><span class="muted">${r.followUp.action}</span>`
  : html`<span class="muted">${r.nextStep ?? "—"}</span>`}</td></tr>`;
  const live = boardIsLive(rows);
  return html`<section class="card" id="board" aria-labelledby="h-board" aria-live="polite"${live ? html` data-live="15"` : ""}><h2 id="h-board">转接进度（逐位家长）</h2>
<p data-testid="board-totals">${boardTotals(parents)}${live ? html` <span class="muted">（自动刷新中）</span>` : ""}</p>
${parents.length === 0
  ? html`<p class="muted">没有需要转接的家长。</p>`
  : html`<table class="stack" data-testid="board"><thead><tr><th scope="col">家长（孩子 · 班级）</th><th scope="col">接替老师</th><th scope="col">状态</th><th scope="col">下一步</th></tr></thead><tbody>
${parents.map((r) => line(r, names.parent(r.id), "家长", "接替老师"))}</tbody></table>`}
${groups.length > 0
  ? html`<h3>客户群（${boardTotals(groups)}）</h3><table class="stack"><thead><tr><th scope="col">群聊</th><th scope="col">新群主</th><th scope="col">状态</th><th scope="col">下一步</th></tr></thead><tbody>
${groups.map((r) => line(r, names.group(r.id), "群聊", "新群主"))}</tbody></table>`
  : ""}
</section>
${live ? LIVE_SCRIPT : ""}`;
}

/** Same-origin refresh of the board alone (the person's scroll position and form input stay). */
const LIVE_SCRIPT = html`<script>
(function () {
  var board = document.getElementById("board");
  if (!board) return;
  var every = Number(board.getAttribute("data-live")) * 1000;
  function refresh() {
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "board" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        // A failed answer (the service restarting, the session renewed meanwhile) is asked again next round.
        if (!text) { setTimeout(refresh, every); return; }
        var next = new DOMParser().parseFromString(text, "text/html").getElementById("board");
        var current = document.getElementById("board");
        // Once nothing moves the section says so (no data-live) and stops asking.
        if (next && current) { current.innerHTML = next.innerHTML; if (!next.hasAttribute("data-live")) { current.removeAttribute("data-live"); return; } }
        setTimeout(refresh, every);
      })
      .catch(function () { setTimeout(refresh, every); });
  }
  setTimeout(refresh, every);
})();
</script>`;
