import { call, startHarness, SIGNATURE_PNG, waitFor, type Harness } from "./harness";

/** Exit interview: scheduled in the case, reasons from the fixed list, retained → withdrawn, exit confirmed → rehire flag in the alumni pool. */
describe("exit interview", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });
  const texts = (userid: string) =>
    h.sandbox.state.messages.filter((m) => m.deliveredTo.includes(userid) && m.msgtype === "text").map((m) => (m.body.text as { content: string }).content);
  const startSigned = async (userid: string, name: string, lastDay: string) => {
    const res = await call(h.base, "POST", "/api/mp/resignations", h.mpToken(userid), { reasonCategory: "compensation", reasonText: "薪资", requestedLastDay: lastDay });
    await call(h.base, "POST", `/api/mp/resignations/${res.body.case.id}/notice/sign`, h.mpToken(userid), { typedName: name, signatureImage: SIGNATURE_PNG, confirm: true, device: {} });
    return res.body.case.id as string;
  };

  it("a retained employee's case ends as withdrawn, with the interview in the dossier", async () => {
    h.clock.set("2026-03-02T09:00:00+08:00");
    const id = await startSigned("teacher_a", "张老师", "2026-04-01");
    const hr = h.consoleToken("hr_bj");
    expect((await call(h.base, "POST", `/api/hr/cases/${id}/exit-interview/outcome`, hr, { reasons: ["compensation"], outcome: "retained", rehireRecommendation: "recommended" })).status).toBe(409);
    expect((await call(h.base, "PUT", `/api/hr/cases/${id}/exit-interview`, h.consoleToken("hr_sh"), { scheduledAt: "2026-03-04T15:00:00+08:00", interviewerUserid: "hr_bj" })).status).toBe(403);
    const scheduled = await call(h.base, "PUT", `/api/hr/cases/${id}/exit-interview`, hr, { scheduledAt: "2026-03-04T15:00:00+08:00", interviewerUserid: "head_bj" });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.message).toBe("离职面谈已安排在 2026-03-04 15:00:00，已通知员工和面谈人。");
    expect(scheduled.body.exitInterview).toMatchObject({ interviewerName: "北京校长", outcome: null });
    await waitFor(() => texts("teacher_a").find((t) => t.startsWith("【离职面谈】人事为您安排了离职面谈：2026-03-04 15:00:00，面谈人：北京校长")), "interview notice");

    expect((await call(h.base, "POST", `/api/hr/cases/${id}/exit-interview/outcome`, hr, { reasons: ["salary"], outcome: "retained", rehireRecommendation: "recommended" })).status).toBe(400);
    const retained = await call(h.base, "POST", `/api/hr/cases/${id}/exit-interview/outcome`, hr, { reasons: ["compensation", "career_growth"], outcome: "retained", rehireRecommendation: "recommended", notes: "调薪后同意留任" });
    expect(retained.status).toBe(200);
    expect(retained.body.case.status).toBe("withdrawn");
    expect(retained.body.exitInterview.reasons.map((r: { label: string }) => r.label)).toEqual(["薪酬福利", "职业发展空间"]);
    expect(retained.body.exitInterview.outcome).toEqual({ key: "retained", label: "员工留任（撤回离职）" });
    const kinds = (await h.db.dataSource.query(`SELECT kind FROM dossier_entry WHERE case_id = $1 AND kind <> 'message_sent' ORDER BY seq`, [id])).map((r: { kind: string }) => r.kind);
    expect(kinds.slice(-3)).toEqual(["exit_interview_scheduled", "exit_interview_recorded", "withdrawn"]);
    await waitFor(() => texts("teacher_a").find((t) => t.includes("您选择留任，离职申请已撤回")), "retained notice");
    expect((await call(h.base, "POST", `/api/hr/cases/${id}/exit-interview/outcome`, hr, { reasons: ["other"], outcome: "exit_confirmed", rehireRecommendation: "recommended" })).status).toBe(409);
  });

  it("an exit confirmed carries the rehire recommendation into the alumni pool on the last day", async () => {
    h.clock.set("2026-03-02T09:00:00+08:00");
    const id = await startSigned("teacher_c", "刘老师", "2026-04-01");
    const hr = h.consoleToken("hr_bj");
    await call(h.base, "PUT", `/api/hr/cases/${id}/exit-interview`, hr, { scheduledAt: "2026-03-05T10:00:00+08:00", interviewerUserid: "hr_bj" });
    const confirmed = await call(h.base, "POST", `/api/hr/cases/${id}/exit-interview/outcome`, hr, { reasons: ["family"], outcome: "exit_confirmed", rehireRecommendation: "not_recommended" });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.case.status).toBe("in_approval");
    h.clock.set("2026-04-01T08:00:00+08:00");
    await h.service.capabilities.resignation.runLastDayTransitions();
    const [alumnus] = await h.db.dataSource.query(`SELECT rehire_eligible FROM alumni WHERE userid = 'teacher_c'`);
    expect(alumnus.rehire_eligible).toBe(false);
    const options = await call(h.base, "GET", "/api/hr/exit-interview/options", h.consoleToken("hr_bj"));
    expect([options.status, options.body.reasons?.length]).toEqual([200, 11]);
  });
});
