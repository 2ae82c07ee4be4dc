import { call, startHarness, SIGNATURE_PNG, waitFor, type Harness } from "./harness";

/**
 * Seed 004 end to end: the written-notice deadline on the official calendar,
 * 24-hour reminders naming it, HR escalated once it passes, the company's
 * count, and a deadline that reaches a year nobody loaded yet — flagged, then
 * recomputed when HQ loads that year's arrangement.
 */
describe("written-notice deadline and the loadable calendar", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('it_1', 'hq_admin', NULL, 'seed')`);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  const texts = (userid: string) =>
    h.sandbox.state.messages.filter((m) => m.deliveredTo.includes(userid) && m.msgtype === "text").map((m) => (m.body.text as { content: string }).content);
  const dossier = async (caseId: string) =>
    (await h.db.dataSource.query(`SELECT kind, payload FROM dossier_entry WHERE case_id = $1 ORDER BY seq`, [caseId])) as { kind: string; payload: Record<string, unknown> }[];
  const start = (userid: string, requestedLastDay: string) =>
    call(h.base, "POST", "/api/mp/resignations", h.mpToken(userid), { reasonCategory: "family", reasonText: "家里有事", requestedLastDay });

  it("set on Friday 2026-02-13 the deadline is 2026-02-25; reminders name it; HR is told once it passes", async () => {
    h.clock.set("2026-02-13T10:00:00+08:00");
    const res = await start("teacher_a", "2026-03-20");
    expect(res.status).toBe(201);
    const id = res.body.case.id;
    expect(res.body.case.noticeDeadline).toMatchObject({ deadline: "2026-02-25", workingDays: 3, setOn: "2026-02-13", provisional: false, caveat: null, escalated: false });
    const told = await waitFor(() => texts("teacher_a").find((t) => t.includes("2026年2月25日")), "deadline message");
    expect(told).toBe("【离职办理】请在2026年2月25日（3个工作日内）前，在“离职办理”小程序中电子签署书面离职通知（《劳动合同法》第三十七条要求书面形式）。");
    const set = (await dossier(id)).find((e) => e.kind === "notice_deadline_set");
    expect(set?.payload).toEqual({ setOn: "2026-02-13", workingDays: 3, deadline: "2026-02-25", calendar: "official", uncoveredYears: [], toldEmployee: true });

    // 24 hours later the reminder names the deadline and lands in the dossier.
    h.clock.set("2026-02-14T10:05:00+08:00");
    await h.service.capabilities.sweepReminders();
    await waitFor(() => texts("teacher_a").find((t) => t.includes("签署期限：2026年2月25日")), "reminder with the deadline");
    expect((await dossier(id)).filter((e) => e.kind === "reminder_sent")).toHaveLength(1);

    // On the deadline day nothing is escalated; the day after, HR is — once.
    h.clock.set("2026-02-25T23:00:00+08:00");
    expect(await h.service.capabilities.resignation.escalateMissedNoticeDeadlines()).toEqual([]);
    h.clock.set("2026-02-26T00:20:00+08:00");
    expect(await h.service.capabilities.resignation.escalateMissedNoticeDeadlines()).toEqual([id]);
    expect(await h.service.capabilities.resignation.escalateMissedNoticeDeadlines()).toEqual([]);
    const hrText = await waitFor(() => texts("hr_bj").find((t) => t.startsWith("【书面离职通知逾期未签】")), "HR escalation");
    expect(hrText).toContain("张老师的书面离职通知签署期限（2026年2月25日，3个工作日）已过");
    expect((await dossier(id)).find((e) => e.kind === "notice_deadline_missed")?.payload).toEqual({ deadline: "2026-02-25", escalatedTo: ["hr_bj"] });
    const view = await call(h.base, "GET", `/api/hr/cases/${id}`, h.consoleToken("hr_bj"));
    expect(view.body.case.noticeDeadline.escalated).toBe(true);
    expect(view.body.case.timeline.map((t: { label: string }) => t.label)).toContain("签署期限已过，已转人事跟进");

    // A late signature still counts, and the dossier says it was late.
    const signed = await call(h.base, "POST", `/api/mp/resignations/${id}/notice/sign`, h.mpToken("teacher_a"), { typedName: "张老师", signatureImage: SIGNATURE_PNG, confirm: true, device: {} });
    expect(signed.status).toBe(200);
    expect((await dossier(id)).find((e) => e.kind === "notice_signed")?.payload).toMatchObject({ noticeDeadline: "2026-02-25", withinDeadline: false });
  });

  it("set on 2026-02-25 by HR from a WeChat message: the deadline is Saturday 2026-02-28, a make-up working day", async () => {
    h.clock.set("2026-02-25T11:00:00+08:00");
    const res = await call(h.base, "POST", "/api/hr/resignations", h.consoleToken("hr_bj"), {
      employeeUserid: "teacher_b", channel: "wechat", receivedAt: "2026-02-24T21:30:00+08:00", evidenceText: "王老师微信：我想离职", requestedLastDay: "2026-03-31",
    });
    expect(res.status).toBe(201);
    expect(res.body.case.noticeDeadline).toMatchObject({ deadline: "2026-02-28", setOn: "2026-02-25", provisional: false });
    await waitFor(() => texts("teacher_b").find((t) => t.includes("请在2026年2月28日（3个工作日内）前")), "deadline message to teacher_b");
  });

  it("the count is the company's: HQ sets it, HR only reads it", async () => {
    const hr = await call(h.base, "PUT", "/api/hr/settings/written-notice-deadline", h.consoleToken("hr_bj"), { workingDays: 5 });
    expect(hr.status).toBe(403);
    expect((await call(h.base, "PUT", "/api/hr/settings/written-notice-deadline", h.consoleToken("it_1"), { workingDays: 0 })).status).toBe(400);
    const hq = await call(h.base, "PUT", "/api/hr/settings/written-notice-deadline", h.consoleToken("it_1"), { workingDays: 5 });
    expect(hq.status).toBe(200);
    expect(hq.body.message).toBe("书面离职通知签署期限已设为 5 个工作日，此后新发起的离职申请适用。");
    expect((await call(h.base, "GET", "/api/hr/settings/written-notice-deadline", h.consoleToken("hr_bj"))).body.workingDays).toBe(5);

    // Friday 2026-03-06 + 5 working days = Friday 2026-03-13.
    h.clock.set("2026-03-06T09:00:00+08:00");
    const res = await start("teacher_c", "2026-04-30");
    expect(res.body.case.noticeDeadline).toMatchObject({ deadline: "2026-03-13", workingDays: 5 });
    await call(h.base, "PUT", "/api/hr/settings/written-notice-deadline", h.consoleToken("it_1"), { workingDays: 3 });
  });

  it("a deadline reaching unloaded 2027 is flagged to the person and in the dossier; loading 2027 recomputes it", async () => {
    h.clock.set("2026-12-30T10:00:00+08:00");
    const res = await start("teacher_s", "2027-02-26");
    expect(res.status).toBe(201);
    const id = res.body.case.id;
    expect(res.body.case.noticeDeadline).toMatchObject({ deadline: "2027-01-04", provisional: true, uncoveredYears: [2027] });
    expect(res.body.case.noticeDeadline.caveat).toBe("2027年的法定节假日安排尚未录入，该期限暂按“周一至周五为工作日”估算；安排录入后系统将重新计算并通知您。");
    await waitFor(() => texts("teacher_s").find((t) => t.includes("2027年1月4日") && t.includes("暂按“周一至周五为工作日”估算")), "provisional deadline message");
    expect((await dossier(id)).find((e) => e.kind === "notice_deadline_set")?.payload).toMatchObject({ calendar: "provisional_weekends_only", uncoveredYears: [2027] });

    const year2027 = {
      year: 2027,
      holidays: ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12", "2027-02-13", "2027-02-14"],
      makeUpWorkdays: ["2027-02-20"],
      source: "测试用安排（非官方）",
    };
    expect((await call(h.base, "PUT", "/api/admin/calendar/years/2027", h.consoleToken("hr_bj"), year2027)).status).toBe(403);
    const bad = await call(h.base, "PUT", "/api/admin/calendar/years/2027", h.consoleToken("it_1"), { ...year2027, makeUpWorkdays: ["2027-02-19"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("2027-02-19 是工作日，无需登记为调休上班日");

    const loaded = await call(h.base, "PUT", "/api/admin/calendar/years/2027", h.consoleToken("it_1"), year2027);
    expect(loaded.status).toBe(201);
    expect(loaded.body).toMatchObject({ year: 2027, result: "created", holidays: 12, makeUpWorkdays: 1, recomputedDeadlines: 1 });
    const view = await call(h.base, "GET", `/api/mp/resignations/${id}`, h.mpToken("teacher_s"));
    // 12-31 = 1, 2027-01-01…03 off, 01-04 = 2, 01-05 = 3.
    expect(view.body.case.noticeDeadline).toMatchObject({ deadline: "2027-01-05", provisional: false, uncoveredYears: [], caveat: null });
    expect((await dossier(id)).find((e) => e.kind === "notice_deadline_recomputed")?.payload).toEqual({
      loadedYear: 2027, previousDeadline: "2027-01-04", deadline: "2027-01-05", calendar: "official", uncoveredYears: [],
    });
    await waitFor(() => texts("teacher_s").find((t) => t.includes("期限由2027年1月4日调整为2027年1月5日")), "recomputed deadline message");

    const listed = await call(h.base, "GET", "/api/admin/calendar", h.consoleToken("hr_bj"));
    expect(listed.body.years.at(-1)).toMatchObject({ year: 2027, source: "loaded", document: "测试用安排（非官方）", loadedBy: "it_1" });
    expect(listed.body.warning).toBeNull();
    // The same year again (a replayed upload) is left alone; a corrected one replaces it.
    const again = await call(h.base, "PUT", "/api/admin/calendar/years/2027", h.consoleToken("it_1"), year2027);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ result: "unchanged", recomputedDeadlines: 0 });
    const corrected = await call(h.base, "PUT", "/api/admin/calendar/years/2027", h.consoleToken("it_1"), { ...year2027, source: "测试用安排（非官方，更正）" });
    expect(corrected.status).toBe(200);
    expect(corrected.body.result).toBe("replaced");
  });

  it("from 1 November HR and HQ are warned once a day while next year is missing", async () => {
    h.clock.set("2027-10-31T09:00:00+08:00");
    expect(await h.service.capabilities.resignation.warnIfNextYearMissing()).toBeNull();
    h.clock.set("2027-11-01T09:00:00+08:00");
    expect(await h.service.capabilities.resignation.warnIfNextYearMissing()).toEqual({ year: 2028, warned: ["hr_bj", "hr_sh", "it_1"] });
    expect(await h.service.capabilities.resignation.warnIfNextYearMissing()).toBeNull();
    await waitFor(() => texts("hr_sh").find((t) => t.startsWith("【节假日安排待录入】系统尚未录入2028年")), "coverage warning");
    h.clock.set("2027-11-02T09:00:00+08:00");
    expect(await h.service.capabilities.resignation.warnIfNextYearMissing()).toMatchObject({ year: 2028 });
    const listed = await call(h.base, "GET", "/api/admin/calendar", h.consoleToken("hr_bj"));
    expect(listed.body.warning).toContain("尚未录入2028年");
  });
});
