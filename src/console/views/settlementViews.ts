import type { SettlementStatement } from "../../resignation";
import { flash } from "./layout";
import { html, type Html } from "./html";

export interface ExitInterviewView {
  scheduledAtLabel: string;
  interviewerName: string;
  reasons: { key: string; label: string }[];
  outcome: { key: string; label: string } | null;
  rehireRecommendation: { key: string; label: string } | null;
  notes: string;
}
export interface Option {
  key: string;
  label: string;
}
export interface SettlementPage {
  caseId: string;
  employeeName: string;
  statusLabel: string;
  settlement: SettlementStatement;
  grounds: Option[];
  exitInterview: ExitInterviewView | null;
  options: { reasons: Option[]; outcomes: Option[]; rehireRecommendations: Option[] };
  staff: Option[];
}

const RESULTS: Record<string, string> = {
  inputs_saved: "结算数据已保存，金额已重新核算。",
  interview_scheduled: "离职面谈已安排，已通知员工和面谈人。",
  interview_recorded: "离职面谈结果已记录。",
  transfer_recorded: "已登记档案和社会保险关系转移。",
};

const fenToYuan = (fen: number) => (fen / 100).toFixed(2);

/** One case's money and exit interview, for HR: what is due when, why, and under which statute. */
export function settlementPageView(p: SettlementPage, result: string | undefined, csrf: Html): Html {
  const s = p.settlement;
  const c = s.economicCompensation;
  const wages = s.inputs?.monthlyWagesFen ?? [];
  const overtime = s.inputs?.monthlyOvertimeFen ?? [];
  return html`${result && RESULTS[result] ? flash("ok", RESULTS[result]) : ""}
<p><a href="/console/cases/${p.caseId}">← 返回案件</a> · ${p.employeeName} · ${p.statusLabel}</p>
${s.warnings.length ? html`<div class="card warn" role="status">${s.warnings.map((w) => html`<p>${w}</p>`)}</div>` : ""}
<section class="card" aria-labelledby="h-statement"><h2 id="h-statement">离职结算单</h2>
<p>解除/终止事由：<strong>${s.ground.label}</strong>（${s.ground.statutes.join("、")}）</p>
<table data-testid="settlement-lines"><thead><tr><th scope="col">项目</th><th scope="col">金额</th><th scope="col">支付时间</th><th scope="col">状态</th></tr></thead><tbody>
<tr><td>${s.finalWages.label}</td><td>按工资表结算</td><td>${s.finalWages.dueOn}（与交接无关）</td><td>${s.finalWages.status}</td></tr>
${s.unusedAnnualLeave
  ? html`<tr><td>${s.unusedAnnualLeave.label}（${s.unusedAnnualLeave.unusedDays} 天 × ${s.unusedAnnualLeave.dailyWage} × 200%）</td><td>${s.unusedAnnualLeave.amount}</td><td>${s.unusedAnnualLeave.dueOn}（与交接无关）</td><td>${s.unusedAnnualLeave.payableNow ? "应支付" : "未到期"}</td></tr>`
  : ""}
${c.owed
  ? html`<tr><td>${c.label}</td><td>${c.amount ?? "待核算"}</td><td>办结工作交接时</td><td>${c.status}</td></tr>`
  : html`<tr><td>${c.label}</td><td>—</td><td>—</td><td>不适用</td></tr>`}
</tbody></table>
<p class="muted">${s.finalWages.note}</p>
${c.owed && c.computation?.length ? html`<h3>经济补偿计算</h3><ol>${(c.computation ?? []).map((l) => html`<li>${l}</li>`)}</ol><p class="muted">依据：${c.statutes.join("、")}。${c.note}</p>` : html`<p class="muted">${c.note}</p>`}
${s.unusedAnnualLeave ? html`<p class="muted">${s.unusedAnnualLeave.note}</p>` : ""}
<h3>档案与社会保险关系转移</h3>
<p data-testid="archive-transfer">${s.archiveTransfer.note}${s.archiveTransfer.transferred ? " 已办理。" : s.archiveTransfer.overdue ? " 已逾期！" : ""}</p>
${s.archiveTransfer.deadline && !s.archiveTransfer.transferred
  ? html`<form method="post" action="/console/cases/${p.caseId}/settlement/archive-transfer">${csrf}<button type="submit">登记已转移</button></form>`
  : ""}
</section>
<section class="card" aria-labelledby="h-inputs"><h2 id="h-inputs">结算数据（人事录入）</h2>
<p class="muted">当地标准：${s.localWages ? `${s.localWages.city}${s.localWages.year}年 职工月平均工资 ${s.localWages.averageMonthlyWage}，最低工资 ${s.localWages.minimumMonthlyWage}` : "尚未设置（在 设置 › 当地工资标准 中按校区和年度录入）"}</p>
<form method="post" action="/console/cases/${p.caseId}/settlement/inputs">${csrf}
  <label for="ground">解除/终止事由</label>
  <select id="ground" name="ground">${p.grounds.map((g) => html`<option value="${g.key}"${g.key === s.ground.key ? " selected" : ""}>${g.label}</option>`)}</select>
  <label for="wages">离职前各月应发工资（元，最多12个月，用分号或空格分隔，按月份先后）</label>
  <input id="wages" name="wages" inputmode="decimal" required style="width:100%" value="${wages.map(fenToYuan).join("; ")}" placeholder="12000; 12000; …">
  <label for="overtime">其中各月加班工资（元，与上面逐月对应，没有加班的月份填 0）</label>
  <input id="overtime" name="overtime" inputmode="decimal" required style="width:100%" value="${overtime.map(fenToYuan).join("; ")}" placeholder="0; 800; …" aria-describedby="overtime-why">
  <p id="overtime-why" class="muted">经济补偿按含加班工资的月平均工资计算（《劳动合同法实施条例》第二十七条）；未休年休假工资按剔除加班工资后的月平均工资 ÷ 21.75 计算（《企业职工带薪年休假实施办法》第十一条）。</p>
  <label for="entitlement">当年年休假天数</label>
  <input id="entitlement" name="entitlementDays" type="number" min="0" max="30" value="${s.inputs?.annualLeave?.entitlementDays ?? ""}">
  <label for="taken">当年已休天数</label>
  <input id="taken" name="takenDays" type="number" min="0" max="30" value="${s.inputs?.annualLeave?.takenDays ?? ""}">
  <button type="submit">保存并核算</button>
</form></section>
${exitInterviewSection(p, csrf)}`;
}

