import { startStoryEnv, type StoryEnv } from "../../src/demo/env";
import { CAST, LEAVER_GROUPS, LEAVER_PARENTS, MASS_PARENTS } from "../../src/demo/cast";
import { playStory, type StoryResult } from "../../src/demo/story";
import { WECOM_PATHS } from "../../src/demo/steps/lastDay";
import { silentTranscript } from "../../src/demo/transcript";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createTestDatabase } from "../support/testDatabase";

/**
 * The demo's story as a test: the same script `npm run demo` plays, then each
 * step's outcome checked again where it lives — in the database and in what
 * the WeCom sandbox was asked to do.
 */
describe("the whole story, end to end", () => {
  let db: Database;
  let env: StoryEnv;
  let result: StoryResult;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const n = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    env = await startStoryEnv(db, silentLogger());
    result = await playStory(env, silentTranscript());
  }, 90_000);
  afterAll(async () => {
    await env?.stop();
    await db?.close();
  });

  it("every step did what it says", () => {
    const failed = result.checks.filter((c) => !c.ok).map((c) => `step ${c.step}: ${c.label} ${c.detail ?? ""}`);
    expect(failed).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(new Set(result.checks.map((c) => c.step))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(result.ok).toBe(true);
  });

  it("the transcript names people, parents and groups, never their WeCom accounts or JSON", () => {
    const ids = new RegExp([...env.sandbox.state.users.keys(), "wm_parent_\\d+", "wr_class_\\w+", "\\{\""].join("|"));
    const leaks = result.checks.map((c) => `${c.label} ${c.detail ?? ""}`).filter((line) => ids.test(line));
    expect(leaks).toEqual([]);
  });

  it("1 · the service mirrors the sandbox's chain: staff, departments, parents, classes, roles", async () => {
    expect(await n(`SELECT count(*) AS n FROM staff`)).toBe(env.sandbox.state.users.size);
    expect(await n(`SELECT count(*) AS n FROM follow_relation WHERE staff_userid = $1`, [CAST.leaver])).toBe(LEAVER_PARENTS.length);
    expect(await n(`SELECT count(*) AS n FROM class_teacher WHERE staff_userid = $1`, [CAST.leaver])).toBe(2);
    expect(await q(`SELECT userid, role FROM role_grant ORDER BY userid`)).toEqual([
      { userid: "hr_liu", role: "hr" },
      { userid: "hr_wu", role: "hr" },
      { userid: "it_zhang", role: "it" },
    ]);
  });

  it("2 · conversations mirrored only for consenting pairs, sealed at rest", async () => {
    expect(await n(`SELECT count(*) AS n FROM archive_message WHERE staff_userid = $1`, [CAST.leaver])).toBe(LEAVER_PARENTS.length * 3);
    // Step 8 adds the inherited parents' consent with their new teachers (all but the one who refused the transfer).
    expect(await n(`SELECT count(*) AS n FROM archive_consent WHERE status = 'agree'`)).toBe(LEAVER_PARENTS.length + MASS_PARENTS.length + LEAVER_PARENTS.length - 1);
    const keys = await q(`SELECT DISTINCT body_key_id FROM archive_message`);
    expect(keys).toEqual([{ body_key_id: "story1" }]);
  });

  it("3 · the bot answered in WeCom; the case exists with a signed notice", async () => {
    expect(env.sandbox.state.messages.some((m) => m.deliveredTo.includes(CAST.leaver) && m.msgtype === "miniprogram_notice")).toBe(true);
    const [c] = await q(`SELECT employee_userid, to_char(last_day, 'YYYY-MM-DD') AS last_day FROM resignation_case WHERE id = $1`, [result.caseId]);
    expect(c).toEqual({ employee_userid: CAST.leaver, last_day: "2026-04-01" });
    expect(await n(`SELECT count(*) AS n FROM resignation_notice WHERE case_id = $1`, [result.caseId])).toBe(1);
  });

  it("3 · the written-report deadline: 3 working days from Monday 2026-03-02, the leaver told, signed in time (dossier)", async () => {
    expect(result.checks.filter((c) => c.step === 3).map((c) => c.label)).toEqual(expect.arrayContaining([
      "书面离职通知签署期限：3个工作日 · written-report deadline, 3 working days",
      "按期签署，记入档案 · signed within the deadline, in the dossier",
    ]));
    expect(await q(`SELECT working_days, to_char(deadline, 'YYYY-MM-DD') AS deadline FROM written_notice_deadline WHERE case_id = $1`, [result.caseId])).toEqual([{ working_days: 3, deadline: "2026-03-05" }]);
    const payloads = await q(`SELECT kind, payload FROM dossier_entry WHERE case_id = $1 AND kind IN ('notice_deadline_set', 'notice_signed') ORDER BY seq`, [result.caseId]);
    expect(payloads.map((p: { kind: string }) => p.kind)).toEqual(["notice_deadline_set", "notice_signed"]);
    expect(payloads[0].payload).toMatchObject({ deadline: "2026-03-05", calendar: "official", toldEmployee: true });
    expect(payloads[1].payload).toMatchObject({ noticeDeadline: "2026-03-05", withinDeadline: true });
    const told = env.sandbox.state.messages.filter((m) => m.deliveredTo.includes(CAST.leaver) && JSON.stringify(m.body).includes("请在2026年3月5日（3个工作日内）前"));
    expect(told).toHaveLength(1);
  });

  it("4 · three approvals by card, exactly one reminder (to IT), recorded in the dossier", async () => {
    expect(await q(`SELECT step, decision, decided_by FROM approval_step WHERE case_id = $1 ORDER BY step`, [result.caseId])).toEqual([
      { step: "department_head", decision: "approved", decided_by: CAST.departmentHead },
      { step: "hr", decision: "approved", decided_by: CAST.hr },
      { step: "it", decision: "approved", decided_by: CAST.it },
    ]);
    const approvalReminders = await q(
      `SELECT s.step, r.recipient_userid FROM reminder r JOIN approval_step s ON s.id::text = r.subject_id::text WHERE r.subject_kind = 'approval_step' AND r.reminders_sent > 0`,
    );
    expect(approvalReminders).toEqual([{ step: "it", recipient_userid: CAST.it }]);
    const remindedInDossier = await q(`SELECT payload->>'subject' AS subject, payload->>'recipient' AS recipient FROM dossier_entry WHERE case_id = $1 AND kind = 'reminder_sent'`, [result.caseId]);
    expect(remindedInDossier).toContainEqual({ subject: "approval_step", recipient: CAST.it });
    expect(remindedInDossier).toHaveLength(result.summary.reminders);
    const itMessages = env.sandbox.calls.callsTo("/cgi-bin/message/send").filter((c) => (c.body as { touser?: string }).touser === CAST.it);
    expect(itMessages.some((c) => JSON.stringify(c.body).includes("离职流程提醒"))).toBe(true);
  });

  it("5 · one alert for the mass message, delivered once, and the account disabled through the WeCom API", async () => {
    expect(await q(`SELECT kind, staff_userid, status FROM alert`)).toEqual([{ kind: "mass_messaging", staff_userid: CAST.massMessager, status: "frozen" }]);
    const updates = env.sandbox.calls.callsTo("/cgi-bin/user/update").map((c) => c.body);
    expect(updates).toEqual([expect.objectContaining({ userid: CAST.massMessager, enable: 0 })]);
    expect(env.sandbox.state.webhookMessages.filter((w) => w.key === CAST.robotKey)).toHaveLength(1);
  });

  it("7 · parents and groups transferred; one refusal reported; parents told; certificate issued", async () => {
    expect(result.summary.transfers).toEqual({ done: LEAVER_PARENTS.length - 1, refused: 1 });
    expect(await q(`SELECT external_userid FROM customer_transfer WHERE status = 'refused'`)).toEqual([{ external_userid: CAST.refusingParent }]);
    const sent = env.sandbox.calls.callsTo(WECOM_PATHS.resignedTransfer).flatMap((c) => (c.body as { external_userid: string[] }).external_userid);
    expect(sent.sort()).toEqual([...LEAVER_PARENTS].sort());
    for (const chat of LEAVER_GROUPS) expect(env.sandbox.state.groupChats.get(chat)!.owner).not.toBe(CAST.leaver);
    expect(env.sandbox.calls.callsTo(WECOM_PATHS.groupTransfer).flatMap((c) => (c.body as { chat_id_list: string[] }).chat_id_list).sort()).toEqual([...LEAVER_GROUPS].sort());
    expect(await q(`SELECT state FROM transfer_notification WHERE kind = 'hr_problems'`)).toEqual([{ state: "sent" }]);
    expect(await n(`SELECT count(*) AS n FROM transfer_notification WHERE kind = 'parent_intro' AND state = 'sent'`)).toBeGreaterThan(0);
    expect(await n(`SELECT count(*) AS n FROM termination_certificate WHERE case_id = $1 AND delivered_at IS NOT NULL`, [result.caseId])).toBe(1);
    expect(env.sandbox.state.users.get(CAST.leaver)!.status).toBe(5);
  });

  it("6 · the exit interview: scheduled, exit confirmed, rehire recommended, alumni flagged", async () => {
    expect(await q(`SELECT interviewer_userid, outcome, rehire_recommendation, reasons FROM exit_interview WHERE case_id = $1`, [result.caseId])).toEqual([
      { interviewer_userid: CAST.departmentHead, outcome: "exit_confirmed", rehire_recommendation: "recommended", reasons: ["family", "commute"] },
    ]);
    expect(await q(`SELECT rehire_eligible FROM alumni WHERE case_id = $1`, [result.caseId])).toEqual([{ rehire_eligible: true }]);
    expect(env.sandbox.state.messages.filter((m) => m.deliveredTo.includes(CAST.departmentHead) && JSON.stringify(m.body).includes("【离职面谈】请于"))).toHaveLength(1);
  });

  it("8 · the settlement statement: HR's figures, the leaver's 200% leave, no compensation, file transfer recorded", async () => {
    const [input] = await q(`SELECT ground, leave_entitlement_days, monthly_overtime_fen FROM settlement_input WHERE case_id = $1`, [result.caseId]);
    expect(input).toEqual({ ground: "lcl37_resignation", leave_entitlement_days: 10, monthly_overtime_fen: Array(12).fill("30000") });
    const [computed] = await q(`SELECT payload FROM dossier_entry WHERE case_id = $1 AND kind = 'settlement_computed'`, [result.caseId]);
    // 91/365 × 10 = 2.49 → 2 days × ¥400 (¥9,000 − ¥300 overtime = ¥8,700 ÷ 21.75) × 200% = ¥1,600; no compensation for an LCL 37 resignation.
    expect(computed.payload).toMatchObject({ unusedLeaveFen: 160_000, compensationFen: null });
    const [settlement] = await q(`SELECT final_wages_released_at IS NOT NULL AS released, archive_transferred_at IS NOT NULL AS transferred FROM settlement WHERE case_id = $1`, [result.caseId]);
    expect(settlement).toEqual({ released: true, transferred: true });
    expect(await n(`SELECT count(*) AS n FROM dossier_entry WHERE case_id = $1 AND kind = 'archive_transferred'`, [result.caseId])).toBe(1);
  });

  it("9 · the dossier in the database is still intact and append-only", async () => {
    await expect(q(`UPDATE dossier_entry SET payload = '{}' WHERE case_id = $1`, [result.caseId])).rejects.toThrow(/append-only/);
  });
});
