import { call, startHarness, SIGNATURE_PNG, waitFor, type Harness } from "./harness";

/**
 * The settlement statement: HR enters the city's figures and the leaver's
 * wages, HR and the leaver read the same statement (figures worked by hand
 * below), final wages are released on the last day whatever the handover,
 * compensation waits for it, and the 15-day file transfer is a reminded task.
 */
describe("settlement statement", () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });
  const texts = (userid: string) =>
    h.sandbox.state.messages.filter((m) => m.deliveredTo.includes(userid) && m.msgtype === "text").map((m) => (m.body.text as { content: string }).content);

  it("HR sets the city's figures for a branch and year; other branches' HR and campus heads cannot", async () => {
    const wages = { city: "北京", averageMonthlyWageFen: 1_000_000, minimumMonthlyWageFen: 254_000, source: "测试数据（非官方）" };
    expect((await call(h.base, "PUT", "/api/hr/branches/2/local-wages/2026", h.consoleToken("hr_sh"), wages)).status).toBe(403);
    expect((await call(h.base, "PUT", "/api/hr/branches/2/local-wages/2026", h.consoleToken("head_bj"), wages)).status).toBe(403);
    expect((await call(h.base, "PUT", "/api/hr/branches/2/local-wages/2026", h.consoleToken("hr_bj"), { ...wages, minimumMonthlyWageFen: 0 })).status).toBe(400);
    const saved = await call(h.base, "PUT", "/api/hr/branches/2/local-wages/2026", h.consoleToken("hr_bj"), wages);
    expect(saved.status).toBe(200);
    expect(saved.body.message).toBe("北京2026年标准已保存：职工月平均工资 ¥10,000.00（三倍封顶线 ¥30,000.00），最低月工资 ¥2,540.00。");
    const listed = await call(h.base, "GET", "/api/hr/branches/2/local-wages", h.consoleToken("head_bj"));
    expect(listed.body.standards).toEqual([expect.objectContaining({ year: 2026, city: "北京", averageMonthlyWage: "¥10,000.00", minimumMonthlyWage: "¥2,540.00" })]);
  });

  it("computes the statement from HR's inputs; HR and the leaver read the same; others are refused", async () => {
    h.clock.set("2026-03-02T09:00:00+08:00");
    const started = await call(h.base, "POST", "/api/mp/resignations", h.mpToken("teacher_b"), { reasonCategory: "family", reasonText: "家里有事", requestedLastDay: "2026-04-01" });
    id = started.body.case.id;
    await call(h.base, "POST", `/api/mp/resignations/${id}/notice/sign`, h.mpToken("teacher_b"), { typedName: "王老师", signatureImage: SIGNATURE_PNG, confirm: true, device: {} });

    const before = await call(h.base, "GET", `/api/hr/cases/${id}/settlement`, h.consoleToken("hr_bj"));
    expect(before.body.settlement.ground).toMatchObject({ key: "lcl37_resignation", owed: false });
    expect(before.body.settlement.warnings[0]).toBe("人事尚未录入离职前12个月工资和年休假天数，金额待核算；最后工资仍须在最后工作日足额支付。");

    const bad = await call(h.base, "PUT", `/api/hr/cases/${id}/settlement-inputs`, h.consoleToken("hr_bj"), { monthlyWagesFen: [], monthlyOvertimeFen: [] });
    expect(bad.status).toBe(400);
    // Malformed or hostile overtime is refused, in Chinese, and nothing is stored.
    const wages12 = Array(12).fill(1_200_000);
    const refusals: [unknown, string][] = [
      [{ monthlyWagesFen: wages12 }, "请求参数有误（monthlyOvertimeFen：请按月填写各月工资中的加班工资（没有加班的月份填 0））"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: Array(11).fill(0) }, "请求参数有误（monthlyOvertimeFen：各月加班工资须与各月工资一一对应：工资填了 12 个月，加班工资填了 11 个月（没有加班的月份填 0））"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: [1_300_000, ...Array(11).fill(0)] }, "请求参数有误（monthlyOvertimeFen.0：第 1 个月的加班工资（¥13,000.00）超过当月工资（¥12,000.00）：工资应为含加班工资的应发工资）"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: ["0", ...Array(11).fill(0)] }, "请求参数有误（monthlyOvertimeFen.0：金额须为以分为单位的整数）"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: [-1, ...Array(11).fill(0)] }, "请求参数有误（monthlyOvertimeFen.0：金额不能为负数）"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: [0.5, ...Array(11).fill(0)] }, "请求参数有误（monthlyOvertimeFen.0：金额以分为单位，须为整数）"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: Array(13).fill(0) }, "请求参数有误（monthlyOvertimeFen：最多填写离职前12个月）"],
      [{ monthlyWagesFen: wages12, monthlyOvertimeFen: { 0: 0 } }, "请求参数有误（monthlyOvertimeFen：请按月填写各月工资中的加班工资（没有加班的月份填 0））"],
    ];
    for (const [body, message] of refusals) {
      const r = await call(h.base, "PUT", `/api/hr/cases/${id}/settlement-inputs`, h.consoleToken("hr_bj"), body);
      expect([r.status, r.body.error.message]).toEqual([400, message]);
    }
    expect(await h.db.dataSource.query(`SELECT 1 FROM settlement_input WHERE case_id = $1`, [id])).toEqual([]);
    // ¥12,000 a month, ¥1,125 of it overtime.
    const put = await call(h.base, "PUT", `/api/hr/cases/${id}/settlement-inputs`, h.consoleToken("hr_bj"), {
      ground: "lcl36_employer_proposed",
      monthlyWagesFen: wages12,
      monthlyOvertimeFen: Array(12).fill(112_500),
      annualLeave: { entitlementDays: 10, takenDays: 0 },
    });
    expect(put.status).toBe(200);
    const s = put.body.settlement;
    // Hired 2022-03-01, last day 2026-04-01: 4 years and 1 day → 4.5 months × ¥12,000 = ¥54,000.
    expect(s.economicCompensation).toMatchObject({ owed: true, amountFen: 5_400_000, amount: "¥54,000.00", months: 4.5, waitsForHandover: true, payableNow: false, status: "待工作交接办结后支付" });
    expect(s.economicCompensation.computation.at(-1)).toBe("经济补偿 = ¥12,000.00 × 4.5 = ¥54,000.00。");
    expect(s.economicCompensation.legalRefs).toEqual(["LCL 36", "LCL 46(2)", "LCL 47", "实施条例 27", "LCL 50"]);
    // Compensation's month keeps the overtime (实施条例 27): ¥12,000 above. Leave pay's leaves it out (带薪年休假实施办法 11):
    // 01-01…04-01 = 91 days; 91/365 × 10 = 2.49 → 2 days; ¥12,000 − ¥1,125 = ¥10,875 ÷ 21.75 = ¥500; 2 × ¥500 × 200% = ¥2,000
    // (with the overtime in: ¥551.72 a day, ¥2,206.88).
    expect(s.unusedAnnualLeave).toMatchObject({ unusedDays: 2, monthlyWage: "¥10,875.00", monthsAveraged: 12, dailyWage: "¥500.00", amountFen: 200_000, amount: "¥2,000.00", waitsForHandover: false, dueOn: "2026-04-01" });
    expect(s.inputs).toMatchObject({ monthlyWagesFen: wages12, monthlyOvertimeFen: Array(12).fill(112_500) });
    expect(s.finalWages).toMatchObject({ dueOn: "2026-04-01", waitsForHandover: false, payableNow: false, status: "应于2026年4月1日发放" });
    expect(s.localWages).toMatchObject({ city: "北京", year: 2026 });
    expect(s.warnings).toEqual([]);

    const mine = await call(h.base, "GET", `/api/mp/resignations/${id}/settlement`, h.mpToken("teacher_b"));
    expect(mine.status).toBe(200);
    // The leaver reads the very statement HR reads (the mini-program's 离职结算单 page renders it), statutes in words.
    expect(mine.body.settlement).toEqual(s);
    expect(mine.body.settlement.economicCompensation.statutes).toEqual([
      "《劳动合同法》第三十六条", "《劳动合同法》第四十六条第二项", "《劳动合同法》第四十七条", "《劳动合同法实施条例》第二十七条", "《劳动合同法》第五十条",
    ]);
    expect(mine.body.settlement.finalWages.statutes).toEqual(["《工资支付暂行规定》第九条", "《劳动合同法》第三十条", "《劳动法》第五十条"]);
    const missing = await call(h.base, "GET", `/api/mp/resignations/00000000-0000-4000-8000-000000000000/settlement`, h.mpToken("teacher_b"));
    expect(missing.status).toBe(404);
    expect((await call(h.base, "GET", `/api/mp/resignations/${id}/settlement`, h.mpToken("teacher_a"))).status).toBe(403);
    expect((await call(h.base, "GET", `/api/hr/cases/${id}/settlement`, h.consoleToken("hr_sh"))).status).toBe(403);
    expect((await call(h.base, "GET", `/api/hr/cases/${id}/settlement`, h.consoleToken("head_bj"))).status).toBe(403);
    const kinds = (await h.db.dataSource.query(`SELECT kind, payload FROM dossier_entry WHERE case_id = $1 AND kind = 'settlement_computed'`, [id])) as { payload: Record<string, unknown> }[];
    expect(kinds[0].payload).toMatchObject({ ground: "lcl36_employer_proposed", monthlyOvertimeFen: Array(12).fill(112_500), compensationFen: 5_400_000, unusedLeaveFen: 200_000 });
  });

  it("on the last day wages are released with the handover open; the file transfer is a reminded task until HR records it", async () => {
    h.clock.set("2026-04-01T08:00:00+08:00");
    await h.service.capabilities.resignation.runLastDayTransitions();
    const s = (await call(h.base, "GET", `/api/hr/cases/${id}/settlement`, h.consoleToken("hr_bj"))).body.settlement;
    expect(s.finalWages).toMatchObject({ payableNow: true, status: "已发放" });
    expect(s.unusedAnnualLeave.payableNow).toBe(true);
    expect(s.economicCompensation).toMatchObject({ payableNow: false, handoverComplete: false, releasedAt: null });
    expect(s.archiveTransfer).toMatchObject({ deadline: "2026-04-16", transferred: false, overdue: false });

    h.clock.set("2026-04-02T08:30:00+08:00");
    await h.service.capabilities.sweepReminders();
    await waitFor(() => texts("hr_bj").find((t) => t.includes("王老师 的人事档案和社会保险关系转移待办理（须于2026年4月16日前完成")), "transfer reminder");

    const done = await call(h.base, "POST", `/api/hr/cases/${id}/archive-transfer`, h.consoleToken("hr_bj"), {});
    expect(done.status).toBe(200);
    expect(done.body.settlement.archiveTransfer).toMatchObject({ transferred: true, overdue: false });
    const again = await call(h.base, "POST", `/api/hr/cases/${id}/archive-transfer`, h.consoleToken("hr_bj"), {});
    expect(again.status).toBe(409);
    const [reminder] = await h.db.dataSource.query(`SELECT done_at FROM reminder WHERE subject_kind = 'archive_transfer' AND subject_id = $1`, [id]);
    expect(reminder.done_at).not.toBeNull();
  });
});
