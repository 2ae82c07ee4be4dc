import type { AlertRow, CaseSummary } from "../presenters/apiTypes";
import type { DashboardStats } from "../presenters/dashboardStats";
import { barChart } from "./barChart";
import { html, type Html } from "./html";

const CLOSED = new Set(["closed", "withdrawn", "certificate_issued"]);

export function dashboardView(cases: CaseSummary[], openAlerts: AlertRow[] | undefined, stats: DashboardStats): Html {
  const open = cases.filter((c) => !CLOSED.has(c.status));
  const byStage = new Map<string, number>();
  for (const c of open) byStage.set(c.statusLabel, (byStage.get(c.statusLabel) ?? 0) + 1);
  const months = [...new Set(stats.byMonth.map((r) => r.month))];
  const branches = [...new Set(stats.byMonth.map((r) => r.branch))];
  return html`<div class="grid">
  <section class="card" aria-labelledby="h-open"><h2 id="h-open">进行中的离职案件</h2><p class="stat" data-testid="open-cases">${open.length}</p><a href="/console/cases">查看全部案件</a></section>
  <section class="card" aria-labelledby="h-alerts"><h2 id="h-alerts">未处理预警</h2>
    ${openAlerts === undefined ? html`<p class="muted">预警功能未启用</p>` : html`<p class="stat" data-testid="open-alerts">${openAlerts.length}</p><a href="/console/alerts">处理预警</a>`}</section>
</div>
<section class="card" aria-labelledby="h-stage"><h2 id="h-stage">各阶段案件</h2>${barChart("进行中案件（按阶段）", [...byStage].map(([label, value]) => ({ label, value })))}</section>
<section class="card" aria-labelledby="h-month"><h2 id="h-month">每月离职人数（按校区）</h2>
  ${branches.length === 0
    ? html`<p class="muted">暂无数据</p>`
    : branches.map((branch) =>
        barChart(`${branch}：每月离职人数`, months.map((month) => ({ label: month, value: stats.byMonth.find((r) => r.month === month && r.branch === branch)?.count ?? 0 })), "#0550ae"),
      )}
</section>
<section class="card" aria-labelledby="h-reason"><h2 id="h-reason">离职原因</h2>${barChart("离职原因分布", stats.byReason.map((r) => ({ label: r.label, value: r.count })), "#8250df")}</section>
<section class="card" aria-labelledby="h-transfer"><h2 id="h-transfer">家长转接结果</h2>${barChart("家长转接结果", stats.transfers.map((t) => ({ label: t.label, value: t.count })), "#bc4c00")}</section>`;
}
