import { REMINDER_SUBJECT_LABELS, type AlertRow, type CaseSummary } from "../presenters/apiTypes";
import type { FollowUps } from "../../schedules";
import type { DashboardStats } from "../presenters/dashboardStats";
import type { Names } from "../presenters/names";
import type { HandoverHealthView } from "../presenters/retentionTypes";
import { barChart } from "./barChart";
import { retentionCard } from "./retentionView";
import { shortTime } from "./format";
import { html, type Html } from "./html";

const CLOSED = new Set(["closed", "withdrawn", "certificate_issued"]);

export function dashboardView(
  cases: CaseSummary[],
  openAlerts: AlertRow[] | undefined,
  stats: DashboardStats,
  follow: FollowUps,
  names: Names,
  retention?: HandoverHealthView,
  calendarWarning?: string | null,
): Html {
  const open = cases.filter((c) => !CLOSED.has(c.status));
  const byStage = new Map<string, number>();
  for (const c of open) byStage.set(c.statusLabel, (byStage.get(c.statusLabel) ?? 0) + 1);
  const months = [...new Set(stats.byMonth.map((r) => r.month))];
  const branches = [...new Set(stats.byMonth.map((r) => r.branch))];
  // From 1 November while next year's holiday arrangement is missing (the same words HR gets daily in WeCom).
  return html`${calendarWarning
    ? html`<div class="notice todo" data-testid="calendar-warning"><p style="margin:0">${calendarWarning}</p><a href="/console/calendar">查看法定节假日安排</a></div>`
    : ""}<div class="grid">
  <section class="card" aria-labelledby="h-open"><h2 id="h-open">进行中的离职案件</h2><p class="stat" data-testid="open-cases">${open.length}</p><a href="/console/cases">查看全部案件</a></section>
  <section class="card" aria-labelledby="h-alerts"><h2 id="h-alerts">未处理预警</h2>
    ${openAlerts === undefined ? html`<p class="muted">预警功能未启用</p>` : html`<p class="stat" data-testid="open-alerts">${openAlerts.length}</p><a href="/console/alerts">处理预警</a>`}</section>
</div>
${followUpsView(follow, names)}
${retentionCard(retention)}
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

function followUpsView(f: FollowUps, names: Names): Html {
  const subject = (kind: string) => REMINDER_SUBJECT_LABELS[kind] ?? kind;
  const leaver = (caseId: string | null, userid: string | null) => (caseId ? html`<a href="/console/cases/${caseId}">${names.of(userid, "查看案件")}</a>` : "—");
  return html`<section class="card" aria-labelledby="h-overdue"><h2 id="h-overdue">超时未办的环节（<span data-testid="overdue-count">${f.overdue.length}</span>）</h2>
${f.overdue.length === 0
  ? html`<p class="muted">没有超过 24 小时未办的环节。</p>`
  : html`<table><thead><tr><th scope="col">离职员工</th><th scope="col">环节</th><th scope="col">待办人</th><th scope="col">开始时间</th><th scope="col">已提醒</th></tr></thead><tbody>
${f.overdue.map((o) => html`<tr><td>${leaver(o.caseId, o.employeeUserid)}</td><td>${subject(o.subjectKind)}</td><td>${names.of(o.recipientUserid, "IT")}</td><td>${shortTime(o.openedAt)}</td><td>${o.remindersSent} 次</td></tr>`)}
</tbody></table>`}
</section>
<section class="card" aria-labelledby="h-today"><h2 id="h-today">今日已发提醒（<span data-testid="today-count">${f.today.length}</span>）</h2>
${f.today.length === 0
  ? html`<p class="muted">今天还没有发出提醒。</p>`
  : html`<table><thead><tr><th scope="col">时间</th><th scope="col">离职员工</th><th scope="col">环节</th><th scope="col">类型</th><th scope="col">发给</th></tr></thead><tbody>
${f.today.map((t) => html`<tr><td>${shortTime(t.queuedAt)}</td><td>${leaver(t.caseId, t.employeeUserid)}</td><td>${subject(t.subjectKind)}</td><td>${t.kind === "escalation" ? "升级" : "提醒"}</td><td>${names.people(t.recipients)}</td></tr>`)}
</tbody></table>`}
</section>`;
}
