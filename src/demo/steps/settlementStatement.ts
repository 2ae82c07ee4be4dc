import { CAST } from "../cast";
import type { StoryContext } from "../storyContext";

/**
 * Step 8. The settlement statement (离职结算单). HR enters the city's wage
 * figures and 李老师's last 12 months; she reads the same statement in the
 * mini-program: final wages due on the last day whatever the handover,
 * unused leave at 200% of the daily wage (reckoned without her overtime
 * pay, 带薪年休假实施办法 11), no economic compensation for a
 * resignation of her own (LCL 37, 46), and the personnel file and social
 * insurance transferred within 15 days — which HR then records.
 */
export async function settlementStatement(s: StoryContext): Promise<void> {
  const { env, t } = s;
  const caseId = s.caseId!;
  t.step(8, "离职结算单：最后工资、未休年假200%、经济补偿、档案与社保转移", "settlement statement: final wages, unused leave at 200%, compensation, file transfer");
  const hr = env.consoleToken(CAST.hr);
  const city = await s.http("PUT", `/api/hr/branches/${CAST.campus}/local-wages/2026`, hr, {
    city: "北京市",
    averageMonthlyWageFen: 1_180_000,
    minimumMonthlyWageFen: 254_000,
    source: "示例数据（演示用）",
  });
  t.check("人事录入当地工资标准 · HR sets the city's wage figures", city.status === 200, city.body.message);
  const inputs = await s.http("PUT", `/api/hr/cases/${caseId}/settlement-inputs`, hr, {
    // ¥9,000 a month, ¥300 of it overtime.
    monthlyWagesFen: Array(12).fill(900_000),
    monthlyOvertimeFen: Array(12).fill(30_000),
    annualLeave: { entitlementDays: 10, takenDays: 0 },
  });
  t.check("人事录入离职前12个月工资（含各月加班工资）和年休假 · HR enters 12 months of wages (with each month's overtime) and leave", inputs.status === 200);

  const statement = await s.mp(CAST.leaver).getSettlement(caseId);
  t.note(`事由：${statement.ground.label}（${statement.ground.statutes.join("、")}）`);
  t.check(
    "最后工资：最后工作日支付，与交接无关 · final wages due on the last day, whatever the handover",
    statement.finalWages.dueOn === "2026-04-01" && statement.finalWages.releasedAt !== null && !statement.finalWages.waitsForHandover,
    `${statement.finalWages.label} · ${statement.finalWages.status}`,
  );
  // 2026-01-01 … 04-01 = 91 days: 91/365 × 10 = 2.49 → 2 days; overtime left out: ¥9,000 − ¥300 = ¥8,700
  // ÷ 21.75 = ¥400; 2 × ¥400 × 200% = ¥1,600 (with the overtime in, it would be ¥413.79 a day).
  const leave = statement.unusedAnnualLeave;
  t.check(
    "未休年休假按日工资200%支付，日工资不含加班工资 · unused leave at 200% of a daily wage without overtime",
    leave?.unusedDays === 2 && leave.monthlyWage === "¥8,700.00" && leave.dailyWage === "¥400.00" && leave.amount === "¥1,600.00",
    leave ? `${leave.unusedDays} 天 × ${leave.dailyWage}（${leave.monthlyWage} 不含加班 ÷ 21.75）× 200% = ${leave.amount}` : "无",
  );
  const c = statement.economicCompensation;
  t.check("经济补偿：主动辞职不适用 · no compensation for her own resignation (LCL 37, 46)", !c.owed && c.label === "经济补偿：不适用（劳动者提前通知解除）", c.note);
  const transfer = statement.archiveTransfer;
  t.check("档案和社保关系15日内转移 · file and social insurance due within 15 days", transfer.deadline !== null && !transfer.transferred, transfer.note);

  const recorded = await s.http("POST", `/api/hr/cases/${caseId}/archive-transfer`, hr);
  const after = await s.mp(CAST.leaver).getSettlement(caseId);
  t.check("人事登记已转移，李老师在小程序看到 · HR records the transfer; she sees it", recorded.status === 200 && after.archiveTransfer.transferred, recorded.status === 200 ? "已办理" : `${recorded.status} ${recorded.body?.error?.message}`);
}
