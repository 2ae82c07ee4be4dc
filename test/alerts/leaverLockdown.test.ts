import { drainArchive } from "../../src/conversations/archive/drainArchive";
import { disableLeaverAccount } from "../../src/alerts/lockdown/lastDayAccount";
import { lockdownDecision } from "../../src/alerts/lockdown/leaverLockdown";
import { saveLockdownSettings } from "../../src/alerts/lockdown/lockdownStore";
import { loadDossier } from "../../src/dossier/dossierStore";
import { runLastDaySteps } from "../../src/resignation/lastDay/lastDaySteps";
import { itFreezeReminders } from "../../src/alerts/actions/itFreezeReminders";
import { silentLogger } from "../../src/platform/logger";
import { sweepReminders } from "../../src/schedules/reminders/reminderSweep";
import { PARENTS, startAlertsHarness, type AlertsHarness } from "./alertsHarness";

const PHONE = "以后直接打我电话 139 1234 5678";

describe("leaver lockdown against the sandbox", () => {
  let h: AlertsHarness;
  beforeEach(async () => {
    h = await startAlertsHarness({ startConsumer: false });
    await h.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ('head_bj', '北京校长', '{2}', 2)`);
    await h.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('head_bj', 'campus_head', 2, 'seed')`);
    h.sandbox.state.users.set("head_bj", { userid: "head_bj", name: "北京校长", departments: [2], mainDepartment: 2, position: "校长", status: 1 });
  });
  afterEach(() => h.close());

  async function configure(settings: object): Promise<void> {
    await h.dataSource.transaction((m) => saveLockdownSettings(m, 2, settings, "hr_bj", h.clock.now()));
  }
  async function setState(caseId: string, state: string): Promise<void> {
    await h.dataSource.query(`UPDATE resignation_case SET state = $2 WHERE id = $1`, [caseId, state]);
  }
  const kinds = async (caseId: string) => (await loadDossier(h.dataSource.manager, caseId)).map((e) => e.kind);

  it("a leaver's phone-number message is blocked once the notice is signed, and allowed again after withdrawal", async () => {
    await configure({ rule: { mode: "block" } });
    const caseId = await h.openCase("teacher_a", "2026-04-01");
    await setState(caseId, "notice_pending_signature");
    await h.alerts.lockdown.drain();
    expect(h.sandbox.actors.send({ from: "teacher_a", to: PARENTS[0]!, content: PHONE }).verdict.outcome).toBe("sent");
    expect(h.sandbox.state.interceptRules).toHaveLength(0);

    await setState(caseId, "notice_signed");
    await h.alerts.lockdown.drain();
    const blocked = h.sandbox.actors.send({ from: "teacher_a", to: PARENTS[0]!, content: PHONE });
    expect(blocked.verdict).toEqual({ outcome: "blocked", rules: [{ ruleId: h.sandbox.state.interceptRules[0]!.ruleId, ruleName: "离职人员管控", hit: "手机号" }] });
    expect(h.sandbox.actors.send({ from: "teacher_a", to: PARENTS[1]!, content: "我换微信了，加我微信吧" }).verdict.outcome).toBe("blocked");
    // Colleagues who are not leaving write freely.
    expect(h.sandbox.actors.send({ from: "teacher_b", to: PARENTS[0]!, content: PHONE }).verdict.outcome).toBe("sent");
    expect(h.sandbox.state.interceptRules[0]).toMatchObject({ userList: ["teacher_a"], departmentList: [], interceptType: 1, semanticsList: [1, 2, 3] });
    expect(await kinds(caseId)).toContain("leaver_intercept_added");

    // Running again changes nothing.
    await h.alerts.lockdown.drain();
    expect(h.sandbox.calls.callsTo("/cgi-bin/externalcontact/add_intercept_rule")).toHaveLength(1);
    expect(h.sandbox.calls.callsTo("/cgi-bin/externalcontact/update_intercept_rule")).toHaveLength(0);

    await setState(caseId, "withdrawn");
    await h.alerts.lockdown.drain();
    expect(h.sandbox.actors.send({ from: "teacher_a", to: PARENTS[0]!, content: PHONE }).verdict.outcome).toBe("sent");
    expect(h.sandbox.state.interceptRules).toHaveLength(0);
    const removed = (await loadDossier(h.dataSource.manager, caseId)).find((e) => e.kind === "leaver_intercept_removed");
    expect(removed?.payload).toMatchObject({ reason: "withdrawn" });
  });

  it("a second leaver joins the same WeCom rule by update; warn mode lets the message go with a warning", async () => {
    await configure({ rule: { mode: "warn" } });
    await h.openCase("teacher_a", "2026-04-01");
    await h.alerts.lockdown.drain();
    await h.openCase("teacher_b", "2026-04-10");
    await h.alerts.lockdown.drain();
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
    expect(h.sandbox.state.interceptRules[0]!.userList.sort()).toEqual(["teacher_a", "teacher_b"]);
    expect(h.sandbox.calls.callsTo("/cgi-bin/externalcontact/update_intercept_rule").at(-1)!.body).toEqual({
      rule_id: h.sandbox.state.interceptRules[0]!.ruleId, add_applicable_range: { user_list: ["teacher_b"] },
    });
    const warned = h.sandbox.actors.send({ from: "teacher_b", to: PARENTS[0]!, content: PHONE });
    expect(warned.verdict.outcome).toBe("warned");
    expect(warned.message).toBeDefined();
  });

  it("the lock is kept after the last day until the account is disabled", async () => {
    await configure({});
    const caseId = await h.openCase("teacher_a", "2026-03-02");
    await setState(caseId, "certificate_issued");
    await h.alerts.lockdown.drain();
    expect(h.sandbox.state.interceptRules[0]?.userList).toEqual(["teacher_a"]);
    await h.dataSource.query(`UPDATE staff SET status = 2 WHERE userid = 'teacher_a'`);
    await h.alerts.lockdown.drain();
    expect(h.sandbox.state.interceptRules).toHaveLength(0);
    expect((await loadDossier(h.dataSource.manager, caseId)).find((e) => e.kind === "leaver_intercept_removed")?.payload).toMatchObject({ reason: "account_disabled" });
  });

  it("a leaver's group-send task raises a critical alert at once, tells the campus head, and freezes the account when the branch says so", async () => {
    await configure({ groupSend: { autoFreeze: true } });
    const caseId = await h.openCase("teacher_a", "2026-04-01");
    await h.alerts.lockdown.drain();
    h.clock.advance(60_000);
    for (const p of PARENTS.slice(0, 3)) {
      h.sandbox.state.addFollow({ userid: "teacher_a", externalUserId: p, remark: "", description: "", createdAt: h.clock.now(), tags: [], addWay: 1, operUserid: "teacher_a", state: "" });
    }
    const task = h.sandbox.actors.memberCreatesGroupSend({ sender: "teacher_a", externalUserIds: PARENTS.slice(0, 3), text: "各位家长，我下周去新机构了，想继续上课的请联系我" });
    h.clock.advance(60_000);
    await h.alerts.lockdown.drain();

    const [alert] = await h.dataSource.query(`SELECT id, kind, severity, status, case_id, hit_msgids, title FROM alert WHERE kind = 'leaver_group_send'`);
    expect(alert).toMatchObject({ kind: "leaver_group_send", severity: "critical", status: "frozen", case_id: caseId, hit_msgids: [task.msgid] });
    expect(alert.title).toBe("【离职期间群发】张老师（离职中）在手机上创建了群发");
    expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(2);
    const dossier = await loadDossier(h.dataSource.manager, caseId);
    const evidence = dossier.find((e) => e.kind === "risk_alert");
    expect(evidence?.payload).toMatchObject({ kind: "leaver_group_send", evidence: { source: "get_groupmsg_list_v2", msgid: task.msgid, createType: 1, text: "各位家长，我下周去新机构了，想继续上课的请联系我" } });
    expect(dossier.find((e) => e.kind === "account_freeze")?.payload).toMatchObject({ outcome: "frozen" });
    const [action] = await h.dataSource.query(`SELECT action, via, actor_userid FROM alert_action WHERE alert_id = $1`, [alert.id]);
    expect(action).toEqual({ action: "freeze", via: "auto", actor_userid: "system:group_send_auto_freeze" });

    await h.alerts.notifier.drain();
    const toHead = h.sandbox.state.messagesTo("head_bj");
    expect(toHead).toHaveLength(1);
    expect(JSON.stringify(toHead[0]!.body)).toContain("账号已按校区设置自动冻结");
    expect(h.sandbox.state.messagesTo("hr_bj").some((m) => m.taskId === `alert-${alert.id}`)).toBe(true);

    // Seen once: the next pass raises nothing new.
    await h.alerts.lockdown.drain();
    expect(await h.dataSource.query(`SELECT id FROM alert WHERE kind = 'leaver_group_send'`)).toHaveLength(1);
  });

  it("without automatic freeze the alert waits for HR's click", async () => {
    await configure({});
    await h.openCase("teacher_a", "2026-04-01");
    await h.alerts.lockdown.drain();
    h.sandbox.actors.memberCreatesGroupSend({ sender: "teacher_a", externalUserIds: [], text: "再见" });
    h.clock.advance(60_000);
    await h.alerts.lockdown.drain();
    const [alert] = await h.dataSource.query(`SELECT status FROM alert WHERE kind = 'leaver_group_send'`);
    expect(alert.status).toBe("open");
    expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(1);
  });

  it("on the last day the archive drain runs before the account is disabled, at the configured hour, then the transfers", async () => {
    await configure({ lastDay: { disableAtHour: 18 } });
    h.clock.set(new Date("2026-03-13T09:00:00+08:00"));
    const caseId = await h.openCase("teacher_a", "2026-03-13");
    const order: string[] = [];
    const ports = {
      drainArchive: async () => {
        const report = await drainArchive(h.ingest);
        order.push(`drain:${h.sandbox.state.users.get("teacher_a")!.status}`);
        return { done: report.status === "drained", detail: { stored: report.stored } };
      },
      disableAtHour: async () => 18,
      disableAccount: async (userid: string) => {
        const outcome = await disableLeaverAccount(h, userid);
        order.push(`disable:${h.sandbox.state.users.get("teacher_a")!.status}`);
        return outcome;
      },
      startTransfers: async () => void order.push("transfers"),
    };
    const c = { caseId, userid: "teacher_a", lastDay: "2026-03-13" };
    expect(await runLastDaySteps(h.dataSource, ports, h.clock, c)).toEqual({ status: "waiting", step: "archive_drained", until: "2026-03-13 18:00" });
    expect(order).toEqual([]);

    h.clock.set(new Date("2026-03-13T17:59:00+08:00"));
    h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[0]!, content: "各位家长再见，后续由王老师负责" });
    h.clock.set(new Date("2026-03-13T18:00:00+08:00"));
    expect(await runLastDaySteps(h.dataSource, ports, h.clock, c)).toEqual({ status: "done" });
    expect(order).toEqual(["drain:1", "disable:2", "transfers"]);
    // The goodbye written a minute before the hour was stored before access ended.
    const [stored] = await h.dataSource.query(`SELECT count(*)::int AS n FROM archive_message WHERE from_id = 'teacher_a'`);
    expect(stored.n).toBe(1);

    const steps = (await loadDossier(h.dataSource.manager, caseId)).filter((e) => ["archive_final_drain", "account_disabled_last_day", "resigned_transfers_started"].includes(e.kind));
    expect(steps.map((e) => e.kind)).toEqual(["archive_final_drain", "account_disabled_last_day", "resigned_transfers_started"]);
    expect(steps.map((e) => (e.payload as { at: string }).at)).toEqual(Array(3).fill("2026-03-13T10:00:00.000Z"));
    expect(steps[1]!.payload).toMatchObject({ outcome: "disabled", via: "user/update", configuredHour: 18 });

    // A rerun repeats nothing.
    expect(await runLastDaySteps(h.dataSource, ports, h.clock, c)).toEqual({ status: "done" });
    expect(order).toHaveLength(3);
  });

  it("lockdownDecision: who is held", () => {
    const base = { userid: "u", caseId: "c", caseState: "notice_signed", status: 1, left: false, path: [1, 2] };
    expect(lockdownDecision(base, true)).toEqual({ locked: true });
    expect(lockdownDecision({ ...base, caseState: "registered_by_hr" }, true)).toEqual({ locked: true });
    expect(lockdownDecision({ ...base, caseState: "notice_pending_signature" }, true)).toEqual({ locked: false, reason: "withdrawn" });
    expect(lockdownDecision({ ...base, caseState: "withdrawn" }, true)).toEqual({ locked: false, reason: "withdrawn" });
    expect(lockdownDecision({ ...base, caseState: "closed" }, true)).toEqual({ locked: true });
    expect(lockdownDecision({ ...base, status: 2 }, true)).toEqual({ locked: false, reason: "account_disabled" });
    expect(lockdownDecision({ ...base, left: true }, true)).toEqual({ locked: false, reason: "account_disabled" });
    expect(lockdownDecision(base, false)).toEqual({ locked: false, reason: "not_configured" });
  });
});

