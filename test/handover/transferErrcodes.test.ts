import { leaverLeaves, PATHS, startHarness, type Harness } from "./harness";

/**
 * Every transfer errcode WeCom documents for these calls (meanings: xen0n/go-workwx errcodes/mod.go, from
 * Tencent's path/90313), through our client and the sandbox, with what HR ends up reading.
 * Parents of class C1 go to 王老师 (t_b), of C2 to 刘老师 (t_c).
 */
type Row = { external_userid: string; status: string; retryable: boolean; errcode: number | null; failure_reason: string | null; retry_after: Date | null };

async function rows(h: Harness): Promise<Record<string, Row>> {
  const list: Row[] = await h.db.dataSource.query(
    `SELECT external_userid, status, retryable, errcode, failure_reason, retry_after FROM customer_transfer WHERE superseded_at IS NULL ORDER BY id`,
  );
  return Object.fromEntries(list.map((r) => [r.external_userid, r]));
}

/** The HR message's lines, as HR reads them. */
function hrLines(h: Harness): string[] {
  return h.sandbox.calls
    .callsTo(PATHS.send)
    .flatMap((c) => ((c.body as { markdown?: { content: string } }).markdown?.content ?? "").split("\n"))
    .filter((l) => l.startsWith("- "));
}

describe("customer transfer errcodes, resigned endpoint", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      { c1: ["wm_ok", "wm_gone", "wm_other", "wm_moving"], c2: ["wm_full"] },
      {
        externalContacts: [{ externalUserId: "wm_other" }],
        follows: [
          // 刘老师 is at the cap (set below) before anything starts: 40099 for C2's parent.
          ...["wm_c1", "wm_c2"].map((externalUserId) => ({ userid: "t_c", externalUserId })),
        ],
      },
    );
    await leaverLeaves(h);
    // 40131: wm_other is no longer the leaver's customer (moved to someone else meanwhile).
    h.sandbox.state.removeFollow("teacher_a", "wm_other");
    h.sandbox.state.seed({ follows: [{ userid: "hr_a", externalUserId: "wm_other" }] });
    // 84061: the parent deleted the leaver.
    await h.sandbox.actors.parentDeletesTeacher("wm_gone", "teacher_a");
    // 40100: an inheritance to someone else is already running (started in the admin console).
    h.sandbox.actors.adminTransfersCustomers("resigned", "teacher_a", "hr_a", ["wm_moving"]);
    h.sandbox.state.limits.customerCap = 2;
  }, 60_000);
  afterAll(() => h.close());

  it("starts what can start and tells HR, by name, what to do for the rest", async () => {
    await h.reassignments.startResignedReassignment("teacher_a", { parentIds: ["wm_ok", "wm_gone", "wm_other", "wm_moving", "wm_full"] });
    await h.run();
    const r = await rows(h);
    expect(r.wm_ok).toMatchObject({ status: "waiting", errcode: 0 });
    expect(r.wm_moving).toMatchObject({ status: "waiting", errcode: 40100 });
    expect(r.wm_gone).toMatchObject({ status: "failed", retryable: false, errcode: 84061, failure_reason: "原老师与该家长已没有好友关系。无需再转接；如家长仍需联系，请由接替老师主动添加该家长" });
    expect(r.wm_other).toMatchObject({ status: "failed", retryable: false, errcode: 40131 });
    expect(r.wm_full).toMatchObject({ status: "failed", retryable: false, errcode: 40099 });
    expect(hrLines(h)).toEqual([
      "- 家长wm_gone → 王老师：原老师与该家长已没有好友关系。无需再转接；如家长仍需联系，请由接替老师主动添加该家长",
      "- 家长wm_other → 王老师：该家长已不是原老师的客户（可能已被删除或已转给他人）。无需再转接；如家长仍需联系，请由接替老师主动添加该家长",
      "- 家长wm_full → 刘老师：接替老师的客户数已达上限。请在「交接方案」中为该家长另选接替老师后重新转接",
    ]);
  }, 60_000);

  it("40100: a transfer to someone else already running is waited for, then found in nobody's list and retried: 40131 reaches HR", async () => {
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    await h.run();
    expect((await rows(h)).wm_ok).toMatchObject({ status: "done" });
    expect((await rows(h)).wm_moving).toMatchObject({ status: "waiting" });
    // 24 h after its takeover time our pair's list still has no record of it: it did not land; the retry learns why.
    h.clock.advanceHours(25);
    await h.run();
    h.clock.advanceHours(1);
    await h.run();
    expect((await rows(h)).wm_moving).toMatchObject({ status: "failed", retryable: false, errcode: 40131 });
    expect(hrLines(h).at(-1)).toBe("- 家长wm_moving → 王老师：该家长已不是原老师的客户（可能已被删除或已转给他人）。无需再转接；如家长仍需联系，请由接替老师主动添加该家长");
  }, 60_000);
});

