import { createDataSource } from "../../ormconfig";
import { silentLogger } from "../../src/platform/logger";
import { resignationReminderSubjects } from "../../src/resignation/reminders/resignationReminders";
import { sweepReminders } from "../../src/schedules/reminders/reminderSweep";
import { call, SIGNATURE_PNG, startHarness, waitFor, type Harness } from "../resignation/harness";

/**
 * The customer's card: "cron jobs sending 24-hour reminders". Every
 * reminder is a real WeCom message (the sandbox records it) and an entry in
 * the case's evidence dossier.
 */
describe("24-hour reminders", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const sweep = () => h.service.capabilities.sweepReminders();
  const reminderTexts = (userid: string) =>
    h.sandbox.state.messages.filter((m) => m.deliveredTo.includes(userid) && m.msgtype === "text" && JSON.stringify(m).includes("离职流程"));
  const dossierKinds = async (caseId: string): Promise<string[]> =>
    (await h.db.dataSource.query(`SELECT kind FROM dossier_entry WHERE case_id = $1 ORDER BY seq`, [caseId])).map((r: { kind: string }) => r.kind);
  const deliveriesFor = async (caseIds: string[], subjectKind: string): Promise<number> =>
    (
      await h.db.dataSource.query(
        `SELECT count(*)::int AS n FROM reminder_delivery d JOIN reminder r ON r.id = d.reminder_id
         WHERE r.case_id = ANY($1::uuid[]) AND r.subject_kind = $2 AND d.kind = 'reminder'`,
        [caseIds, subjectKind],
      )
    )[0].n;

  async function startCase(userid: string): Promise<string> {
    const res = await call(h.base, "POST", "/api/mp/resignations", h.mpToken(userid), {
      reasonCategory: "family",
      reasonText: "家中有事",
      requestedLastDay: "2026-06-30",
      handoverNotes: "",
    });
    expect(res.status).toBe(201);
    return res.body.case.id;
  }

  it("reminds at +24 h and +48 h, escalates to HR after the third, records each in the dossier, and stops when done", async () => {
    h.clock.set("2026-03-02T10:00:00+08:00");
    const caseId = await startCase("teacher_a");

    h.clock.set("2026-03-03T09:59:00+08:00");
    expect((await sweep()).reminded).toBe(0);

    h.clock.set("2026-03-03T10:00:00+08:00");
    expect((await sweep()).reminded).toBe(1);
    await waitFor(() => reminderTexts("teacher_a").length === 1, "first reminder delivered");
    expect((await sweep()).reminded).toBe(0);

    h.clock.set("2026-03-04T10:00:00+08:00");
    expect((await sweep()).reminded).toBe(1);
    h.clock.set("2026-03-05T10:00:00+08:00");
    const third = await sweep();
    expect(third).toMatchObject({ reminded: 1, escalated: 1 });
    await waitFor(() => reminderTexts("teacher_a").length === 3, "three reminders delivered");
    await waitFor(() => h.sandbox.state.messages.some((m) => m.deliveredTo.includes("hr_bj") && JSON.stringify(m).includes("催办升级")), "escalation to HR");
    expect((await dossierKinds(caseId)).filter((k) => k === "reminder_sent")).toHaveLength(3);
    expect(await dossierKinds(caseId)).toContain("reminder_escalated");

    const signed = await call(h.base, "POST", `/api/mp/resignations/${caseId}/notice/sign`, h.mpToken("teacher_a"), {
      typedName: "张老师",
      signatureImage: SIGNATURE_PNG,
      confirm: true,
      device: {},
    });
    expect(signed.status).toBe(200);
    h.clock.set("2026-03-06T10:00:00+08:00");
    await sweep();
    expect(reminderTexts("teacher_a").filter((m) => JSON.stringify(m).includes("尚未签署"))).toHaveLength(3);
    const [notice] = await h.db.dataSource.query(
      `SELECT done_at FROM reminder WHERE subject_kind = 'notice_signature' AND subject_id = $1`,
      [caseId],
    );
    expect(notice.done_at).not.toBeNull();
  });

  it("reminds each pending approver 24 h after the step opened, and not after they decide", async () => {
    const [step] = await h.db.dataSource.query(
      `SELECT s.id, s.opened_at, s.card_task_id, s.case_id FROM approval_step s JOIN resignation_case c ON c.id = s.case_id
       WHERE c.employee_userid = 'teacher_a' AND s.step = 'department_head'`,
    );
    // The step opened when the notice was signed; the sweep 24 h later (previous test) reminded the approver.
    expect(new Date(step.opened_at).toISOString()).toBe(new Date("2026-03-05T10:00:00+08:00").toISOString());
    const approvalReminders = () => reminderTexts("head_bj").filter((m) => JSON.stringify(m).includes("待您处理：部门负责人审批"));
    await waitFor(() => approvalReminders().length === 1, "approver reminder");

    await h.sandbox.actors.clickTemplateCardButton("head_bj", step.card_task_id, "approve");
    await waitFor(async () => (await h.db.dataSource.query(`SELECT decision FROM approval_step WHERE id = $1`, [step.id]))[0].decision === "approved", "approval recorded");
    h.clock.set("2026-03-07T10:00:00+08:00");
    await sweep();
    const [reminder] = await h.db.dataSource.query(`SELECT reminders_sent, done_at FROM reminder WHERE subject_kind = 'approval_step' AND subject_id = $1`, [step.id]);
    expect(reminder.reminders_sent).toBe(1);
    expect(reminder.done_at).not.toBeNull();
  });

  it("moves a reminder due in quiet hours to the next allowed time", async () => {
    h.clock.set("2026-03-10T22:30:00+08:00");
    const caseId = await startCase("teacher_c");
    const [reminder] = await h.db.dataSource.query(
      `SELECT next_due_at FROM reminder WHERE subject_kind = 'notice_signature' AND subject_id = $1`,
      [caseId],
    );
    // 24 h later is 22:30, inside 21:00–08:00: the first reminder waits for 08:00 the morning after.
    expect(new Date(reminder.next_due_at).toISOString()).toBe(new Date("2026-03-12T08:00:00+08:00").toISOString());
    h.clock.set("2026-03-11T22:30:00+08:00");
    await sweep();
    expect(await deliveriesFor([caseId], "notice_signature")).toBe(0);
    h.clock.set("2026-03-12T08:00:00+08:00");
    await sweep();
    expect(await deliveriesFor([caseId], "notice_signature")).toBe(1);
  });

  it("never sends the same reminder twice when two instances sweep at once", async () => {
    h.clock.set("2026-03-15T10:00:00+08:00");
    const caseIds: string[] = [];
    for (const userid of ["teacher_b", "teacher_s"]) caseIds.push(await startCase(userid));
    h.clock.set("2026-03-16T10:00:00+08:00");
    const other = createDataSource(h.db.url, 4);
    await other.initialize();
    try {
      const deps = (dataSource: typeof other) => ({ dataSource, clock: h.clock, logger: silentLogger() });
      const results = await Promise.all([
        sweepReminders(deps(h.db.dataSource), resignationReminderSubjects),
        sweepReminders(deps(other), resignationReminderSubjects),
        sweepReminders(deps(other), resignationReminderSubjects),
      ]);
      const sentByAll = results.reduce((n, r) => n + r.reminded, 0);
      const [{ deliveries }] = await h.db.dataSource.query(`SELECT count(*)::int AS deliveries FROM reminder_delivery WHERE kind = 'reminder' AND queued_at = $1`, [h.clock.now()]);
      // Whatever was due at this instant was sent exactly once across the three sweeps.
      expect(sentByAll).toBe(deliveries);
      expect(await deliveriesFor(caseIds, "notice_signature")).toBe(2);
    } finally {
      await other.destroy();
    }
  });
});
