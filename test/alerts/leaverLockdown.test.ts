import { drainArchive } from "../../src/conversations/archive/drainArchive";
import { disableLeaverAccount } from "../../src/alerts/lockdown/lastDayAccount";
import { lockdownDecision } from "../../src/alerts/lockdown/leaverLockdown";
import { leaverRuleName } from "../../src/alerts/lockdown/lockdownSettings";
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
    expect(blocked.verdict).toEqual({ outcome: "blocked", rules: [{ ruleId: h.sandbox.state.interceptRules[0]!.ruleId, ruleName: "离职人员管控-北京校区", hit: "手机号" }] });
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

    await h.outbox.drain();
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
    };
    const transfersDue = async () =>
      (await h.dataSource.query(`SELECT payload FROM domain_event WHERE name = 'resignation.resigned_transfers_due'`)).map((e: { payload: unknown }) => e.payload);
    const c = { caseId, userid: "teacher_a", lastDay: "2026-03-13" };
    expect(await runLastDaySteps(h.dataSource, ports, h.clock, c)).toEqual({ status: "waiting", step: "archive_drained", until: "2026-03-13 18:00" });
    expect(order).toEqual([]);
    expect(await transfersDue()).toEqual([]);

    h.clock.set(new Date("2026-03-13T17:59:00+08:00"));
    h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[0]!, content: "各位家长再见，后续由王老师负责" });
    h.clock.set(new Date("2026-03-13T18:00:00+08:00"));
    expect(await runLastDaySteps(h.dataSource, ports, h.clock, c)).toEqual({ status: "done" });
    expect(order).toEqual(["drain:1", "disable:2"]);
    // Then the transfers, announced to handover in the transaction that records the step.
    expect(await transfersDue()).toEqual([{ caseId, employeeUserid: "teacher_a" }]);
    // The goodbye written a minute before the hour was stored before access ended.
    const [stored] = await h.dataSource.query(`SELECT count(*)::int AS n FROM archive_message WHERE from_id = 'teacher_a'`);
    expect(stored.n).toBe(1);

    const steps = (await loadDossier(h.dataSource.manager, caseId)).filter((e) => ["archive_final_drain", "account_disabled_last_day", "resigned_transfers_started"].includes(e.kind));
    expect(steps.map((e) => e.kind)).toEqual(["archive_final_drain", "account_disabled_last_day", "resigned_transfers_started"]);
    expect(steps.map((e) => (e.payload as { at: string }).at)).toEqual(Array(3).fill("2026-03-13T10:00:00.000Z"));
    expect(steps[1]!.payload).toMatchObject({ outcome: "disabled", via: "user/update", configuredHour: 18 });

    // A rerun repeats nothing.
    expect(await runLastDaySteps(h.dataSource, ports, h.clock, c)).toEqual({ status: "done" });
    expect(order).toHaveLength(2);
    expect(await transfersDue()).toHaveLength(1);
  });

  it("two branches both lock down leavers under their own rule names; a name WeCom already holds (41077) reaches HR once, and the rule follows once it is free", async () => {
    // 上海校区 (3) with its own leaver and HR; both branches keep the default rule name.
    await h.dataSource.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (3, '上海校区', 1, 'campus', '{1,3}')`);
    await h.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ('teacher_s', '上海老师', '{3}', 3), ('hr_sh', '上海人事', '{3}', 3)`);
    await h.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr_sh', 'hr', 3, 'seed')`);
    h.sandbox.state.departments.set(3, { id: 3, name: "上海校区", nameEn: "", parentId: 1, order: 0, leaders: [] });
    h.sandbox.state.users.set("teacher_s", { userid: "teacher_s", name: "上海老师", departments: [3], mainDepartment: 3, position: "教师", status: 1 });
    await configure({});
    await h.dataSource.transaction((m) => saveLockdownSettings(m, 3, {}, "hr_sh", h.clock.now()));
    // Someone made a rule by hand in WeCom's admin console under the name 上海's rule would take.
    const byHand = await h.client.interceptRule.addInterceptRule({ rule_name: "离职人员管控-上海校区", word_list: ["私下补课"], intercept_type: 1, applicable_range: { user_list: ["teacher_b"] } });
    await h.openCase("teacher_a", "2026-04-01");
    await h.openCase("teacher_s", "2026-04-01");

    await h.alerts.lockdown.drain();
    const rules = () => h.sandbox.state.interceptRules.map((r) => [r.ruleName, r.userList]).sort();
    expect(rules()).toEqual([["离职人员管控-上海校区", ["teacher_b"]], ["离职人员管控-北京校区", ["teacher_a"]]].sort());
    expect(h.sandbox.actors.send({ from: "teacher_a", to: PARENTS[0]!, content: PHONE }).verdict.outcome).toBe("blocked");
    expect(h.alerts.lockdown.lastPass?.lockdown.failedBranches).toEqual([3]);
    const problem = "企业微信中已有名为「离职人员管控-上海校区」的聊天敏感词规则，企业微信要求规则名称在企业内唯一：请换一个拦截规则名称，或在企业微信管理后台删除同名规则";
    const settings = async () => (await h.dataSource.query(`SELECT branch_id, rule_problem FROM leaver_lockdown_settings ORDER BY branch_id`)) as unknown[];
    expect(await settings()).toEqual([{ branch_id: 2, rule_problem: null }, { branch_id: 3, rule_problem: problem }]);
    const toHr = async () => (await h.dataSource.query(`SELECT message FROM wecom_outbox WHERE topic = 'alerts' AND ref->>'purpose' = 'lockdown'`)) as { message: { touser: string[]; content: string } }[];
    expect((await toHr()).map((n) => n.message.touser)).toEqual([["hr_sh"]]);
    expect((await toHr())[0]!.message.content).toContain(`上海校区的离职人员拦截规则没有加到企业微信：${problem}`);
    // Retried every pass, told once; no half-made binding is left behind.
    await h.alerts.lockdown.drain();
    expect(await toHr()).toHaveLength(1);
    expect(await h.dataSource.query(`SELECT state FROM alert_intercept_rule WHERE branch_id = 3`)).toEqual([]);

    // The hand-made rule is removed: 上海's rule is added at the next pass, the problem cleared.
    await h.client.interceptRule.delInterceptRule(byHand);
    await h.alerts.lockdown.drain();
    expect(rules()).toEqual([["离职人员管控-上海校区", ["teacher_s"]], ["离职人员管控-北京校区", ["teacher_a"]]].sort());
    expect(h.sandbox.actors.send({ from: "teacher_s", to: PARENTS[0]!, content: PHONE }).verdict.outcome).toBe("blocked");
    expect(await settings()).toEqual([{ branch_id: 2, rule_problem: null }, { branch_id: 3, rule_problem: null }]);
  });

  it("refuses settings that would give a branch's leaver rule a name another rule of ours holds in WeCom, naming the holder", async () => {
    await configure({});
    // A keyword rule of 北京 kept in WeCom under the very name 北京's leaver rule would take.
    await h.dataSource.query(
      `INSERT INTO alert_intercept_rule (branch_id, rule_id, part, state, wecom_rule_id, payload_hash, payload, pushed_at) VALUES (2, 'kw2', 0, 'synced', 'r-kw2', 'x', $1, now())`,
      [JSON.stringify({ rule_name: "私下联系-北京校区", word_list: ["私聊"], intercept_type: 1, applicable_range: { department_list: [2] } })],
    );
    const save = (name: string) => h.dataSource.transaction((m) => saveLockdownSettings(m, 2, { rule: { name } }, "hr_bj", h.clock.now()));
    await expect(save("私下联系")).rejects.toMatchObject({
      status: 409,
      message: "未保存：企业微信中的规则名称「私下联系-北京校区」已被北京校区的风险规则使用，企业微信要求规则名称在企业内唯一，请换一个拦截规则名称",
    });
    expect((await save("离职管控")).settings.rule.name).toBe("离职管控");
  });

  it("leaverRuleName: HR's name and the branch's, within WeCom's 20 characters", () => {
    expect(leaverRuleName("离职人员管控", "北京校区")).toBe("离职人员管控-北京校区");
    expect(leaverRuleName("离职人员管控", "北京市海淀区中关村第一校区")).toBe("离职人员管控-北京市海淀区中关村第一校区"); // 20: fits
    expect(leaverRuleName("离职人员管控", "北京市海淀区中关村第一实验校区")).toBe("离职人员管控-北京市海淀区中关村第一实验");
    expect([...leaverRuleName("一二三四五六七八九十一二三四五六七八九", "上海校区")]).toHaveLength(20);
    expect(leaverRuleName("一二三四五六七八九十一二三四五六七八九", "上海校区")).toBe("一二三四五六七八九十一二三四五六七-上海");
    expect(leaverRuleName("离职人员管控", "")).toBe("离职人员管控");
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
    await h.outbox.drain();
    expect(toIt()).toHaveLength(1);
    expect(toIt()[0]).toContain("最后工作日");

    // Two hours later (20:00, before the quiet hours from 21:00) the first reminder goes out.
    h.clock.advanceHours(itFreezeReminders.policy!.firstAfterHours);
    expect((await sweep()).reminded).toBe(1);
    await h.outbox.drain();
    expect(toIt()[1]).toContain("（第1次提醒）】今天是");

    // IT disables the account in the admin console; the directory event closes the task and the reminders stop.
    await h.dispatch({ type: "change_contact", changeType: "update_user", corpId: "ww", from: "sys", createTime: Math.floor(h.clock.now().getTime() / 1000), userId: "teacher_a", department: [], status: "2" });
    const [closed] = await h.dataSource.query(`SELECT done_by FROM alert_it_task`);
    expect(closed.done_by).toBe("directory");
    h.clock.set(new Date("2026-03-14T12:00:00+08:00"));
    expect(await sweep()).toMatchObject({ reminded: 0, closed: 1 });
  });
});
