import { loadAlertContext } from "../../src/alerts/store/alertContext";
import { syncInterceptRules } from "../../src/alerts/intercept/syncInterceptRules";
import { loadBranchSettings } from "../../src/alerts/store/branchSettings";
import { itFreezeReminders } from "../../src/alerts/actions/itFreezeReminders";
import { silentLogger } from "../../src/platform/logger";
import { sweepReminders } from "../../src/schedules/reminders/reminderSweep";
import { loadDossier } from "../../src/dossier/dossierStore";
import type { WeComEvent } from "../../src/wecom/events/types";
import type { ArchivedChat } from "../../src/conversations";
import { drainArchive } from "../../src/conversations/archive/drainArchive";
import { PARENTS, ROBOT, startAlertsHarness, type AlertsHarness } from "./alertsHarness";

const SLANDER = "各位家长，本机构退费困难、师资造假，建议大家尽快申请退费并转到其他机构学习";

function click(userid: string, alertId: string, key: string): WeComEvent {
  return { type: "template_card_event", corpId: "ww", from: userid, createTime: 0, eventKey: key, taskId: `alert-${alertId}`, selectedItems: [] };
}

function deletion(h: AlertsHarness, parent: string): WeComEvent {
  return { type: "change_external_contact", changeType: "del_external_contact", corpId: "ww", from: "sys", createTime: Math.floor(h.clock.now().getTime() / 1000), userId: "teacher_b", externalUserId: parent };
}

async function alertsOf(h: AlertsHarness, kind: string) {
  return h.dataSource.query(`SELECT * FROM alert WHERE kind = $1 ORDER BY id`, [kind]);
}

