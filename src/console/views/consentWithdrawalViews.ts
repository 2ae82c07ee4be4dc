import { flash } from "./layout";
import { html, type Html } from "./html";
import type { WithdrawnConsent } from "../../conversations";

/** A withdrawal as GET /api/conversations/erasure-holds presents it (names; the accounts only in `target`). */
export type WithdrawalRow = WithdrawnConsent;

const REASON_MAX = 500;

/**
 * Parents who withdrew archive consent (PIPL 15): when each pair's stored chats will be deleted (PIPL 47), and
 * HR's hold while a dispute needs them as evidence, with its reason, and its release.
 */
export function consentWithdrawalsView(p: { graceDays: number; withdrawals: WithdrawalRow[] }, csrf: Html, result: { ok?: string; refused?: string } = {}): Html {
  const rows = p.withdrawals;
  return html`${result.ok ? flash("ok", result.ok) : ""}${result.refused ? flash("bad", result.refused) : ""}
<section class="card" aria-labelledby="h-withdrawn"><h2 id="h-withdrawn">家长撤回存档同意后的聊天记录</h2>
<p>家长撤回会话存档同意后，系统不再保存新的聊天；已保存的聊天在撤回 ${p.graceDays} 天后自动删除，只记录删除了多少条，不留内容。
如有投诉或纠纷需要这些记录作为证据，请在删除前“暂缓删除”并写明原因；解除后按原时间删除（已过期的在下一次每日清理时删除）。</p>
${rows.length === 0
  ? html`<p class="ok">目前没有待删除的聊天记录。</p>`
  : html`<p>共 ${rows.length} 项${rows.some((r) => r.hold) ? html`，其中 ${rows.filter((r) => r.hold).length} 项已暂缓删除` : ""}。</p>
<table class="stack" data-testid="withdrawals"><thead><tr><th scope="col">聊天</th><th scope="col">家长</th><th scope="col">撤回同意</th><th scope="col">删除时间</th><th scope="col">暂缓删除</th></tr></thead><tbody>
${rows.map((r) => {
  const chat = r.kind === "pair" ? html`${r.teacher}的单聊` : html`群聊「${r.group}」中该家长的发言`;
  const label = r.kind === "pair" ? `${r.teacher}与${r.parent}` : `${r.parent}在「${r.group}」`;
  return html`<tr><td data-label="聊天"><div>${chat}<br><span class="muted">已保存 ${r.storedMessages} 条</span></div></td>
<td data-label="家长">${r.parent}</td>
<td data-label="撤回同意">${r.withdrawnOn}</td>
<td data-label="删除时间">${r.hold
    ? html`<span class="ok">暂缓中，不会删除</span>`
    : r.due
      ? html`<span class="bad">已到期，下一次每日清理时删除</span>`
      : html`${r.dueOn}后删除`}</td>
<td data-label="暂缓删除">${r.hold
    ? html`<div><p style="margin:0;overflow-wrap:anywhere">原因：${r.hold.reason}<br><span class="muted">${r.hold.heldBy} ${r.hold.heldOn}暂缓</span></p>
<form method="post" action="/console/consent-withdrawals${r.target}/release">${csrf}<button class="secondary" type="submit" aria-label="解除暂缓：${label}">解除暂缓</button></form></div>`
    : html`<form method="post" action="/console/consent-withdrawals${r.target}/hold" class="inline">${csrf}
<div><label>原因（必填，最多 ${REASON_MAX} 字）<input name="reason" required maxlength="${REASON_MAX}" placeholder="如：家长投诉处理中" aria-label="暂缓原因：${label}"></label></div>
<button type="submit" aria-label="暂缓删除：${label}">暂缓删除</button></form>`}</td></tr>`;
})}
</tbody></table>`}
</section>`;
}