function exitInterviewSection(p: SettlementPage, csrf: Html): Html {
  const i = p.exitInterview;
  const recorded = i?.outcome
    ? html`<dl data-testid="exit-interview"><dt>时间</dt><dd>${i.scheduledAtLabel}</dd><dt>面谈人</dt><dd>${i.interviewerName}</dd>
<dt>离职原因</dt><dd>${i.reasons.map((r) => r.label).join("、")}</dd><dt>结果</dt><dd>${i.outcome.label}</dd>
<dt>返聘建议</dt><dd>${i.rehireRecommendation?.label ?? "—"}</dd>${i.notes ? html`<dt>记录</dt><dd>${i.notes}</dd>` : ""}</dl>`
    : null;
  return html`<section class="card" aria-labelledby="h-exit"><h2 id="h-exit">离职面谈</h2>
${recorded ??
  html`${i ? html`<p data-testid="exit-interview">已安排：${i.scheduledAtLabel}，面谈人 ${i.interviewerName}</p>` : html`<p class="muted">尚未安排离职面谈。</p>`}
<form method="post" action="/console/cases/${p.caseId}/exit-interview">${csrf}
  <label for="at">面谈时间（北京时间）</label><input id="at" name="at" type="datetime-local" required>
  <label for="interviewer">面谈人</label>
  <select id="interviewer" name="interviewerUserid">${p.staff.map((o) => html`<option value="${o.key}">${o.label}</option>`)}</select>
  <button type="submit">${i ? "改期" : "安排面谈"}</button>
</form>
${i
  ? html`<form method="post" action="/console/cases/${p.caseId}/exit-interview/outcome">${csrf}
  <fieldset><legend>离职原因（可多选）</legend>${p.options.reasons.map((r) => html`<label class="inline"><input type="checkbox" name="reasons" value="${r.key}"> ${r.label}</label>`)}</fieldset>
  <fieldset><legend>面谈结果</legend>${p.options.outcomes.map((o) => html`<label class="inline"><input type="radio" name="outcome" value="${o.key}" required> ${o.label}</label>`)}</fieldset>
  <label for="rehire">返聘建议</label>
  <select id="rehire" name="rehireRecommendation">${p.options.rehireRecommendations.map((o) => html`<option value="${o.key}">${o.label}</option>`)}</select>
  <label for="notes">面谈记录</label><textarea id="notes" name="notes" rows="3" maxlength="1000"></textarea>
  <p class="muted">选择“员工留任”将撤回该离职申请，并通知员工。</p>
  <button type="submit">记录结果</button>
</form>`
  : ""}`}
</section>`;
}
