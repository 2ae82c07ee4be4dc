import type { HandoverHealthView, RetentionFigureView, RetentionGroupView } from "../presenters/retentionTypes";
import { shortTime } from "./format";
import { html, type Html } from "./html";
import { trendChart } from "./trendChart";

const pct = (f: RetentionFigureView) => (f.rate === null ? null : Math.round(f.rate * 1000) / 10);
/** "67%（4/6）", or "—（尚无家长满 30 天）" while nobody has reached the mark. */
export function figureText(f: RetentionFigureView, text: string, days: number): string {
  return f.eligible === 0 ? `—（尚无家长满 ${days} 天）` : `${text}（${f.retained}/${f.eligible}）`;
}

/** "满30天的 4 位家长中 2 位留下" beside the big figure. */
function reachedText(f: RetentionFigureView, days: number): string {
  return f.eligible === 0 ? `尚无家长满 ${days} 天` : `满${days}天的 ${f.eligible} 位家长中 ${f.retained} 位留下`;
}

/** The month trend: 30- and 90-day retention of the parents handed over in each month. */
export function retentionTrend(h: HandoverHealthView): Html {
  return trendChart(
    "按交接月份的家长留存率",
    h.byMonth.map((m) => m.name),
    [
      { label: "30天留存", color: "#1f6f4a", values: h.byMonth.map((m) => pct(m.day30)) },
      { label: "90天留存", color: "#0550ae", values: h.byMonth.map((m) => pct(m.day90)) },
    ],
  );
}

function groupTable(caption: string, first: string, groups: RetentionGroupView[], testId: string): Html {
  if (groups.length === 0) return html``;
  return html`<table data-testid="${testId}"><caption class="muted">${caption}</caption><thead><tr><th scope="col">${first}</th><th scope="col">交接家长</th><th scope="col">30天留存</th><th scope="col">90天留存</th><th scope="col">活跃 / 沉默 / 有风险 / 已流失</th></tr></thead><tbody>
${groups.map((g) => html`<tr><th scope="row">${g.name}</th><td>${g.parents}</td><td>${figureText(g.day30, g.day30Text, 30)}</td><td>${figureText(g.day90, g.day90Text, 90)}</td><td>${g.states.active} / ${g.states.silent} / ${g.states.at_risk} / ${g.states.lost}</td></tr>`)}
</tbody></table>`;
}

/**
 * Parents at risk or lost, most serious first, with the reason, for the
 * successor and the campus head. A list rather than a table: seven columns
 * do not fit a phone, and each entry reads as one sentence.
 */
export function atRiskList(h: HandoverHealthView): Html {
  const list = h.parents.filter((p) => p.state === "at_risk" || p.state === "lost");
  if (list.length === 0) return html`<p class="muted" data-testid="at-risk-empty">目前没有流失风险的交接家长。</p>`;
  return html`<ul data-testid="at-risk-list" style="list-style:none;padding:0;margin:0">
${list.map((p) => html`<li style="padding:.5rem 0;border-bottom:1px solid #d0d7de"><strong>${p.parentName}</strong> ${p.state === "lost" ? html`<span class="bad">${p.stateLabel}</span>` : html`<span style="color:#9a6700;font-weight:700">${p.stateLabel}</span>`}：${p.reason}<br><span class="muted">接任老师 ${p.successorName} · 原老师 ${p.leaverName} · ${p.campusName} · 交接于 ${shortTime(p.handedOverAt)}</span></li>`)}
</ul>`;
}

/**
 * The retention page: whether parents stayed with the school after their
 * teacher left — 30 and 90 days after the handover, overall, per campus, per
 * leaver and per month — and the parents to follow up now, by name and reason.
 * `personal`: the reader has no HR or campus role and sees the parents they inherited.
 */
export function retentionView(h: HandoverHealthView, opts: { personal: boolean }): Html {
  const o = h.overall;
  if (o.parents === 0) {
    return html`<p class="card" data-testid="retention-empty">${opts.personal ? "您目前没有接手离职老师的家长。" : "还没有完成交接的家长：离职老师的家长转接给接任老师后，这里会显示留存情况。"}</p>`;
  }
  return html`<p class="muted">统计截至 ${shortTime(h.asOf)}。留存：交接后第 30 / 90 天，家长接受了转接、仍添加着接任老师，并且在这段时间内回复过接任老师。</p>
<div class="grid" style="grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr))">
  <section class="card" aria-labelledby="h-r-parents"><h2 id="h-r-parents">${opts.personal ? "您接手的家长" : "交接家长"}</h2><p class="stat" data-testid="retention-parents">${o.parents}</p></section>
  <section class="card" aria-labelledby="h-r-30"><h2 id="h-r-30">30天留存</h2><p class="stat" data-testid="retention-30">${o.day30Text}</p><p class="muted">${reachedText(o.day30, 30)}</p></section>
  <section class="card" aria-labelledby="h-r-90"><h2 id="h-r-90">90天留存</h2><p class="stat" data-testid="retention-90">${o.day90Text}</p><p class="muted">${reachedText(o.day90, 90)}</p></section>
  <section class="card" aria-labelledby="h-r-risk"><h2 id="h-r-risk">有流失风险 / 已流失</h2><p class="stat" data-testid="retention-risk">${o.states.at_risk} / ${o.states.lost}</p></section>
</div>
<section class="card" aria-labelledby="h-r-followup"><h2 id="h-r-followup">需要跟进的家长</h2>
<p class="muted">接任老师请尽快联系；校区负责人请督促跟进。</p>
${atRiskList(h)}
</section>
<section class="card" aria-labelledby="h-r-trend"><h2 id="h-r-trend">留存趋势</h2>${retentionTrend(h)}</section>
${opts.personal ? "" : html`<section class="card" aria-labelledby="h-r-campus"><h2 id="h-r-campus">按校区</h2>${groupTable("各校区交接家长的留存", "校区", h.byCampus, "retention-by-campus")}</section>`}
<section class="card" aria-labelledby="h-r-leaver"><h2 id="h-r-leaver">按离职老师</h2>${groupTable("每位离职老师交出的家长的留存", "离职老师", h.byLeaver, "retention-by-leaver")}</section>
<section class="card" aria-labelledby="h-r-month"><h2 id="h-r-month">按交接月份</h2>${groupTable("每月交接的家长的留存", "交接月份", h.byMonth, "retention-by-month")}</section>`;
}

/** The dashboard's card: the overall figures, the trend, and how many parents need following up. */
export function retentionCard(h: HandoverHealthView | undefined): Html {
  if (!h) return html``;
  const o = h.overall;
  const risky = o.states.at_risk + o.states.lost;
  return html`<section class="card" aria-labelledby="h-retention"><h2 id="h-retention">离职交接后的家长留存</h2>
${o.parents === 0
  ? html`<p class="muted">还没有完成交接的家长。</p>`
  : html`<p>30天留存 <strong data-testid="dashboard-retention-30">${figureText(o.day30, o.day30Text, 30)}</strong>；90天留存 <strong data-testid="dashboard-retention-90">${figureText(o.day90, o.day90Text, 90)}</strong>；交接家长 ${o.parents} 位。</p>
${retentionTrend(h)}
<p>${risky > 0 ? html`<span class="bad">有 <span data-testid="dashboard-at-risk">${risky}</span> 位交接家长需要跟进</span>` : "交接家长目前都没有流失风险"}。<a href="/console/retention">查看家长留存与需要跟进的家长</a></p>`}
</section>`;
}
