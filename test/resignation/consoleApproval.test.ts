import { call, signedCase, startHarness, waitFor, type Harness } from "./harness";

/**
 * An approver decides their step on the case page (POST /api/hr/cases/:id/approval)
 * instead of the WeCom card: only their own open step, by the card's rule, with
 * a reason when they return it; the approver's card is then greyed out.
 */
describe("approving a step from the console", () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness();
    h.clock.set("2026-03-02T09:00:00+08:00");
    id = await signedCase(h);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });
  const stepOf = async (step: string): Promise<{ decision: string; card_task_id: string }> =>
    (await h.db.dataSource.query(`SELECT decision, card_task_id FROM approval_step WHERE case_id = $1 AND step = $2`, [id, step]))[0];
  const decide = (userid: string, body: object) => call(h.base, "POST", `/api/hr/cases/${id}/approval`, h.consoleToken(userid), body);

  it("tells the reader which step is theirs now, and nobody else", async () => {
    const head = await call(h.base, "GET", `/api/hr/cases/${id}`, h.consoleToken("head_bj"));
    expect(head.body.permissions.approve).toEqual({
      step: "department_head",
      label: "部门负责人",
      rejectReasons: [
        { id: "receiver", text: "接收人未确定，请补充" },
        { id: "plan", text: "交接安排不完整，请补充" },
        { id: "other", text: "其他原因，请联系我" },
      ],
    });
    expect((await call(h.base, "GET", `/api/hr/cases/${id}`, h.consoleToken("hr_bj"))).body.permissions.approve).toBeNull();
  });

  it("refuses whoever may not decide, with the reason", async () => {
    // Not an approver of this case at all: the policy refuses.
    expect((await decide("teacher_c", { step: "department_head", decision: "approve" })).status).toBe(403);
    // HR approves the last step, which has not opened yet.
    const early = await decide("hr_bj", { step: "hr", decision: "approve" });
    expect([early.status, early.body.error.message]).toEqual([409, "“人事”环节尚未开始，请等待前面的环节审批"]);
    // An approver of another step.
    const other = await decide("hr_bj", { step: "department_head", decision: "approve" });
    expect([other.status, other.body.error.message]).toEqual([409, "“部门负责人”环节不由您审批"]);
    // A return needs one of the card's reasons.
    const noReason = await decide("head_bj", { step: "department_head", decision: "reject" });
    expect([noReason.status, noReason.body.error.message]).toEqual([400, "退回时请选择原因"]);
    expect((await stepOf("department_head")).decision).toBe("pending");
  });

  it("approves through the card's rule; the approver's card is greyed out", async () => {
    const card = await stepOf("department_head");
    const ok = await decide("head_bj", { step: "department_head", decision: "approve" });
    expect([ok.status, ok.body.outcome, ok.body.message]).toEqual([200, "approved", "已同意“部门负责人”环节"]);
    expect((await stepOf("department_head")).decision).toBe("approved");
    expect(await waitFor(async () => ((await stepOf("it")).decision === "pending" ? true : undefined), "IT step open")).toBe(true);
    const decided = await h.db.dataSource.query(`SELECT actor, payload FROM dossier_entry WHERE case_id = $1 AND kind = 'approval_decided'`, [id]);
    expect(decided).toEqual([
      { actor: { type: "approver", id: "head_bj" }, payload: { step: "department_head", round: 1, decision: "approved", reason: null, taskId: card.card_task_id, via: "console" } },
    ]);

    const again = await decide("head_bj", { step: "department_head", decision: "approve" });
    expect([again.status, again.body.error.message]).toEqual([409, "“部门负责人”环节已通过，无需再次审批"]);
    // The approver's card was greyed out with 「已同意（控制台）」 (approvalCardSync.test.ts): it can no longer be pressed.
    await waitFor(() => h.sandbox.state.templateCardUpdates.find((u) => u.taskId === card.card_task_id), "card greyed out");
    expect(() => h.sandbox.actors.clickTemplateCardButton("head_bj", card.card_task_id, "approve")).toThrow("greyed out");
    expect(await h.db.dataSource.query(`SELECT count(*)::int AS n FROM dossier_entry WHERE case_id = $1 AND kind = 'approval_decided'`, [id])).toEqual([{ n: 1 }]);
  });

  it("returns a step with the reason picked, and the employee is told it", async () => {
    const back = await decide("it_1", { step: "it", decision: "reject", reasonOptionId: "plan" });
    expect([back.status, back.body.outcome, back.body.message]).toEqual([200, "rejected", "已退回“IT”环节，已通知员工"]);
    expect(await stepOf("it")).toMatchObject({ decision: "rejected" });
    const told = await waitFor(
      () => h.sandbox.state.messages.find((m) => m.deliveredTo.includes("teacher_a") && JSON.stringify(m.body).includes("交接安排不完整，请补充")),
      "employee told",
    );
    expect(told).toBeDefined();
  });
});
