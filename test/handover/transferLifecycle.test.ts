import { registerTransferEvents } from "../../src/handover/transfers/transferEvents";
import { eventKind } from "../../src/wecom/events/eventKind";
import { InboxDispatcher } from "../../src/wecom/inbox/dispatcher";
import { reassignmentFacts } from "../../src/handover/reassignmentFacts";
import { silentLogger } from "../../src/platform/logger";
import { parseEvent } from "../../src/wecom/events/parseEvent";
import { openCallback, startReceiver } from "../sandbox/support";
import { leaverLeaves, PATHS, startHarness, type Harness } from "./harness";

// The crash between WeCom's answer and our commit is a real killed process: transferCrash.test.ts.

describe("refusals and over-limit outcomes", () => {
  let h: Harness;
  beforeAll(async () => {
    // t_c already has 3 parents; the cap drops to 3 while the transfer waits, so the parent of C2 cannot go to t_c.
    h = await startHarness(
      { c1: ["wm_1", "wm_2"], c2: ["wm_3"] },
      { follows: ["wm_x1", "wm_x2", "wm_x3"].map((externalUserId) => ({ userid: "t_c", externalUserId })) },
    );
    await leaverLeaves(h);
  }, 60_000);
  afterAll(() => h.close());

  it("reach HR in one app message listing the parents and reasons, recorded with its msgid", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    h.sandbox.state.limits.customerCap = 3;
    await h.sandbox.actors.refuseTransfer("wm_1");
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    await h.run();
    const rows = await h.db.dataSource.query(`SELECT external_userid, status FROM customer_transfer ORDER BY 1`);
    expect(rows).toEqual([
      { external_userid: "wm_1", status: "refused" },
      { external_userid: "wm_2", status: "done" },
      { external_userid: "wm_3", status: "successor_over_limit" },
    ]);
    const sends = h.sandbox.calls.callsTo(PATHS.send);
    expect(sends).toHaveLength(1);
    const body = sends[0]!.body as { touser: string; markdown: { content: string } };
    expect(body.touser).toBe("hr_a");
    // Names and what to do next; never an internal id.
    expect(body.markdown.content).toContain("家长wm_1 → 王老师：家长拒绝了转接。请接替老师主动联系并添加该家长");
    expect(body.markdown.content).toContain("家长wm_3 → 刘老师：接替老师的客户数已达上限，转接未完成。请在「交接方案」中为该家长另选接替老师后重新转接");
    expect(body.markdown.content).not.toMatch(/teacher_a|t_b|t_c|（\d{5}）/);
    const [notice] = await h.db.dataSource.query(`SELECT state, recipients, msgid, errcode FROM transfer_notification WHERE kind = 'hr_problems'`);
    expect(notice).toEqual({ state: "sent", recipients: ["hr_a"], msgid: expect.any(String), errcode: 0 });

    const facts = await reassignmentFacts(h.db.dataSource.manager, "teacher_a");
    expect(facts.parentsTransferred).toBe(1);
    expect(facts.problems.map((p) => p.id)).toEqual(["wm_1", "wm_3"]);
    // Reported once: a later pass does not alert again.
    await h.run();
    expect(h.sandbox.calls.callsTo(PATHS.send)).toHaveLength(1);
  }, 60_000);
});

describe("callbacks drive the state", () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness({ c1: ["wm_1"], c2: ["wm_2"] }, {}, { callbackUrl: receiver.url });
    await leaverLeaves(h);
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  // Events reach the handlers as the inbox routes them: by kind, through the dispatcher.
  const dispatcher = new InboxDispatcher();
  registerTransferEvents(dispatcher);
  const deliver = async () => {
    await h.sandbox.callbacks.idle();
    const events = receiver.received.splice(0).map((r) => parseEvent(openCallback(r).xml));
    for (const event of events) {
      await h.db.dataSource.transaction(async (manager) => {
        const ctx = { manager, inboxId: "1", log: silentLogger(), afterCommit: () => undefined, shared: <T,>(_key: string, load: () => Promise<T>) => load() };
        await dispatcher.handlerFor(eventKind(event))?.(event, ctx);
      });
    }
    return events;
  };

  it("add_external_contact by the successor is success, transfer_fail is failure, and late reports never move a final state", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    await deliver();
    await h.sandbox.actors.refuseTransfer("wm_2");
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    await deliver();
    const states = async () => h.db.dataSource.query(`SELECT external_userid, status FROM customer_transfer ORDER BY 1`);
    expect(await states()).toEqual([
      { external_userid: "wm_1", status: "done" },
      { external_userid: "wm_2", status: "refused" },
    ]);
    // A duplicated, out-of-order transfer_fail for the done parent changes nothing; nor does the poll.
    const late = parseEvent(
      `<xml><ToUserName>c</ToUserName><FromUserName>sys</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>change_external_contact</Event>` +
        `<ChangeType>transfer_fail</ChangeType><UserID>t_b</UserID><ExternalUserID>wm_1</ExternalUserID><FailReason>customer_refused</FailReason></xml>`,
    );
    await h.db.dataSource.transaction(async (manager) => dispatcher.handlerFor(eventKind(late))?.(late, { manager, inboxId: "2", log: silentLogger(), afterCommit: () => undefined, shared: <T,>(_key: string, load: () => Promise<T>) => load() }));
    await h.run();
    expect(await states()).toEqual([
      { external_userid: "wm_1", status: "done" },
      { external_userid: "wm_2", status: "refused" },
    ]);
  }, 60_000);
});

