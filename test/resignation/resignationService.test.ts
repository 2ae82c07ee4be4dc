import { runLastDayTransitions } from "../../src/resignation/lastDay/runLastDayTransitions";
import { templateCardEvent } from "../../src/sandbox/callbacks/events";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { call, SIGNATURE_PNG, startHarness, waitFor, type Harness } from "./harness";

describe("resignation service against the WeCom sandbox", () => {
  let h: Harness;
  let caseId: string;
  let mpA: string;

  beforeAll(async () => {
    h = await startHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  const messagesTo = (userid: string, msgtype?: string) =>
    h.sandbox.state.messages.filter((m) => m.deliveredTo.includes(userid) && (!msgtype || m.msgtype === msgtype));
  const stepOf = async (step: string) =>
    (await h.db.dataSource.query(`SELECT decision, card_task_id, round FROM approval_step WHERE case_id = $1 AND step = $2`, [caseId, step]))[0];
  const cardFor = (userid: string, taskId: string) => waitFor(() => messagesTo(userid, "template_card").find((m) => m.taskId === taskId), `card ${taskId} to ${userid}`);
  const dossierKinds = async () => (await h.db.dataSource.query(`SELECT kind FROM dossier_entry WHERE case_id = $1 ORDER BY seq`, [caseId])).map((r: { kind: string }) => r.kind);

  it("answers 我想离职 with a mini-program card carrying the lawful earliest day, and 进度 with the status", async () => {
    await h.sandbox.actors.memberTextsApp("teacher_a", "我想离职");
    const notice = await waitFor(() => messagesTo("teacher_a", "miniprogram_notice")[0], "bot reply");
    const body = notice.body.miniprogram_notice as { appid: string; page: string; content_item: { key: string; value: string }[] };
    expect(body.appid).toBe("wxsandboxminiprogram");
    expect(body.page).toBe("pages/resign/start/index");
    // Notice on 2026-03-02 (not in probation): + 30 days.
    expect(body.content_item[0]).toEqual({ key: "最早离职日", value: "2026年4月1日" });

    await h.sandbox.actors.memberTextsApp("teacher_a", "进度");
    const status = await waitFor(() => messagesTo("teacher_a", "text").at(-1), "status reply");
    expect((status.body.text as { content: string }).content).toContain("没有进行中的离职申请");

    // Someone else's departure is not a resignation.
    const before = h.sandbox.state.messages.length;
    await h.sandbox.actors.memberTextsApp("teacher_c", "他离职了吗");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.state.messages.length).toBe(before);
  });

  it("answers a burst of texts handled in shared transactions once each, a redelivery included", async () => {
    const ingress = h.service.capabilities.wecom.ingress!;
    // Batchable, so a burst shares transactions (its replies are outbox rows of the same transaction); a text with no
    // intent is wanted by no handler, so it is done without a transaction at all.
    expect(ingress.dispatcher.batchable("text")).toBe(true);
    const text = (content: string) => ({ type: "text", from: "head_bj", content }) as never;
    expect([ingress.dispatcher.wanted("text", text("离职")), ingress.dispatcher.wanted("text", text("明天下午三点开会"))]).toEqual([true, false]);
    const before = h.sandbox.state.messages.length;
    // Stored while the worker is stopped, the burst is claimed together and handled as one batch.
    await ingress.worker.stop();
    try {
      const texts: [string, string][] = [
        ["hr_sh", "离职"],
        ["teacher_p", "我想离职"],
        ["teacher_c", "进度"],
        ["head_bj", "明天下午三点开会"],
        ["teacher_s", "离职证明什么时候开？"],
      ];
      const msgId = (i: number) => `71000000000000000${10 + i}`;
      const deliveries = await Promise.all(texts.map(([userid, content], i) => h.sandbox.actors.memberTextsApp(userid, content, msgId(i))));
      // WeCom redelivers a callback it thinks we missed: same MsgId.
      deliveries.push(await h.sandbox.actors.memberTextsApp("hr_sh", "离职", msgId(0)));
      expect(deliveries.map((d) => d.outcome)).toEqual(Array(texts.length + 1).fill("delivered"));
    } finally {
      ingress.worker.start();
    }
    const replies = () => h.sandbox.state.messages.slice(before);
    await waitFor(() => (replies().length >= 4 ? true : undefined), "four replies");
    await new Promise((r) => setTimeout(r, 300));
    const to = (userid: string) => replies().filter((m) => m.deliveredTo.includes(userid));
    expect(to("hr_sh").map((m) => m.msgtype)).toEqual(["miniprogram_notice"]);
    expect(to("teacher_p").map((m) => (m.body.miniprogram_notice as { content_item: { value: string }[] }).content_item[1]!.value)).toEqual([
      "劳动合同法第37条：试用期提前3日通知",
    ]);
    expect(to("teacher_c").map((m) => (m.body.text as { content: string }).content)).toEqual(["您目前没有进行中的离职申请。"]);
    expect(to("teacher_s").map((m) => (m.body.text as { content: string }).content)).toEqual([expect.stringContaining("离职证明在最后工作日开具")]);
    expect(to("head_bj")).toEqual([]);
    expect(replies()).toHaveLength(4);
  });

  it("logs in with a wx.qy.login code and refuses a used code", async () => {
    const code = h.sandbox.actors.miniProgramLogin("teacher_a");
    const ok = await call(h.base, "POST", "/api/mp/login", undefined, { code });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual({ userid: "teacher_a", name: "张老师" });
    expect(new Date(ok.body.expiresAt).getTime() - h.clock.now().getTime()).toBe(2 * 3600 * 1000);
    mpA = ok.body.token;
    const again = await call(h.base, "POST", "/api/mp/login", undefined, { code });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("unauthenticated");
  });

  it("gives a probation employee the 3-day earliest date", async () => {
    const res = await call(h.base, "GET", "/api/mp/resignation/overview", h.mpToken("teacher_p"));
    expect(res.status).toBe(200);
    expect(res.body.case).toBeNull();
    expect(res.body.earliest).toMatchObject({ lastDay: "2026-03-05", basis: "probation", noticeDays: 3 });
    expect(res.body.earliest.explanation).toContain("第三十七条");
  });

  it("refuses a requested last day earlier than the lawful one, naming the field", async () => {
    const res = await call(h.base, "POST", "/api/mp/resignations", mpA, {
      reasonCategory: "family",
      reasonText: "家里有事",
      requestedLastDay: "2026-03-20",
      handoverNotes: "",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: "requestedLastDay" });
    expect(res.body.error.message).toContain("2026年4月1日");
  });

  it("starts a case, signs the notice with evidence, and sends the department head a card", async () => {
    const started = await call(h.base, "POST", "/api/mp/resignations", mpA, {
      reasonCategory: "personal_development",
      reasonText: "  想换个城市发展  ",
      requestedLastDay: "2026-04-01",
      handoverNotes: "班级资料在共享盘",
    });
    expect(started.status).toBe(201);
    caseId = started.body.case.id;
    expect(started.body.case).toMatchObject({ status: "notice_pending_signature", noticeSigned: false, lastDay: "2026-04-01", reasonText: "想换个城市发展", canWithdraw: true });
    expect(started.body.case.approvals.map((a: { step: string; approverName: string }) => [a.step, a.approverName])).toEqual([
      ["department_head", "北京校长"],
      ["it", "IT小李"],
      ["hr", "北京人事"],
    ]);
    expect((await call(h.base, "POST", "/api/mp/resignations", mpA, { reasonCategory: "other", reasonText: "x", requestedLastDay: "2026-05-01" })).status).toBe(409);

    const notice = await call(h.base, "GET", `/api/mp/resignations/${caseId}/notice`, mpA);
    expect(notice.body.notice.signed).toBeNull();
    expect(notice.body.notice.text).toContain("2026年4月1日");

    const wrongName = await call(h.base, "POST", `/api/mp/resignations/${caseId}/notice/sign`, mpA, { typedName: "李四", signatureImage: SIGNATURE_PNG, confirm: true, device: {} });
    expect(wrongName.status).toBe(400);
    const signed = await call(h.base, "POST", `/api/mp/resignations/${caseId}/notice/sign`, mpA, {
      typedName: "张老师",
      signatureImage: SIGNATURE_PNG,
      confirm: true,
      device: { model: "iPhone 15", system: "iOS 17.4", platform: "ios", version: "4.1.20" },
    });
    expect(signed.status).toBe(200);
    expect(signed.body.notice.signed).toMatchObject({ typedName: "张老师", documentSha256: notice.body.notice.sha256 });
    expect((await call(h.base, "POST", `/api/mp/resignations/${caseId}/notice/sign`, mpA, { typedName: "张老师", signatureImage: SIGNATURE_PNG, confirm: true, device: {} })).status).toBe(409);

    // The signed notice is immutable in the database itself.
    await expect(h.db.dataSource.query(`UPDATE resignation_notice SET document_sha256 = 'x' WHERE case_id = $1`, [caseId])).rejects.toThrow(/immutable/);

    const step = await stepOf("department_head");
    expect(step.decision).toBe("pending");
    await cardFor("head_bj", step.card_task_id);
    const checklist = await call(h.base, "GET", `/api/mp/resignations/${caseId}/checklist`, mpA);
    expect(checklist.body.checklist.myRole).toBe("handover");
    expect(checklist.body.checklist.items[0]).toMatchObject({ kind: "all_parents_transferred", owner: "leaver", auto: true, done: false });
  });

  it("refuses another employee's case and another branch's HR; an expired session is 401", async () => {
    expect((await call(h.base, "GET", `/api/mp/resignations/${caseId}`, h.mpToken("teacher_s"))).status).toBe(403);
    expect((await call(h.base, "GET", `/api/mp/resignations/${caseId}/notice`, h.mpToken("teacher_b"))).status).toBe(403);
    expect((await call(h.base, "POST", `/api/mp/resignations/${caseId}/withdraw`, h.mpToken("teacher_b"), {})).status).toBe(403);
    expect((await call(h.base, "GET", `/api/hr/cases/${caseId}`, h.consoleToken("hr_sh"))).status).toBe(403);
    expect((await call(h.base, "GET", `/api/hr/cases/${caseId}/dossier.json`, h.consoleToken("hr_sh"))).status).toBe(403);
    expect((await call(h.base, "GET", `/api/hr/cases`, h.consoleToken("hr_sh"))).body.cases).toEqual([]);
    expect((await call(h.base, "GET", `/api/hr/cases/${caseId}`, h.consoleToken("hr_bj"))).status).toBe(200);
    const expired = await call(h.base, "GET", `/api/mp/resignations/${caseId}`, h.mpToken("teacher_a", new Date(h.clock.now().getTime() - 3 * 3600_000)));
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("unauthenticated");
    // An mp token is not a console session.
    expect((await call(h.base, "GET", `/api/hr/cases/${caseId}`, h.mpToken("hr_bj"))).status).toBe(401);
  });

  it("refuses forged clicks: a user who is not the step's approver, and an unknown task_id", async () => {
    const step = await stepOf("department_head");
    const forged = (userid: string, taskId: string) =>
      h.sandbox.callbacks.send(templateCardEvent({ userid, agentId: SANDBOX_CORP.agentId, taskId, cardType: "button_interaction", buttonKey: "approve", responseCode: "forged-code" }));
    const unknownTask = "rs_00000000000000000000000000000000_r1";
    await forged("teacher_c", step.card_task_id);
    await forged("head_bj", unknownTask);
    await waitFor(async () => Number((await h.db.dataSource.query(`SELECT count(*) AS n FROM wecom_inbox_work`))[0].n) === 0, "inbox drained");
    // Both refused, each with its reason and who clicked (the service's warning log).
    const refusals = h.logs
      .filter((l) => l.msg === "approval card click refused")
      .map((l) => ({ userid: l.userid, taskId: l.taskId, reason: l.reason }));
    // Two inbox workers may handle the two clicks in either order, so compare them as a set.
    const byUser = (a: { userid: unknown }, b: { userid: unknown }) => String(a.userid).localeCompare(String(b.userid));
    expect([...refusals].sort(byUser)).toEqual(
      [
        { userid: "teacher_c", taskId: step.card_task_id, reason: "not_approver" },
        { userid: "head_bj", taskId: unknownTask, reason: "unknown_task" },
      ].sort(byUser),
    );
    // The click on a real case's card is also in that case's dossier, once, against the clicker.
    const recorded = await h.db.dataSource.query(`SELECT actor, payload FROM dossier_entry WHERE case_id = $1 AND kind = 'card_click_refused'`, [caseId]);
    expect(recorded).toEqual([
      { actor: { type: "wecom_user", id: "teacher_c" }, payload: { taskId: step.card_task_id, step: "department_head", reason: "not_approver", buttonKey: "approve" } },
    ]);
    expect((await stepOf("department_head")).decision).toBe("pending");
    expect(h.sandbox.state.templateCardUpdates).toHaveLength(0);
  });

  it("runs the chain by card clicks; a double click changes nothing but still updates that card", async () => {
    const head = await stepOf("department_head");
    // Two taps before the card's update reaches the phone (afterwards its buttons are greyed out: the sandbox refuses a press).
    await h.sandbox.actors.clickTemplateCardButton("head_bj", head.card_task_id, "approve");
    await h.sandbox.actors.clickTemplateCardButton("head_bj", head.card_task_id, "reject");
    await waitFor(async () => (await stepOf("department_head")).decision === "approved", "department head approval");
    await waitFor(async () => (await dossierKinds()).includes("card_click_duplicate"), "duplicate recorded");
    await waitFor(() => h.sandbox.state.templateCardUpdates.length === 2, "both clicks' card updates");
    expect(h.sandbox.state.templateCardUpdates.map((u) => [u.taskId, (u.body.button as { replace_name: string }).replace_name])).toEqual([
      [head.card_task_id, "已同意"],
      [head.card_task_id, "已同意"],
    ]);
    expect(() => h.sandbox.actors.clickTemplateCardButton("head_bj", head.card_task_id, "reject")).toThrow("greyed out");
    expect((await stepOf("department_head")).decision).toBe("approved");
    expect((await dossierKinds()).filter((k: string) => k === "approval_decided")).toHaveLength(1);

    const it = await waitFor(async () => ((await stepOf("it")).decision === "pending" ? stepOf("it") : undefined), "IT step open");
    await cardFor("it_1", it.card_task_id);
    await h.sandbox.actors.clickTemplateCardButton("it_1", it.card_task_id, "approve");
    const hr = await waitFor(async () => ((await stepOf("hr")).decision === "pending" ? stepOf("hr") : undefined), "HR step open");
    await cardFor("hr_bj", hr.card_task_id);
    await h.sandbox.actors.clickTemplateCardButton("hr_bj", hr.card_task_id, "approve");
    await waitFor(async () => (await stepOf("hr")).decision === "approved", "HR approval");

    const view = await call(h.base, "GET", `/api/mp/resignations/${caseId}`, mpA);
    expect(view.body.case.status).toBe("handover_in_progress");
    expect(view.body.case.approvals.every((a: { decision: string }) => a.decision === "approved")).toBe(true);
    expect(view.body.case.timeline.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(["created", "notice_signed", "approval"]));
  });

  it("on the last day releases final wages, issues and delivers the certificate whatever the handover state", async () => {
    h.clock.set("2026-03-31T09:00:00+08:00");
    expect((await runLastDayTransitions(h.db.dataSource, h.deps)).moved).toEqual([]);
    h.clock.set("2026-04-01T08:00:00+08:00");
    const run = await runLastDayTransitions(h.db.dataSource, h.deps);
    expect(run).toEqual({ moved: [caseId], failed: [], waiting: [] });
    // Idempotent: nothing left to move.
    expect((await runLastDayTransitions(h.db.dataSource, h.deps)).moved).toEqual([]);

    const cert = await call(h.base, "GET", `/api/mp/resignations/${caseId}/certificate`, h.mpToken("teacher_a"));
    expect(cert.status).toBe(200);
    expect(cert.body.certificate.fields).toMatchObject({ employeeName: "张老师", employer: "示例教育集团", terminationDate: "2026-04-01", issueDate: "2026-04-01" });
    expect(cert.body.certificate.text).not.toMatch(/原因|评价/);
    await waitFor(async () => (await h.db.dataSource.query(`SELECT delivered_at FROM termination_certificate WHERE case_id = $1`, [caseId]))[0].delivered_at, "certificate delivered");
    expect(messagesTo("teacher_a", "miniprogram_notice").some((m) => (m.body.miniprogram_notice as { title: string }).title === "离职证明已开具")).toBe(true);

    const hrView = await call(h.base, "GET", `/api/hr/cases/${caseId}`, h.consoleToken("hr_bj"));
    expect(hrView.body.case.status).toBe("certificate_issued");
    expect(hrView.body.settlement.finalWages).toMatchObject({ waitsForHandover: false, dueOn: "2026-04-01" });
    expect(hrView.body.settlement.finalWages.releasedAt).not.toBeNull();
    expect(hrView.body.settlement.economicCompensation).toMatchObject({ owed: false });
    expect(hrView.body.settlement.archiveTransfer).toMatchObject({ deadline: "2026-04-16", transferred: false });
    const alumni = await h.db.dataSource.query(`SELECT userid, to_char(left_on, 'YYYY-MM-DD') AS left_on FROM alumni`);
    expect(alumni).toEqual([{ userid: "teacher_a", left_on: "2026-04-01" }]);
  });

  it("exports the dossier; verify catches an edited entry and names its index", async () => {
    const hr = h.consoleToken("hr_bj");
    const exported = await call(h.base, "GET", `/api/hr/cases/${caseId}/dossier.json`, hr);
    expect(exported.status).toBe(200);
    expect(exported.body.verification.ok).toBe(true);
    const intact = await call(h.base, "POST", `/api/hr/cases/${caseId}/dossier/verify`, hr, { dossier: exported.body });
    expect(intact.body.verification.ok).toBe(true);

    const edited = structuredClone(exported.body);
    const index = edited.entries.findIndex((e: { kind: string }) => e.kind === "case_started");
    edited.entries[index].payload.requestedLastDay = "2026-03-10";
    const tampered = await call(h.base, "POST", `/api/hr/cases/${caseId}/dossier/verify`, hr, { dossier: edited });
    expect(tampered.body.verification).toMatchObject({ ok: false, index, problem: "edited" });

    const md = await fetch(`${h.base}/api/hr/cases/${caseId}/dossier.md`, { headers: { Authorization: `Bearer ${hr}` } });
    expect(await md.text()).toContain("员工签署书面离职通知");
    await expect(h.db.dataSource.query(`DELETE FROM dossier_entry WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
  });

  it("registers an informal notice from HR and asks the employee to confirm and sign", async () => {
    h.clock.set("2026-04-02T10:00:00+08:00");
    const res = await call(h.base, "POST", "/api/hr/resignations", h.consoleToken("hr_bj"), {
      employeeUserid: "teacher_b",
      channel: "wechat",
      receivedAt: "2026-04-01T21:30:00+08:00",
      evidenceText: "王老师微信：我下个月想走了",
      requestedLastDay: "2026-05-01",
      reasonCategory: "other",
    });
    expect(res.status).toBe(201);
    expect(res.body.case).toMatchObject({ status: "registered_by_hr", noticeDate: "2026-04-01", lastDay: "2026-05-01" });
    const ask = await waitFor(() => messagesTo("teacher_b", "miniprogram_notice")[0], "confirmation request");
    expect((ask.body.miniprogram_notice as { title: string }).title).toBe("请确认离职登记");
    expect((await call(h.base, "POST", "/api/hr/resignations", h.consoleToken("hr_sh"), {
      employeeUserid: "teacher_c", channel: "phone", receivedAt: "2026-04-01T21:30:00+08:00", evidenceText: "电话", requestedLastDay: "2026-05-10",
    })).status).toBe(403);

    const signed = await call(h.base, "POST", `/api/mp/resignations/${res.body.case.id}/notice/sign`, h.mpToken("teacher_b"), { typedName: "王老师", signatureImage: SIGNATURE_PNG, confirm: true, device: {} });
    expect(signed.status).toBe(200);
    const view = await call(h.base, "GET", `/api/mp/resignations/${res.body.case.id}`, h.mpToken("teacher_b"));
    expect(view.body.case.status).toBe("in_approval");
  });

  it("a rejection returns the step with its reason; HR resubmits a fresh card; a signed withdrawal waits for HR", async () => {
    const [b] = await h.db.dataSource.query(`SELECT id FROM resignation_case WHERE employee_userid = 'teacher_b'`);
    const step = (await h.db.dataSource.query(`SELECT card_task_id FROM approval_step WHERE case_id = $1 AND step = 'department_head'`, [b.id]))[0];
    await cardFor("head_bj", step.card_task_id);
    await h.sandbox.actors.clickTemplateCardButton("head_bj", step.card_task_id, "reject");
    const mpB = h.mpToken("teacher_b");
    const returned = await waitFor(async () => {
      const v = await call(h.base, "GET", `/api/mp/resignations/${b.id}`, mpB);
      return v.body.case.status === "step_returned" ? v.body.case : undefined;
    }, "step returned");
    expect(returned.approvals[0]).toMatchObject({ decision: "rejected", reason: "接收人未确定，请补充" });
    expect(returned.lastDay).toBe("2026-05-01");

    const resubmitted = await call(h.base, "POST", `/api/hr/cases/${b.id}/resubmit`, h.consoleToken("hr_bj"), { note: "已指定接收人" });
    expect(resubmitted.body.case.status).toBe("in_approval");
    const round2 = (await h.db.dataSource.query(`SELECT card_task_id, round FROM approval_step WHERE case_id = $1 AND step = 'department_head'`, [b.id]))[0];
    expect(round2.round).toBe(2);
    expect(round2.card_task_id).not.toBe(step.card_task_id);
    await cardFor("head_bj", round2.card_task_id);

    const withdraw = await call(h.base, "POST", `/api/mp/resignations/${b.id}/withdraw`, mpB, {});
    expect(withdraw.body.case.status).toBe("withdrawal_requested");
    const declined = await call(h.base, "POST", `/api/hr/cases/${b.id}/withdrawal-decision`, h.consoleToken("hr_bj"), { accept: false, note: "交接已开始" });
    expect(declined.body).toMatchObject({ case: { status: "in_approval" } });
  });

  it("rate-limits logins with Retry-After", async () => {
    let last = { status: 0, headers: new Headers() };
    for (let i = 0; i < 12 && last.status !== 429; i++) last = await call(h.base, "POST", "/api/mp/login", undefined, { code: `bad-${i}` });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