describe("the last day's disable without the contacts secret", () => {
  let h: AlertsHarness;
  beforeEach(async () => {
    h = await startAlertsHarness({ startConsumer: false, contactSecret: false });
  });
  afterEach(() => h.close());
  const sweep = () => sweepReminders({ dataSource: h.dataSource, clock: h.clock, logger: silentLogger() }, h.alerts.reminderSubjects);
  const toIt = () => h.sandbox.state.messagesTo("it_1").map((m) => JSON.stringify(m.body));

  it("becomes an IT task: IT told at once, reminded every few hours, closed by the directory", async () => {
    h.clock.set(new Date("2026-03-13T18:00:00+08:00"));
    const outcome = await disableLeaverAccount(h, "teacher_a");
    expect(outcome).toMatchObject({ outcome: "it_task", notified: 1 });
    expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(1);
    const tasks = await h.dataSource.query(`SELECT id::text, kind, alert_id, requested_by, done_at FROM alert_it_task`);
    expect(tasks).toEqual([{ id: outcome.taskId, kind: "disable_account", alert_id: null, requested_by: "system:last_day", done_at: null }]);
    // Run twice (a retried last-day step): still one task.
    expect(await disableLeaverAccount(h, "teacher_a")).toMatchObject({ outcome: "it_task", taskId: outcome.taskId, notified: 0, alreadyOpen: true });
    await h.alerts.notifier.drain();
    expect(toIt()).toHaveLength(1);
    expect(toIt()[0]).toContain("最后工作日");

    // Two hours later (20:00, before the quiet hours from 21:00) the first reminder goes out.
    h.clock.advanceHours(itFreezeReminders.policy!.firstAfterHours);
    expect((await sweep()).reminded).toBe(1);
    await h.alerts.notifier.drain();
    expect(toIt()[1]).toContain("（第1次提醒）】今天是");

    // IT disables the account in the admin console; the directory event closes the task and the reminders stop.
    await h.dispatch({ type: "change_contact", changeType: "update_user", corpId: "ww", from: "sys", createTime: Math.floor(h.clock.now().getTime() / 1000), userId: "teacher_a", department: [], status: "2" });
    const [closed] = await h.dataSource.query(`SELECT done_by FROM alert_it_task`);
    expect(closed.done_by).toBe("directory");
    h.clock.set(new Date("2026-03-14T12:00:00+08:00"));
    expect(await sweep()).toMatchObject({ reminded: 0, closed: 1 });
  });
});
