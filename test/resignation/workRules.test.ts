import { call, SIGNATURE_PNG, startHarness, waitFor, type Harness } from "./harness";

/** Work-account rules signed at onboarding: offered on create_user, reminded until signed, copied into a later dossier. */
describe("work-account rules signed at onboarding", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(() => h?.close());

  const outboxFor = async (userid: string) =>
    (await h.db.dataSource.query(`SELECT ref->>'kind' AS kind, message FROM wecom_outbox WHERE topic = 'resignation' AND message::text LIKE $1 ORDER BY id`, [`%"${userid}"%`])) as {
      kind: string;
      message: Record<string, unknown>;
    }[];

  it("a member who joins gets the rules to sign in the mini-program, once however often WeCom repeats the event", async () => {
    await h.sandbox.actors.memberJoins({ userid: "newbie", name: "周老师", departments: [2] });
    await waitFor(async () => (await h.db.dataSource.query(`SELECT 1 FROM work_rules_signature WHERE userid = 'newbie'`)).length > 0, "the rules offered");
    // The directory has them too, named although the event carries UserID and Department only (path/90970): org's
    // handler read the member with user/get, in the same transaction.
    const created = h.sandbox.calls.callsTo("/cgi-bin/user/get").filter((c) => c.query.userid === "newbie");
    expect(created).toHaveLength(1);
    expect(await h.db.dataSource.query(`SELECT name, department_ids FROM staff WHERE userid = 'newbie'`)).toEqual([{ name: "周老师", department_ids: [2] }]);
    await h.sandbox.actors.memberUpdated("newbie", { position: "数学教师" });
    const sent = await outboxFor("newbie");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: "employee_notice",
      message: { type: "miniprogram_notice", touser: ["newbie"], notice: { page: "pages/onboarding/rules/index", title: "工作账号规则待签署" } },
    });
  });

  it("members who join in a burst (a directory sync) each get the rules once, their events sharing transactions", async () => {
    const ingress = h.service.capabilities.wecom.ingress!;
    // Every change_contact handler may share a transaction; the rules' handler wants only joins.
    expect(ingress.dispatcher.batchable("change_contact:create_user")).toBe(true);
    expect(ingress.dispatcher.batchable("change_contact:update_user")).toBe(true);
    // Stored while the worker is stopped, the burst is claimed together and handled as one batch.
    await ingress.worker.stop();
    try {
      for (const [userid, name] of [["sync_a", "郑老师"], ["sync_b", "冯老师"], ["sync_c", "陈老师"]]) {
        await h.sandbox.actors.memberJoins({ userid: userid!, name: name!, departments: [2] });
      }
      await h.sandbox.actors.memberUpdated("sync_a", { position: "英语教师" });
      await h.sandbox.actors.memberJoins({ userid: "sync_b", name: "冯老师", departments: [2] });
    } finally {
      ingress.worker.start();
    }
    await waitFor(async () => (await h.db.dataSource.query(`SELECT 1 FROM work_rules_signature WHERE userid LIKE 'sync_%'`)).length === 3, "the rules offered to all three");
    for (const userid of ["sync_a", "sync_b", "sync_c"]) expect((await outboxFor(userid)).map((m) => m.kind)).toEqual(["employee_notice"]);
    expect(await h.db.dataSource.query(`SELECT userid, position FROM staff WHERE userid LIKE 'sync_%' ORDER BY userid`)).toEqual([
      { userid: "sync_a", position: "英语教师" },
      { userid: "sync_b", position: "" },
      { userid: "sync_c", position: "" },
    ]);
  });

  it("shows the rules and the PIPL 17 notice, refuses a wrong name or a changed text, and signs with the notice's evidence", async () => {
    const token = h.mpToken("newbie");
    const shown = await call(h.base, "GET", "/api/mp/work-rules", token);
    expect(shown.status).toBe(200);
    const rules = shown.body.workRules;
    expect(rules.title).toBe("企业微信工作账号使用规则及员工个人信息处理告知书");
    expect(rules.text).toContain("致周老师（北京校区）：");
    expect(rules.text).toContain("通过工作账号添加的家长（客户）、建立的家长群及其中的沟通记录，属于学校的经营资源，不属于个人。");
    expect(rules.text).toContain("学校对工作账号与已同意存档的家长之间的会话进行存档");
    expect(rules.text).toContain("引导家长添加个人微信");
    expect(rules.text).toContain("四、员工个人信息处理告知（《个人信息保护法》第十七条）");
    expect(rules.text).toContain(`会话存档自存储起保存 1095 天，期满删除`);
    expect(rules.text).not.toContain("newbie");
    expect(rules.signed).toBeNull();

    const body = (over: Record<string, unknown> = {}) => ({
      typedName: "周老师",
      signatureImage: SIGNATURE_PNG,
      confirm: true,
      device: { model: "iPhone 15", system: "iOS 17.4", platform: "ios", version: "4.1.0" },
      documentSha256: rules.sha256,
      ...over,
    });
    const wrongName = await call(h.base, "POST", "/api/mp/work-rules/sign", token, body({ typedName: "周某" }));
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.error.message).toBe("签名姓名须与本人姓名一致");
    const stale = await call(h.base, "POST", "/api/mp/work-rules/sign", token, body({ documentSha256: "0".repeat(64) }));
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe("规则内容已更新，请重新阅读后再签署");

    h.clock.set("2026-03-02T10:00:00+08:00");
    const signed = await call(h.base, "POST", "/api/mp/work-rules/sign", token, body());
    expect(signed.status).toBe(200);
    expect(signed.body.workRules.signed).toMatchObject({ typedName: "周老师", signedAt: "2026-03-02T02:00:00.000Z", documentSha256: rules.sha256 });
    const [row] = await h.db.dataSource.query(`SELECT evidence, document_sha256 FROM work_rules_signature WHERE userid = 'newbie'`);
    expect(row.document_sha256).toBe(rules.sha256);
    expect(row.evidence).toMatchObject({
      schema: "work_rules_signature/v1",
      documentHash: rules.sha256,
      typedName: "周老师",
      wecomUserId: "newbie",
      serverTime: "2026-03-02T02:00:00.000Z",
      device: { platform: "ios; iOS 17.4; iPhone 15; WeCom 4.1.0" },
    });
    expect((await call(h.base, "POST", "/api/mp/work-rules/sign", token, body())).status).toBe(409);
    // The signed copy is immutable: the database refuses a change.
    await expect(h.db.dataSource.query(`UPDATE work_rules_signature SET document_sha256 = 'x' WHERE userid = 'newbie'`)).rejects.toThrow("signed work rules are immutable");
    // Read again later, it is the signed copy (signed on 2026-03-02), not a document of today.
    h.clock.set("2026-03-20T10:00:00+08:00");
    const later = await call(h.base, "GET", "/api/mp/work-rules", h.mpToken("newbie"));
    expect(later.body.workRules).toMatchObject({ sha256: rules.sha256, signed: { typedName: "周老师" } });
    expect(later.body.workRules.text).toContain("日期：2026年3月2日");
  });

  it("reminds every 24 hours until signed, then stops", async () => {
    await h.sandbox.actors.memberJoins({ userid: "late", name: "吴老师", departments: [2] });
    await waitFor(async () => (await h.db.dataSource.query(`SELECT 1 FROM work_rules_signature WHERE userid = 'late'`)).length > 0, "the rules offered");
    h.clock.advanceHours(25);
    await h.service.capabilities.sweepReminders();
    const reminders = (await outboxFor("late")).filter((m) => m.kind === "reminder");
    expect(reminders.map((m) => m.message.content)).toEqual(["【提醒】您的《企业微信工作账号使用规则及员工个人信息处理告知书》尚未签署，请在小程序「工作账号规则」中阅读并签署。（第 1 次提醒）"]);
    const token = h.mpToken("late");
    const shown = (await call(h.base, "GET", "/api/mp/work-rules", token)).body.workRules;
    expect(
      (await call(h.base, "POST", "/api/mp/work-rules/sign", token, { typedName: "吴老师", signatureImage: SIGNATURE_PNG, confirm: true, device: {}, documentSha256: shown.sha256 })).status,
    ).toBe(200);
    h.clock.advanceHours(48);
    await h.service.capabilities.sweepReminders();
    expect((await outboxFor("late")).filter((m) => m.kind === "reminder")).toHaveLength(1);
  });

  it("the signed copy enters the member's later resignation dossier", async () => {
    await h.db.dataSource.query(`UPDATE staff SET hire_date = '2026-03-02' WHERE userid = 'newbie'`);
    const res = await call(h.base, "POST", "/api/hr/resignations", h.consoleToken("hr_bj"), {
      employeeUserid: "newbie",
      channel: "in_person",
      receivedAt: "2026-03-20T09:00:00+08:00",
      evidenceText: "当面提出离职",
      requestedLastDay: "2026-04-30",
      reasonCategory: "relocation",
    });
    expect(res.status).toBe(201);
    const [{ document_sha256: sha }] = await h.db.dataSource.query(`SELECT document_sha256 FROM work_rules_signature WHERE userid = 'newbie'`);
    const entries = await h.db.dataSource.query(`SELECT kind, payload FROM dossier_entry WHERE case_id = $1 ORDER BY seq`, [res.body.case.id]);
    const copy = entries.find((e: { kind: string }) => e.kind === "work_rules_signed");
    expect(copy.payload).toMatchObject({
      title: "企业微信工作账号使用规则及员工个人信息处理告知书",
      signedAt: "2026-03-02T02:00:00.000Z",
      documentSha256: sha,
      evidence: { schema: "work_rules_signature/v1", documentHash: sha, typedName: "周老师" },
    });
    expect(copy.payload.document.text).toContain("签署人：周老师");
    const verified = await call(h.base, "POST", `/api/hr/cases/${res.body.case.id}/dossier/verify`, h.consoleToken("hr_bj"), {});
    expect(verified.body).toMatchObject({ source: "database", verification: { ok: true } });
  });
});
