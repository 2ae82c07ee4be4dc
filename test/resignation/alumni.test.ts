import { alumniMatches, alumniTags, performanceBand } from "../../src/resignation/rules/alumniTags";
import { call, startHarness, waitFor, type Harness } from "./harness";

describe("alumni tags (pure)", () => {
  it("come from reason, exit-interview reasons, role, performance band and the rehire flag, then HR's own", () => {
    expect(alumniTags({ reasonCategory: "family", exitReasons: ["family", "commute", "other"], position: "英语老师", performanceGrade: "A", rehireEligible: true, hrTags: ["双语", "可返聘"] })).toEqual([
      "离职原因:家庭原因", "离职原因:工作地点与通勤", "岗位:英语老师", "绩效:优秀", "可返聘", "双语",
    ]);
    expect(alumniTags({ reasonCategory: "other", exitReasons: [], position: null, performanceGrade: null, rehireEligible: null, hrTags: [] })).toEqual(["返聘待评估"]);
    expect(alumniTags({ reasonCategory: null, exitReasons: [], position: " ", performanceGrade: "c", rehireEligible: false, hrTags: [] })).toEqual(["绩效:合格", "不建议返聘"]);
  });
  it.each([["B+", "良好"], ["优秀", "优秀"], ["D", "待改进"], ["3.5分", "3.5分"], ["", null]])("grade %p is band %p", (grade, band) => expect(performanceBand(grade)).toBe(band));
  it("search needs every word in the name or a tag, and an exact tag", () => {
    const a = { name: "李静", tags: ["岗位:英语老师", "可返聘"] };
    expect(alumniMatches(a, "英语 李", undefined)).toBe(true);
    expect(alumniMatches(a, "数学", undefined)).toBe(false);
    expect(alumniMatches(a, undefined, "可返聘")).toBe(true);
    expect(alumniMatches(a, undefined, "返聘")).toBe(false);
  });
});

