import { flash } from "./layout";
import { html, type Html } from "./html";

/** A member as GET /api/hr/work-rules/unsigned presents them (names and campus; the account only in the form's target). */
export interface UnsignedMember {
  userid: string;
  name: string;
  campus: string | null;
  openedOn: string;
  waiting: string;
  waitingDays: number;
  reminders: number;
  lastRemindedAt: string | null;
  mayRemind: boolean;
  remindAgainAt: string | null;
}

/**
 * Who has not signed the work-account rules since joining, longest waiting first: HR reminds again from here
 * (once a day per member; the daily automatic reminders run anyway).
 */
export function workRulesPageView(members: UnsignedMember[], csrf: Html, result: { ok?: string; refused?: string } = {}): Html {
  return html`${result.ok ? flash("ok", result.ok) : ""}${result.refused ? flash("bad", result.refused) : ""}
<section class="card" aria-labelledby="h-unsigned"><h2 id="h-unsigned">未签署工作账号规则的员工</h2>
<p>新员工入职时会在小程序收到《企业微信工作账号使用规则》和员工个人信息处理告知，签署前每天自动提醒，多次未签时通知人事。</p>
${members.length === 0
  ? html`<p class="ok">所有员工都已签署。</p>`
  : html`<p>共 ${members.length} 人未签署${members.some((m) => m.waitingDays >= 7) ? html`，其中 <span class="bad">${members.filter((m) => m.waitingDays >= 7).length} 人已超过 7 天</span>` : ""}。</p>
<table class="stack" data-testid="unsigned"><thead><tr><th scope="col">姓名</th><th scope="col">校区</th><th scope="col">已等待</th><th scope="col">提醒</th><th scope="col">操作</th></tr></thead><tbody>
${members.map(
  (m) => html`<tr><td data-label="姓名">${m.name}</td><td data-label="校区">${m.campus ?? "—"}</td>
<td data-label="已等待"><span class="${m.waitingDays >= 7 ? "bad" : ""}">${m.waiting}</span><br><span class="muted">${m.openedOn} 入职</span></td>
<td data-label="提醒">已提醒 ${m.reminders} 次${m.lastRemindedAt ? html`<br><span class="muted">最近 ${m.lastRemindedAt}</span>` : ""}</td>
<td data-label="操作">${m.mayRemind
    ? m.remindAgainAt
      ? html`<span class="muted">今天已提醒，${m.remindAgainAt} 后可再提醒</span>`
      : html`<form method="post" action="/console/work-rules/${m.userid}/remind">${csrf}<button type="submit" aria-label="再次提醒${m.name}">再次提醒</button></form>`
    : html`<span class="muted">由所在校区人事提醒</span>`}</td></tr>`,
)}
</tbody></table>`}
</section>`;
}