describe("customer transfer errcodes about the takeover member", () => {
  it.each([
    ["40098 成员尚未实名认证", (h: Harness) => void (h.sandbox.state.users.get("t_b")!.realNameVerified = false), 40098, "接替老师尚未在企业微信完成实名认证。请接替老师完成实名认证，或在「交接方案」中为该家长另选接替老师后重新转接"],
    ["41054 该用户尚未激活", (h: Harness) => void (h.sandbox.state.users.get("t_b")!.status = 4), 41054, "接替老师的企业微信账号不可用（未激活、已删除、被封禁或不在应用可见范围）。请在「交接方案」中为该家长另选接替老师后重新转接"],
  ])("%s: final, HR picks another successor", async (_label, setUp, errcode, text) => {
    const h = await startHarness({ c1: ["wm_1"], c2: [] });
    try {
      await leaverLeaves(h);
      setUp(h);
      await h.reassignments.startResignedReassignment("teacher_a");
      await h.run();
      expect((await rows(h)).wm_1).toMatchObject({ status: "failed", retryable: false, errcode, failure_reason: text });
      expect(hrLines(h)).toEqual([`- 家长wm_1 → 王老师：${text}`]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it("40097 该成员尚未离职: retried with backoff while WeCom catches up, then HR is told what to check", async () => {
    const h = await startHarness({ c1: ["wm_1"], c2: [] });
    try {
      // Our mirror says left, WeCom does not yet.
      await h.db.dataSource.query(`UPDATE staff SET status = 5, left_at = now() WHERE userid = 'teacher_a'`);
      await h.reassignments.startResignedReassignment("teacher_a");
      await h.run();
      expect((await rows(h)).wm_1).toMatchObject({ status: "failed", retryable: true, errcode: 40097, failure_reason: "企业微信尚未显示原老师已离职。系统会自动重试" });
      for (let i = 0; i < 6; i++) {
        h.clock.advanceHours(7);
        await h.run();
      }
      expect((await rows(h)).wm_1).toMatchObject({
        status: "failed",
        retryable: false,
        failure_reason: "企业微信尚未显示原老师已离职，已自动重试5次仍未成功。请确认已在企业微信通讯录中删除该老师，再在「交接方案」中重新转接",
      });
      expect(hrLines(h)).toHaveLength(1);
      expect(h.sandbox.calls.callsTo(PATHS.resigned)).toHaveLength(5);
    } finally {
      await h.close();
    }
  }, 60_000);

  it("40128 客户转接过于频繁: retried only when the 90-day window opens, at that date", async () => {
    const h = await startHarness({ c1: ["wm_q"], c2: [] });
    try {
      h.sandbox.state.seed({ users: [{ userid: "x1", departments: [2] }, { userid: "x2", departments: [2] }] });
      // Two on-job transfers in the admin console, which our history does not know.
      const admin = h.sandbox.actors.adminTransfersCustomers;
      expect(admin("onjob", "teacher_a", "x1", ["wm_q"])).toEqual([{ external_userid: "wm_q", errcode: 0 }]);
      h.clock.advanceHours(24);
      await h.sandbox.tick();
      expect(admin("onjob", "x1", "x2", ["wm_q"])).toEqual([{ external_userid: "wm_q", errcode: 0 }]);
      h.clock.advanceHours(24);
      await h.sandbox.tick();
      // The parent is back with the leaver (re-added by hand); WeCom still counts the two transfers within 90 days.
      h.sandbox.state.removeFollow("x2", "wm_q");
      h.sandbox.state.seed({ follows: [{ userid: "teacher_a", externalUserId: "wm_q" }] });
      h.clock.advanceHours(24);
      await h.sandbox.tick();
      await h.reassignments.preparePlan("teacher_a", { parentIds: ["wm_q"] });
      await h.db.dataSource.query(`UPDATE reassignment_plan SET state = 'confirmed'`);
      await h.reassignments.startOnJobReassignment("teacher_a");
      const now = h.clock.now();
      await h.run();
      const row = (await rows(h)).wm_q!;
      expect(row).toMatchObject({ status: "failed", retryable: true, errcode: 40128, failure_reason: "该家长90天内已被在职转接2次。系统会在可再次转接的当天自动重试" });
      expect(row.retry_after).toEqual(new Date(now.getTime() + 90 * 86_400_000));
      // No short-backoff retries in between.
      for (let i = 0; i < 5; i++) {
        h.clock.advanceDays(10);
        await h.run();
      }
      expect(h.sandbox.calls.callsTo(PATHS.onJob)).toHaveLength(1);
      expect(hrLines(h)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});

describe("transfer_result without an add_external_contact event", () => {
  it("confirms by polling a successor who was already the parent's friend", async () => {
    const h = await startHarness({ c1: ["wm_1"], c2: [] }, { follows: [{ userid: "t_b", externalUserId: "wm_1" }] });
    try {
      await leaverLeaves(h);
      await h.reassignments.startResignedReassignment("teacher_a");
      await h.run();
      h.clock.advanceHours(24);
      await h.sandbox.tick();
      expect(h.sandbox.callbacks.deliveriesOf("change_external_contact/add_external_contact")).toEqual([]);
      await h.run();
      expect((await rows(h)).wm_1).toMatchObject({ status: "done" });
    } finally {
      await h.close();
    }
  }, 60_000);
});

describe("group transfer errcodes (go-workwx errcodes/mod.go 90500–90508)", () => {
  type GroupRow = { chat_id: string; status: string; errcode: number | null; errmsg: string | null; chat_name: string | null };
  const groups = async (h: Harness): Promise<Record<string, GroupRow>> =>
    Object.fromEntries(
      ((await h.db.dataSource.query(`SELECT chat_id, status, errcode, errmsg, chat_name FROM group_transfer ORDER BY chat_id`)) as GroupRow[]).map((g) => [g.chat_id, g]),
    );

  it("90503 full group → HR acts on the phone; 90504/90508 → the owner decides; 90507 → waits for the inheritance running", async () => {
    const wechat = Array.from({ length: 99 }, (_, i) => ({ userid: `wm_f${i}`, type: 2 as const }));
    const h = await startHarness({ c1: [], c2: [] }, {
      groupChats: [
        { chatId: "wr_full", name: "三年二班家长群", owner: "teacher_a", members: [{ userid: "teacher_a" }, ...wechat] },
        { chatId: "wr_mine", name: "一班家长群", owner: "teacher_a", members: [{ userid: "teacher_a" }] },
        { chatId: "wr_theirs", name: "二班家长群", owner: "teacher_a", members: [{ userid: "teacher_a" }] },
        { chatId: "wr_running", name: "兴趣班家长群", owner: "teacher_a", members: [{ userid: "teacher_a" }] },
      ],
    });
    try {
      await leaverLeaves(h);
      await h.reassignments.preparePlan("teacher_a");
      const [{ successor }] = await h.db.dataSource.query(`SELECT DISTINCT successor_userid AS successor FROM reassignment_item WHERE kind = 'group'`);
      const [{ name: successorName }] = await h.db.dataSource.query(`SELECT name FROM staff WHERE userid = $1`, [successor]);
      await h.reassignments.startResignedReassignment("teacher_a");
      // Between planning and our call: HR moved one group to our successor, another to HR herself, and one is still moving.
      h.sandbox.state.groupChatTransfers.push({ chatId: "wr_mine", kind: "resigned", from: "teacher_a", to: successor, at: h.clock.now() });
      h.sandbox.state.groupChats.get("wr_mine")!.owner = successor;
      h.sandbox.state.groupChatTransfers.push({ chatId: "wr_theirs", kind: "resigned", from: "teacher_a", to: "hr_a", at: h.clock.now() });
      h.sandbox.state.groupChats.get("wr_theirs")!.owner = "hr_a";
      h.sandbox.actors.adminStartsGroupInheritance("wr_running", successor);
      await h.run();
      let g = await groups(h);
      expect(g.wr_mine).toMatchObject({ status: "done" });
      expect(g.wr_full).toMatchObject({ status: "failed", errcode: 90503, chat_name: "三年二班家长群", errmsg: "群内微信用户已满99人，企业微信不允许自动转移。请新群主在企业微信手机端打开该群，按提示确认接收群主" });
      expect(g.wr_theirs).toMatchObject({ status: "failed", errcode: 90508, errmsg: "该群已由人事A接手，未转给计划中的新群主。如需更换群主，请在企业微信管理后台「客户联系 - 离职继承/在职继承」中手动转移" });
      expect(g.wr_running).toMatchObject({ status: "planned", errcode: 90507 });
      expect(hrLines(h)).toEqual([
        `- 群聊「三年二班家长群」 → ${successorName}：群内微信用户已满99人，企业微信不允许自动转移。请新群主在企业微信手机端打开该群，按提示确认接收群主`,
        `- 群聊「二班家长群」 → ${successorName}：该群已由人事A接手，未转给计划中的新群主。如需更换群主，请在企业微信管理后台「客户联系 - 离职继承/在职继承」中手动转移`,
      ]);

      // The console inheritance finishes; the retry an hour later answers 90504/90508 and the owner check counts it done.
      await h.sandbox.actors.adminGroupInheritanceDone("wr_running");
      h.clock.advanceHours(1);
      await h.run();
      g = await groups(h);
      expect(g.wr_running).toMatchObject({ status: "done" });
    } finally {
      await h.close();
    }
  }, 60_000);
});