describe("HR risk alerts against the sandbox", () => {
  describe("a leaver mass-messaging slander", () => {
    let h: AlertsHarness;
    let caseId: string;
    beforeAll(async () => {
      h = await startAlertsHarness();
      caseId = await h.openCase("teacher_a", "2026-03-13");
      // A normal exchange first, so the hit has a conversation around it.
      h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_a", content: "张老师，明天上课吗？" });
      h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[0]!, content: "上的，明天见" });
      for (let i = 0; i < 30; i++) {
        h.clock.advance(10_000); // 30 messages in 5 minutes
        h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[i]!, content: SLANDER });
      }
      h.clock.advance(5_000);
      h.sandbox.actors.chat({ from: PARENTS[0]!, to: "teacher_a", content: "这是真的吗？" });
      await h.archive();
    });
    afterAll(() => h.close());

    it("raises one alert (not 30) covering all 30 parents, with the conversation before and after the hit", async () => {
      const alerts = await alertsOf(h, "mass_messaging");
      expect(alerts).toHaveLength(1);
      expect(alerts[0].staff_userid).toBe("teacher_a");
      expect(alerts[0].parents).toHaveLength(30);
      expect(alerts[0].severity).toBe("critical");
      expect(alerts[0].case_id).toBe(caseId);
      const [context] = await loadAlertContext(h.dataSource, h.keyRing, alerts[0].hit_msgids);
      expect(context!.hit.text).toBe(SLANDER);
      expect(context!.before.map((m) => m.text)).toEqual(["张老师，明天上课吗？", "上的，明天见"]);
      expect(context!.after.map((m) => m.text)).toEqual(["这是真的吗？"]);
    });

    it("notifies the group robot with an @mention and the auditor with a card; deliveries are recorded", async () => {
      await h.outbox.drain();
      const [alert] = await alertsOf(h, "mass_messaging");
      const webhook = h.sandbox.state.webhookMessages.filter((w) => w.key === ROBOT);
      expect(webhook).toHaveLength(1);
      expect(JSON.stringify(webhook[0]!.body)).toContain("<@hr_bj>");
      const cards = h.sandbox.state.messagesTo("hr_bj").filter((m) => m.taskId === `alert-${alert.id}`);
      expect(cards).toHaveLength(1);
      const deliveries = await h.dataSource.query(`SELECT channel, errcode, msgid FROM wecom_outbox_attempt ORDER BY id`);
      expect(deliveries.map((d: { channel: string; errcode: number }) => [d.channel, d.errcode]).sort()).toEqual([["app", 0], ["robot", 0]]);
      expect(deliveries.find((d: { channel: string }) => d.channel === "app").msgid).toBeTruthy();
    });

    it("goes into the open resignation case's dossier", async () => {
      const entries = await loadDossier(h.dataSource.manager, caseId);
      expect(entries.filter((e) => e.kind === "risk_alert")).toHaveLength(1);
    });

    it("the card's freeze button disables the account in WeCom and is recorded", async () => {
      const [alert] = await alertsOf(h, "mass_messaging");
      await h.dispatch(click("hr_bj", alert.id, "freeze"));
      expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(2);
      const [after] = await alertsOf(h, "mass_messaging");
      expect(after.status).toBe("frozen");
      const actions = await h.dataSource.query(`SELECT action, actor_userid, via FROM alert_action WHERE alert_id = $1`, [alert.id]);
      expect(actions).toEqual([{ action: "freeze", actor_userid: "hr_bj", via: "card" }]);
      expect((await loadDossier(h.dataSource.manager, caseId)).some((e) => e.kind === "account_freeze")).toBe(true);
    });

    it("refuses a click from someone who is not HR for that person", async () => {
      const [alert] = await alertsOf(h, "mass_messaging");
      await h.dispatch(click("teacher_b", alert.id, "false_positive"));
      expect(await h.dataSource.query(`SELECT action FROM alert_action WHERE alert_id = $1 AND action = 'false_positive'`, [alert.id])).toEqual([]);
    });
  });

  describe("freeze without the contact secret", () => {
    let h: AlertsHarness;
    beforeAll(async () => {
      h = await startAlertsHarness({ contactSecret: false });
      await h.openCase("teacher_a", "2026-03-13");
      for (let i = 0; i < 30; i++) {
        h.clock.advance(10_000);
        h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[i]!, content: SLANDER });
      }
      await h.archive();
    });
    afterAll(() => h.close());

    it("opens an IT task, tells IT, reminds IT through the shared sweep, and closes when the directory shows the account disabled", async () => {
      const [alert] = await alertsOf(h, "mass_messaging");
      await h.dispatch(click("hr_bj", alert.id, "freeze"));
      expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(1);
      const [task] = await h.dataSource.query(`SELECT staff_userid, requested_by, done_at FROM alert_it_task`);
      expect(task).toEqual({ staff_userid: "teacher_a", requested_by: "hr_bj", done_at: null });
      expect((await alertsOf(h, "mass_messaging"))[0].status).toBe("freeze_pending_it");
      await h.outbox.drain();
      expect(h.sandbox.state.messagesTo("it_1")).toHaveLength(1);

      const sweep = () => sweepReminders({ dataSource: h.dataSource, clock: h.clock, logger: silentLogger() }, h.alerts.reminderSubjects);
      expect((await sweep()).reminded).toBe(0);
      h.clock.advanceHours(itFreezeReminders.policy!.firstAfterHours);
      expect((await sweep()).reminded).toBe(1);
      await h.outbox.drain();
      expect(h.sandbox.state.messagesTo("it_1").map((m) => JSON.stringify(m.body))[1]).toContain("第1次提醒");

      // IT disables the account in the WeCom admin console; the directory event closes the task.
      await h.dispatch({ type: "change_contact", changeType: "update_user", corpId: "ww", from: "sys", createTime: Math.floor(h.clock.now().getTime() / 1000), userId: "teacher_a", department: [], status: "2" });
      const [closed] = await h.dataSource.query(`SELECT done_by FROM alert_it_task`);
      expect(closed.done_by).toBe("directory");
      expect((await alertsOf(h, "mass_messaging"))[0].status).toBe("frozen");
      h.clock.advanceHours(itFreezeReminders.policy!.everyHours);
      expect(await sweep()).toMatchObject({ reminded: 0, closed: 1 });
    });
  });

  describe("deletions, keywords, rate limits, false positives and restarts", () => {
    let h: AlertsHarness;
    beforeAll(async () => {
      h = await startAlertsHarness();
    });
    afterAll(() => h.close());

    it("a burst of deletions raises one alert", async () => {
      for (const parent of PARENTS.slice(0, 15)) {
        h.clock.advance(20_000);
        await h.dispatch(deletion(h, parent));
      }
      const alerts = await alertsOf(h, "mass_deletion");
      expect(alerts).toHaveLength(1);
      expect(alerts[0].staff_userid).toBe("teacher_b");
      expect(alerts[0].parents).toHaveLength(15);
    });

    it("a keyword hit raises an alert, and the keyword rule exists as a WeCom intercept rule", async () => {
      h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[3]!, content: "这家就是黑心机构，加我私人电话13812345678" });
      await h.archive();
      const alerts = await alertsOf(h, "sensitive_content");
      expect(alerts).toHaveLength(1);
      expect(alerts[0].reasons).toEqual(expect.arrayContaining(["关键词「黑心机构」", "手机号 138****5678"]));

      const settings = (await loadBranchSettings(h.dataSource.manager, 2))!;
      const pushed = await syncInterceptRules(h, settings);
      expect(pushed).toHaveLength(1);
      const rule = h.sandbox.state.interceptRules.find((r) => r.ruleId === pushed[0]!.wecomRuleId)!;
      expect(rule).toMatchObject({ ruleName: "诋毁机构", wordList: ["退费骗局", "黑心机构"], semanticsList: [1], interceptType: 1, departmentList: [2] });
      // Saving the same rules again pushes nothing new.
      expect((await syncInterceptRules(h, settings)).map((p) => p.pushed)).toEqual([false]);
      expect(h.sandbox.state.interceptRules).toHaveLength(1);
    });

    it("a webhook rate limit delays alerts but never drops them", async () => {
      await h.outbox.drain();
      // The intercept rule pushed above would stop these on the phone (as WeCom does); this test is about the robot.
      h.sandbox.state.interceptRules.splice(0);
      for (let i = 0; i < 25; i++) {
        h.clock.advance(61 * 60_000); // past the cooldown: a new incident each time
        h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[i % 40]!, content: `第${i}次：退费骗局` });
      }
      await h.archive();
      const keywordAlerts = (await alertsOf(h, "sensitive_content")).slice(-25);
      expect(keywordAlerts).toHaveLength(25);

      // Someone else uses up this robot's minute: WeCom answers 45009.
      for (let i = 0; i < 20; i++) await h.client.robot.sendMarkdown(`其他系统消息${i}`, ROBOT);
      h.sandbox.state.webhookMessages.splice(0);
      await h.outbox.drain();
      const [limited] = await h.dataSource.query(`SELECT count(*)::int AS n FROM wecom_outbox_attempt WHERE channel = 'robot' AND errcode = 45009`);
      expect(limited.n).toBeGreaterThan(0);
      const [waiting] = await h.dataSource.query(`SELECT count(*)::int AS n FROM wecom_outbox WHERE channel = 'robot' AND sent_at IS NULL AND failed_at IS NULL`);
      expect(waiting.n).toBe(25);
      expect(h.sandbox.state.webhookMessages).toHaveLength(0);

      h.clock.advance(61_000);
      await h.outbox.drain();
      const [left] = await h.dataSource.query(`SELECT count(*)::int AS n FROM wecom_outbox WHERE sent_at IS NULL`);
      expect(left.n).toBe(0);
      // The backlog went out combined: fewer messages than alerts, every alert in one of them.
      expect(h.sandbox.state.webhookMessages.length).toBeLessThan(25);
      const text = h.sandbox.state.webhookMessages.map((w) => JSON.stringify(w.body)).join("\n");
      for (const a of keywordAlerts) expect(text).toContain(`/console/alerts/${a.id})`);
    });

    it("a false-positive mark is recorded (who, when, why) and changes no rule", async () => {
      const [alert] = await alertsOf(h, "sensitive_content");
      const before = await loadBranchSettings(h.dataSource.manager, 2);
      await h.dispatch(click("hr_bj", alert.id, "false_positive"));
      const actions = await h.dataSource.query(`SELECT action, actor_userid, via, reason, at FROM alert_action WHERE alert_id = $1`, [alert.id]);
      expect(actions).toEqual([{ action: "false_positive", actor_userid: "hr_bj", via: "card", reason: "卡片标记误报", at: h.clock.now() }]);
      expect((await alertsOf(h, "sensitive_content"))[0].status).toBe("false_positive");
      expect((await loadBranchSettings(h.dataSource.manager, 2))!.version).toBe(before!.version);
    });

    it("messages stored while the detector was down are detected after a restart", async () => {
      await h.alerts.consumer!.stop();
      const fanoutMissed = h.alerts.consumer!;
      for (let i = 0; i < 30; i++) {
        h.clock.advance(5_000);
        h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[i]!, content: SLANDER });
      }
      await h.archive(); // stored; nobody listening
      expect(await alertsOf(h, "mass_messaging")).toHaveLength(0);
      fanoutMissed.start();
      await new Promise((r) => setTimeout(r, 10));
      await fanoutMissed.idle();
      const alerts = await alertsOf(h, "mass_messaging");
      expect(alerts).toHaveLength(1);
      expect(alerts[0].parents).toHaveLength(30);
    });

    it("the detector's next batch waits for the outbox's pass over the alerts a batch raised (the card goes first)", async () => {
      let passEnded!: () => void;
      const outboxPass = new Promise<void>((resolve) => (passEnded = resolve));
      const waits = jest.spyOn(h.outbox, "wakeAndWait").mockReturnValue(outboxPass);
      const cursor = async () => Number((await h.dataSource.query(`SELECT last_seq FROM risk_cursor WHERE name = 'archive'`))[0].last_seq);
      const published: ArchivedChat[] = [];
      const unsubscribe = h.ingest.fanout.subscribe((chat) => void published.push(chat));
      try {
        h.clock.advance(2 * 3_600_000);
        h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[7]!, content: "这家就是黑心机构，别再报名了" });
        await drainArchive(h.ingest);
        for (let i = 0; i < 400 && waits.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
        expect(waits).toHaveBeenCalledTimes(1);
        const alerting = published[0]!;
        expect(await alertsOf(h, "sensitive_content")).toEqual(expect.arrayContaining([expect.objectContaining({ staff_userid: "teacher_a", hit_msgids: [alerting.message.msgid] })]));

        h.sandbox.actors.chat({ from: "teacher_a", to: PARENTS[8]!, content: "明天的课照常" });
        await drainArchive(h.ingest);
        expect(published).toHaveLength(2);
        await new Promise((r) => setTimeout(r, 50));
        expect(await cursor()).toBe(alerting.seq);

        passEnded();
        await h.alerts.consumer!.idle();
        expect(await cursor()).toBe(published[1]!.seq);
        expect(waits).toHaveBeenCalledTimes(1);
        expect(waits).toHaveBeenCalledWith(200);
      } finally {
        unsubscribe();
        passEnded();
        waits.mockRestore();
      }
    });

    it("a message the fan-out delivers again changes nothing; delivered again beside a new one, only the new one is detected", async () => {
      const delivered: ArchivedChat[] = [];
      const unsubscribe = h.ingest.fanout.subscribe((chat) => void delivered.push(chat));
      h.clock.advance(60_000);
      h.sandbox.actors.chat({ from: "teacher_b", to: PARENTS[0]!, content: "明天的课改到下午三点，请准时到校" });
      await h.archive();
      unsubscribe();
      expect(delivered).toHaveLength(1);
      const old = delivered[0]!;
      const position = async () => ({
        cursor: Number((await h.dataSource.query(`SELECT last_seq FROM risk_cursor WHERE name = 'archive'`))[0].last_seq),
        version: (await h.dataSource.query(`SELECT version FROM risk_staff_state WHERE staff_userid = 'teacher_b'`))[0].version as string,
        window: ((await h.dataSource.query(`SELECT msgid FROM risk_window_message WHERE staff_userid = 'teacher_b' ORDER BY at_ms, ord`)) as { msgid: string }[]).map((r) => r.msgid),
      });
      const before = await position();
      expect(before.cursor).toBe(old.seq);
      expect(before.window[before.window.length - 1]).toBe(old.message.msgid);

      h.ingest.fanout.publish([old]);
      await h.alerts.consumer!.idle();
      expect(await position()).toEqual(before);

      const next: ArchivedChat = { ...old, seq: old.seq + 10, message: { ...old.message, msgid: "redelivered_beside" } };
      h.ingest.fanout.publish([old, next]);
      await h.alerts.consumer!.idle();
      const after = await position();
      expect(after.cursor).toBe(old.seq + 10);
      expect(after.version).not.toBe(before.version);
      expect(after.window).toEqual([...before.window, "redelivered_beside"]);
    });

    it("a burst of deletions handled in one inbox transaction raises the same one alert, in a few statements for all of them", async () => {
      h.clock.advance(3 * 3_600_000); // past the first burst's cooldown
      const before = (await alertsOf(h, "mass_deletion")).length;
      const burst = PARENTS.slice(20, 35).map((parent) => {
        h.clock.advance(20_000);
        return deletion(h, parent);
      });
      const afterCommit: (() => void)[] = [];
      const statements = await h.dataSource.transaction(async (manager) => {
        const query = jest.spyOn(manager, "query");
        const common = { manager, log: silentLogger(), afterCommit: (fn: () => void) => void afterCommit.push(fn), shared: <T>(_k: string, load: () => Promise<T>) => load() };
        await h.dispatcher.handleTogether(burst.map((event, i) => ({ kind: "change_external_contact:del_external_contact", event, ctx: { ...common, inboxId: `b${i}` } })), common);
        return query.mock.calls.length;
      });
      for (const fn of afterCommit) fn();
      const alerts = (await alertsOf(h, "mass_deletion")).slice(before);
      expect(alerts).toHaveLength(1);
      expect(alerts[0].parents).toEqual(PARENTS.slice(20, 35));
      // Staff facts with the risk state locked, the alert and its two notifications, the incident's last snapshot, the state saved.
      expect(statements).toBe(6);
    });
  });
});
