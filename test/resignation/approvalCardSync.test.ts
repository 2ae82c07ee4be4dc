import { decideApprovalStep } from "../../src/resignation/commands/decideApprovalStep";
import { call, signedCase, startHarness, waitFor, type Harness } from "./harness";

/**
 * Issue 15: a step decided on the console's case page changes the approvers' WeCom cards too. The code
 * message/send answered the card with (72 h, once: path/90236, path/94888) greys their buttons out with
 * 「已同意（控制台）」/「已驳回（控制台）」; too old, used or not there yet, nothing is tried and the step's
 * record says so; a card clicked after the console decided is answered with the click's own code, saying
 * who decided and when, and recorded as such — never as a silent duplicate.
 */
describe("approval cards follow a decision taken in the console", () => {
  let h: Harness;
  let id: string;
  const UPDATE = "/cgi-bin/message/update_template_card";

  beforeAll(async () => {
    h = await startHarness(); // its clock starts at 2026-03-02 09:00 Beijing time
    id = await signedCase(h);
  }, 30_000);
  afterAll(() => h?.close());

  const q = (sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params);
  const stepOf = async (step: string): Promise<{ id: string; decision: string; card_task_id: string; decided_via: string | null }> =>
    (await q(`SELECT id, decision, card_task_id, decided_via FROM approval_step WHERE case_id = $1 AND step = $2`, [id, step]))[0];
  /** The code WeCom answered the sending of a step's card with, once the outbox has sent it. */
  const sendCode = (step: string) =>
    waitFor(async () => (await q(`SELECT c.response_code FROM approval_card_code c JOIN approval_step s ON s.id = c.step_id WHERE s.case_id = $1 AND s.step = $2 AND c.source = 'send'`, [id, step]))[0]?.response_code as string | undefined, `${step} card sent`);
  const decide = (userid: string, body: object) => call(h.base, "POST", `/api/hr/cases/${id}/approval`, h.consoleToken(userid), body);
  const dossier = async (kind: string) => (await q(`SELECT actor, payload FROM dossier_entry WHERE case_id = $1 AND kind = $2 ORDER BY seq`, [id, kind])) as { actor: unknown; payload: Record<string, unknown> }[];
  const cardNotes = async () => (await call(h.base, "GET", `/api/hr/cases/${id}`, h.consoleToken("hr_bj"))).body.case.approvals.map((a: { step: string; cardNote?: string }) => [a.step, a.cardNote ?? null]);
  const updatesCalls = () => h.sandbox.calls.callsTo(UPDATE).length;

  it("a console approval greys the approver's card out once, with the code of the card's sending", async () => {
    const head = await stepOf("department_head");
    const code = await sendCode("department_head");
    const ok = await decide("head_bj", { step: "department_head", decision: "approve" });
    expect([ok.status, ok.body.message]).toEqual([200, "已同意“部门负责人”环节"]);
    await waitFor(() => h.sandbox.state.templateCardUpdates.length === 1 || undefined, "card updated");
    expect(h.sandbox.state.templateCardUpdates.map((u) => ({ taskId: u.taskId, responseCode: u.responseCode, body: u.body }))).toEqual([
      { taskId: head.card_task_id, responseCode: code, body: { userids: ["head_bj"], response_code: code, button: { replace_name: "已同意（控制台）" }, agentid: expect.any(Number) } },
    ]);
    expect(await q(`SELECT source, used_for, used_at IS NOT NULL AS used FROM approval_card_code WHERE response_code = $1`, [code])).toEqual([{ source: "send", used_for: "console_approved", used: true }]);
    expect((await dossier("approval_card_sync")).map((e) => e.payload)).toEqual([{ step: "department_head", round: 1, outcome: "queued", recipients: ["head_bj"] }]);
    await waitFor(async () => (await dossier("message_sent")).some((e) => e.payload.kind === "card_update") || undefined, "the update's outcome recorded");
    expect((await cardNotes())[0]).toEqual(["department_head", "已同步到审批人的企业微信卡片"]);

    // A second console action is refused; the greyed card cannot be pressed; the code is never used again.
    const again = await decide("head_bj", { step: "department_head", decision: "approve" });
    expect([again.status, again.body.error.message]).toEqual([409, "“部门负责人”环节已通过，无需再次审批"]);
    expect(() => h.sandbox.actors.clickTemplateCardButton("head_bj", head.card_task_id, "approve")).toThrow("greyed out");
    await waitFor(async () => ((await stepOf("it")).decision === "pending" ? true : undefined), "IT step open");
    expect(updatesCalls()).toBe(1);
    expect(await q(`SELECT count(*)::int AS n FROM wecom_outbox WHERE channel = 'card_update'`)).toEqual([{ n: 1 }]);
  });

  it("73 h after the card went out nothing is tried, and the step's record says why", async () => {
    await sendCode("it");
    h.clock.advanceHours(73);
    // The HR card that IT's approval opens is slow to be answered: HR decides in the console before its code exists.
    h.sandbox.faults.inject({ path: "/cgi-bin/message/send", latencyMs: 4000, times: 1 });
    const ok = await decide("it_1", { step: "it", decision: "approve" });
    expect([ok.status, ok.body.message]).toEqual([200, "已同意“IT”环节"]);
    expect((await dossier("approval_card_sync")).map((e) => e.payload).at(-1)).toEqual({ step: "it", round: 1, outcome: "expired" });
    expect(await q(`SELECT count(*)::int AS n FROM wecom_outbox WHERE channel = 'card_update'`)).toEqual([{ n: 1 }]);
    expect(updatesCalls()).toBe(1);
    expect((await cardNotes())[1]).toEqual(["it", "审批卡片已发出超过72小时，企业微信不再允许更新（点击后会提示已在控制台处理）"]);
  });

  it("a card whose sending was not answered yet is greyed out as soon as its code arrives", async () => {
    const back = await decide("hr_bj", { step: "hr", decision: "reject", reasonOptionId: "plan" });
    expect([back.status, back.body.message]).toEqual([200, "已退回“人事”环节，已通知员工"]);
    expect((await dossier("approval_card_sync")).map((e) => e.payload).at(-1)).toEqual({ step: "hr", round: 1, outcome: "no_code" });
    const hr = await stepOf("hr");
    const code = await sendCode("hr");
    await waitFor(() => h.sandbox.state.templateCardUpdates.length === 2 || undefined, "HR card updated");
    expect(h.sandbox.state.templateCardUpdates[1]).toMatchObject({ taskId: hr.card_task_id, responseCode: code, body: { userids: ["hr_bj"], button: { replace_name: "已驳回（控制台）" } } });
    expect((await dossier("approval_card_sync")).map((e) => e.payload).at(-1)).toEqual({ step: "hr", round: 1, outcome: "queued", recipients: ["hr_bj"] });
    await waitFor(async () => ((await cardNotes())[2][1] === "已同步到审批人的企业微信卡片" ? true : undefined), "HR card note");
  }, 20_000);

  it("a late click is answered with its own code, showing who decided and when, and recorded as decided in the console", async () => {
    const it = await stepOf("it");
    const sendCodeOfIt = await sendCode("it");
    const delivery = await h.sandbox.actors.clickTemplateCardButton("it_1", it.card_task_id, "reject");
    const clickCode = /<ResponseCode><!\[CDATA\[(.*?)]]>/.exec(delivery.xml)![1]!;
    await waitFor(() => h.sandbox.state.templateCardUpdates.length === 3 || undefined, "late click answered");
    const answer = h.sandbox.state.templateCardUpdates[2]!;
    expect([answer.taskId, answer.responseCode, answer.body.userids, answer.body.button]).toEqual([it.card_task_id, clickCode, ["it_1"], undefined]);
    expect(answer.body.template_card).toMatchObject({
      card_type: "button_interaction",
      task_id: it.card_task_id,
      main_title: { title: "张老师的离职交接审批", desc: "环节：IT" },
      sub_title_text: "IT小李已于3月5日 10:00在控制台同意该环节，无需再次操作。",
      replace_text: "已同意（控制台）",
    });
    expect(clickCode).not.toBe(sendCodeOfIt);
    expect(await dossier("card_click_after_console")).toEqual([
      {
        actor: { type: "wecom_user", id: "it_1" },
        payload: { taskId: it.card_task_id, step: "it", round: 1, decision: "approved", decidedBy: "it_1", decidedAt: "2026-03-05T02:00:00.000Z" },
      },
    ]);
    // Nothing else changed: the decision stands, no duplicate, no second decision.
    expect(await stepOf("it")).toMatchObject({ decision: "approved", decided_via: "console" });
    expect(await dossier("card_click_duplicate")).toEqual([]);
    expect((await dossier("approval_decided")).filter((e) => e.payload.step === "it")).toHaveLength(1);
    expect(await q(`SELECT used_at IS NULL AS unused FROM approval_card_code WHERE response_code = $1`, [sendCodeOfIt])).toEqual([{ unused: true }]);

    // The same click again (a replay that got past the inbox) changes nothing and uses no code twice.
    const before = await q(`SELECT count(*)::int AS n FROM wecom_outbox`);
    const replay = await h.db.dataSource.transaction((m) => decideApprovalStep(m, h.deps, { taskId: it.card_task_id, userid: "it_1", buttonKey: "reject", responseCode: clickCode }));
    expect(replay).toEqual({ outcome: "replayed", caseId: id });
    expect(await q(`SELECT count(*)::int AS n FROM wecom_outbox`)).toEqual(before);
    expect(await dossier("card_click_after_console")).toHaveLength(1);
    // Its buttons are greyed out for the clicker now.
    expect(() => h.sandbox.actors.clickTemplateCardButton("it_1", it.card_task_id, "approve")).toThrow("greyed out");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.state.templateCardUpdates.map((u) => u.responseCode)).toEqual([expect.any(String), expect.any(String), clickCode]);
    expect(new Set(h.sandbox.state.templateCardUpdates.map((u) => u.responseCode)).size).toBe(3);
    expect(updatesCalls()).toBe(3);
  });
});