/** Seed 004's alumni pool through the HR API: tags, search, opt-in, and outreach through HR's WeCom. */
describe("alumni pool and opt-in outreach", () => {
  let h: Harness;
  const q = (sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params);
  const as = (userid: string, method: string, path: string, body?: unknown) => call(h.base, method, path, h.consoleToken(userid), body);
  const list = async (userid: string, query = "") => (await as(userid, "GET", `/api/hr/alumni${query}`)).body.alumni as { userid: string; labels: string[]; outreach: { status: string } }[];
  const MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";

  beforeAll(async () => {
    h = await startHarness();
    await q(`INSERT INTO alumni (userid, name, position, department_id, reason_category, left_on, rehire_eligible, performance_grade, tags) VALUES
      ('old_1', '李静', '英语老师', 2, 'family', '2026-01-31', true, 'A', '{双语}'),
      ('old_2', '周洋', '数学老师', 2, 'compensation', '2025-12-31', false, 'C', '{}'),
      ('old_3', '马强', '课程顾问', 2, 'personal_development', '2025-11-30', NULL, NULL, '{}'),
      ('old_sh', '上海校友', '语文老师', 3, 'relocation', '2026-01-15', true, 'B', '{}')`);
    // 李静 and 周洋 kept 北京人事 as a WeCom contact after leaving (their personal WeChat is 北京人事's customer).
    h.sandbox.state.seed({ externalContacts: [{ externalUserId: "wm_alum_1", name: "李静" }, { externalUserId: "wm_alum_2", name: "周洋" }], follows: [{ userid: "hr_bj", externalUserId: "wm_alum_1" }, { userid: "hr_bj", externalUserId: "wm_alum_2" }] });
    await q(`INSERT INTO external_contact (external_userid, name, updated_at) VALUES ('wm_alum_1', '李静', now()), ('wm_alum_2', '周洋', now())`);
    await q(`INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) VALUES ('hr_bj', 'wm_alum_1', 'active', now(), now()), ('hr_bj', 'wm_alum_2', 'active', now(), now())`);
  }, 60_000);
  afterAll(() => h?.close());

  it("lists the pool with tags for the reader's scope; grades only for HR; searches by word and by tag", async () => {
    const hr = await list("hr_bj");
    expect(hr.map((a) => [a.userid, a.labels])).toEqual([
      ["old_1", ["离职原因:家庭原因", "岗位:英语老师", "绩效:优秀", "可返聘", "双语"]],
      ["old_2", ["离职原因:薪酬福利", "岗位:数学老师", "绩效:合格", "不建议返聘"]],
      ["old_3", ["离职原因:个人发展", "岗位:课程顾问", "返聘待评估"]],
    ]);
    expect((await list("head_bj"))[0]!.labels).toEqual(["离职原因:家庭原因", "岗位:英语老师", "可返聘", "双语"]);
    expect((await list("hr_sh")).map((a) => a.userid)).toEqual(["old_sh"]);
    expect((await list("hr_bj", `?q=${encodeURIComponent("老师 可返聘")}`)).map((a) => a.userid)).toEqual(["old_1"]);
    expect((await list("hr_bj", `?tag=${encodeURIComponent("不建议返聘")}`)).map((a) => a.userid)).toEqual(["old_2"]);
    expect((await list("hr_bj", `?q=${encodeURIComponent("物理")}`))).toEqual([]);
    expect(hr[0]!.outreach.status).toBe("未同意接收校友消息");
  });

  it("records an opt-in only for HR's own WeCom customer, in scope, with the alum's words", async () => {
    const optin = (userid: string, alum: string, body: Record<string, unknown>) => as(userid, "PUT", `/api/hr/alumni/${alum}/outreach`, body);
    const words = { festival: true, jobs: true, evidence: "企业微信回复：愿意接收学校的节日问候和招聘信息" };
    expect((await optin("hr_sh", "old_1", { externalUserid: "wm_alum_1", ...words })).status).toBe(403);
    expect((await optin("head_bj", "old_1", { externalUserid: "wm_alum_1", ...words })).status).toBe(403);
    expect((await optin("hr_bj", "nobody", { externalUserid: "wm_alum_1", ...words })).status).toBe(404);
    const none = await optin("hr_bj", "old_1", { externalUserid: "wm_alum_1", festival: false, jobs: false, evidence: "x" });
    expect(none.status).toBe(400);
    const stranger = await optin("hr_bj", "old_3", { externalUserid: "wm_someone_else", ...words });
    expect(stranger.status).toBe(409);
    expect(stranger.body.error.message).toBe("该客户不在您的企业微信客户列表中，请先让校友添加您的企业微信，再登记同意");

    const ok = await optin("hr_bj", "old_1", { externalUserid: "wm_alum_1", ...words });
    expect(ok.status).toBe(200);
    expect(ok.body.message).toBe("已登记：李静同意通过您的企业微信接收节日问候和招聘信息，可随时撤回。");
    expect((await optin("hr_bj", "old_2", { externalUserid: "wm_alum_2", festival: true, jobs: false, evidence: "电话中同意，只要节日问候" })).status).toBe(200);
    const [row] = await q(`SELECT contact_userid, external_userid, festival, jobs, evidence, recorded_by FROM alumni_outreach_optin WHERE userid = 'old_1'`);
    expect(row).toEqual({ contact_userid: "hr_bj", external_userid: "wm_alum_1", festival: true, jobs: true, evidence: words.evidence, recorded_by: "hr_bj" });
    expect((await list("hr_bj"))[0]!.outreach.status).toBe("已同意接收：节日问候、招聘信息（通过北京人事的企业微信）");
  });

  it("sends a greeting through HR's WeCom to those who agreed and remain HR's customers, each send recorded; says who was left out and why", async () => {
    // 周洋 has since deleted 北京人事 from his WeChat.
    await q(`UPDATE follow_relation SET status = 'deleted_by_parent' WHERE staff_userid = 'hr_bj' AND external_userid = 'wm_alum_2'`);
    const before = h.sandbox.calls.callsTo(MSG_TEMPLATE).length;
    const sent = await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content: "中秋快乐！学校的老同事们想念您。", userids: ["old_1", "old_2", "old_3"] });
    expect(sent.status).toBe(200);
    expect(sent.body.message).toBe("节日问候：已向 1 位校友发起群发，需北京人事在企业微信中确认后发出；未发送 2 位（周洋：已不是北京人事的企业微信客户；马强：未同意接收校友消息）。");
    expect(sent.body.sends).toEqual([{ sender: "北京人事", recipients: 1, outcome: "已提交企业微信，创建群发任务后请北京人事在企业微信中确认发送" }]);
    // The outbox sends it once the request's transaction commits, and records WeCom's answer on the send.
    await waitFor(async () => (await q(`SELECT 1 FROM alumni_outreach_send WHERE outcome = 'sent'`)).length === 1, "the 群发 created");
    const calls = h.sandbox.calls.callsTo(MSG_TEMPLATE).slice(before);
    expect(calls.map((c) => c.body)).toEqual([{ chat_type: "single", sender: "hr_bj", external_userid: ["wm_alum_1"], text: { content: "中秋快乐！学校的老同事们想念您。" } }]);
    const recorded = await q(`SELECT topic, sender, recipients, outcome, errcode, fail_list, created_by, wecom_msgid FROM alumni_outreach_send`);
    expect(recorded).toEqual([{ topic: "festival", sender: "hr_bj", recipients: ["old_1"], outcome: "sent", errcode: 0, fail_list: [], created_by: "hr_bj", wecom_msgid: [...h.sandbox.state.msgTemplates.keys()].at(-1) }]);

    // Job openings: 李静 agreed to them; 周洋 agreed to greetings only (and is no longer a contact anyway).
    const jobs = await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "jobs", content: "朝阳校区招聘英语老师，欢迎回来看看。", userids: ["old_1", "old_2"] });
    expect(jobs.body.message).toBe("招聘信息：已向 1 位校友发起群发，需北京人事在企业微信中确认后发出；未发送 1 位（周洋：未同意接收招聘信息）。");
    await waitFor(async () => (await q(`SELECT 1 FROM alumni_outreach_send WHERE outcome = 'sent'`)).length === 2, "the jobs 群发 created");
  });

  it("an answer lost after WeCom created the 群发 is looked up in WeCom's records, never sent twice; HR repeating the same words is told", async () => {
    const content = "元旦快乐！欢迎常回学校看看。";
    const templatesBefore = h.sandbox.state.msgTemplates.size;
    const callsBefore = h.sandbox.calls.callsTo(MSG_TEMPLATE).length;
    // WeCom creates the task, then the answer is lost (a gateway 502 after handling it): the outcome is unknown to us.
    h.sandbox.faults.inject({ path: MSG_TEMPLATE, httpStatus: 502, afterHandling: true, times: 1 });
    const sent = await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content, userids: ["old_1"] });
    expect(sent.body.message).toBe("节日问候：已向 1 位校友发起群发，需北京人事在企业微信中确认后发出。");
    const [{ id }] = await q(`SELECT id FROM alumni_outreach_send WHERE content = $1`, [content]);
    await waitFor(async () => (await q(`SELECT 1 FROM wecom_outbox_attempt a JOIN wecom_outbox o ON o.id = ANY(a.outbox_ids) WHERE o.ref->>'sendId' = $1`, [String(id)])).length === 1, "the first attempt");
    expect(h.sandbox.state.msgTemplates.size).toBe(templatesBefore + 1);
    expect(await q(`SELECT outcome, wecom_msgid FROM alumni_outreach_send WHERE id = $1`, [id])).toEqual([{ outcome: "queued", wecom_msgid: null }]);

    // HR, not knowing, sends the same words again: 李静 is left out, nothing reaches WeCom.
    const again = await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content, userids: ["old_1"] });
    expect(again.body.message).toBe("节日问候：已向 0 位校友发起群发；未发送 1 位（李静：已于2026-03-02 09:00发送过相同内容，不重复群发）。");

    // The outbox tries again after its look-up wait: it asks WeCom's group-send records first and finds the task.
    h.clock.advance(6 * 60_000);
    await h.service.capabilities.wecom.outbox.drain();
    const created = [...h.sandbox.state.msgTemplates.values()].at(-1)!;
    expect(await q(`SELECT outcome, wecom_msgid, errcode FROM alumni_outreach_send WHERE id = $1`, [id])).toEqual([{ outcome: "sent", wecom_msgid: created.msgid, errcode: 0 }]);
    expect(h.sandbox.state.msgTemplates.size).toBe(templatesBefore + 1);
    expect(h.sandbox.calls.callsTo(MSG_TEMPLATE).length).toBe(callsBefore + 1);
    expect(h.sandbox.calls.callsTo("/cgi-bin/externalcontact/get_groupmsg_task").map((c) => c.body)).toEqual([{ msgid: created.msgid, limit: 1000 }]);
  });

  it("a send whose call never reached WeCom is made once the look-up finds nothing", async () => {
    const content = "端午安康！";
    const templatesBefore = h.sandbox.state.msgTemplates.size;
    // The gateway fails BEFORE WeCom acts: unknown to us, but WeCom has no task.
    h.sandbox.faults.inject({ path: MSG_TEMPLATE, httpStatus: 502, times: 1 });
    await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content, userids: ["old_1"] });
    const [{ id }] = await q(`SELECT id FROM alumni_outreach_send WHERE content = $1`, [content]);
    await waitFor(async () => (await q(`SELECT 1 FROM wecom_outbox_attempt a JOIN wecom_outbox o ON o.id = ANY(a.outbox_ids) WHERE o.ref->>'sendId' = $1`, [String(id)])).length === 1, "the first attempt");
    expect(h.sandbox.state.msgTemplates.size).toBe(templatesBefore);
    h.clock.advance(6 * 60_000);
    await h.service.capabilities.wecom.outbox.drain();
    expect(h.sandbox.state.msgTemplates.size).toBe(templatesBefore + 1);
    expect(await q(`SELECT outcome FROM alumni_outreach_send WHERE id = $1`, [id])).toEqual([{ outcome: "sent" }]);
  });

  it("refuses outreach outside the sender's scope or to unknown people, and stops after the alum withdraws", async () => {
    const before = h.sandbox.calls.callsTo(MSG_TEMPLATE).length;
    expect((await as("hr_sh", "POST", "/api/hr/alumni/outreach", { topic: "festival", content: "新年好", userids: ["old_1"] })).status).toBe(403);
    expect((await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content: "新年好", userids: ["old_1", "nobody"] })).status).toBe(400);
    expect((await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content: " ", userids: ["old_1"] })).status).toBe(400);
    const withdrawn = await as("hr_bj", "DELETE", "/api/hr/alumni/old_1/outreach");
    expect(withdrawn.body.message).toBe("已撤回：今后不再向李静发送节日问候和招聘信息。");
    expect((await as("hr_bj", "DELETE", "/api/hr/alumni/old_1/outreach")).status).toBe(404);
    const none = await as("hr_bj", "POST", "/api/hr/alumni/outreach", { topic: "festival", content: "新年好", userids: ["old_1"] });
    expect(none.body.message).toBe("节日问候：已向 0 位校友发起群发；未发送 1 位（李静：未同意接收校友消息）。");
    expect(h.sandbox.calls.callsTo(MSG_TEMPLATE).length).toBe(before);
  });
});