describe("group chats", () => {
  let h: Harness;
  const chats = Array.from({ length: 350 }, (_, i) => `wr_${String(i).padStart(3, "0")}`);
  beforeAll(async () => {
    h = await startHarness({ c1: [], c2: [] }, { groupChats: chats.map((chatId) => ({ chatId, owner: "teacher_a" })) });
    await leaverLeaves(h);
  }, 60_000);
  afterAll(() => h.close());

  it("350 groups of a leaver go 300 today and 50 the next China day, in calls of ≤ 100", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    const planned = await h.db.dataSource.query(`SELECT planned_day::text AS day, count(*)::int AS n FROM group_transfer GROUP BY 1 ORDER BY 1`);
    expect(planned).toEqual([{ day: "2026-03-02", n: 300 }, { day: "2026-03-03", n: 50 }]);
    await h.run();
    const today = h.sandbox.calls.callsTo(PATHS.groupResigned);
    expect(today.map((c) => (c.body as { chat_id_list: string[] }).chat_id_list.length)).toEqual([100, 100, 100]);
    expect((await reassignmentFacts(h.db.dataSource.manager, "teacher_a")).groupsTransferred).toBe(300);

    h.clock.advanceHours(6); // still 2026-03-02 in China
    await h.run();
    expect(h.sandbox.calls.callsTo(PATHS.groupResigned)).toHaveLength(3);
    h.clock.set("2026-03-03T00:00:01+08:00");
    await h.run();
    const all = h.sandbox.calls.callsTo(PATHS.groupResigned);
    expect(all).toHaveLength(4);
    expect((all[3]!.body as { chat_id_list: string[] }).chat_id_list).toHaveLength(50);
    const facts = await reassignmentFacts(h.db.dataSource.manager, "teacher_a");
    expect(facts).toMatchObject({ groupsTotal: 350, groupsTransferred: 350, problems: [] });
    expect(new Set([...h.sandbox.state.groupChats.values()].map((g) => g.owner)).size).toBe(1);
  }, 60_000);
});

describe("on-job reassignment before the last day", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ c1: ["wm_1", "wm_q"], c2: ["wm_2"] });
  }, 60_000);
  afterAll(() => h.close());

  it("needs a confirmed plan, respects the 2-per-90-days quota and carries the transfer message", async () => {
    await h.reassignments.preparePlan("teacher_a");
    await expect(h.reassignments.startOnJobReassignment("teacher_a")).rejects.toThrow("尚未确认");
    await h.db.dataSource.query(`UPDATE reassignment_plan SET state = 'confirmed'`);
    // wm_q was already transferred on-job twice in the last 90 days (by other leavers).
    const now = h.clock.now();
    for (const [days, leaver] of [[30, "old_1"], [10, "old_2"]] as const) {
      await h.db.dataSource.query(
        `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, requested_at, updated_at) VALUES ($1, 'x', 'wm_q', 'on_job', 'done', $2, $2)`,
        [leaver, new Date(now.getTime() - days * 86_400_000)],
      );
    }
    const result = await h.reassignments.startOnJobReassignment("teacher_a");
    expect(result).toMatchObject({ parentsQueued: 2, parentsWaitingForQuota: 1 });
    await h.run();
    const calls = h.sandbox.calls.callsTo(PATHS.onJob);
    expect(calls).toHaveLength(2);
    const sent = calls.flatMap((c) => (c.body as { external_userid: string[] }).external_userid).sort();
    expect(sent).toEqual(["wm_1", "wm_2"]);
    expect((calls[0]!.body as { transfer_success_msg: string }).transfer_success_msg).toContain("老师");
    const [held] = await h.db.dataSource.query(`SELECT status, retryable, next_attempt_at FROM customer_transfer WHERE leaver_userid = 'teacher_a' AND external_userid = 'wm_q'`);
    // Frees when the older of the two (30 days ago) is 90 days old: 60 days from now.
    expect(held).toEqual({ status: "failed", retryable: true, next_attempt_at: new Date(now.getTime() + 60 * 86_400_000) });

    // On the last day the held parent goes through the resigned endpoint instead; the waiting ones are not sent again.
    await leaverLeaves(h);
    const last = await h.reassignments.startResignedReassignment("teacher_a");
    expect(last.parentsQueued).toBe(1);
    await h.run();
    const resigned = h.sandbox.calls.callsTo(PATHS.resigned);
    expect(resigned.map((c) => (c.body as { external_userid: string[] }).external_userid)).toEqual([["wm_q"]]);
  }, 60_000);
});
