import type { SeedInput } from "../../src/sandbox/state/seed";
import { BASE_SEED, startTestSandbox, type TestSandbox } from "./support";

describe("sandbox directory and external contacts", () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.sandbox.stop());

  it("reads members and departments without the fields WeCom hides since 2022", async () => {
    const user = await t.api.get("contact", "/cgi-bin/user/get", { userid: "teacher_a" });
    expect(user).toMatchObject({ errcode: 0, userid: "teacher_a", name: "张老师", department: [2], status: 1 });
    expect(user.mobile).toBeUndefined();
    expect((await t.api.get("agent", "/cgi-bin/user/get", { userid: "ghost" })).errcode).toBe(60111);
    // Pins: fetch_child is no longer honoured, a list holds a department's direct members only
    // (developer.work.weixin.qq.com/document/path/96259, path/96260).
    const ids = (reply: { userlist: { userid: string }[] }) => reply.userlist.map((u) => u.userid).sort();
    expect(ids(await t.api.get("agent", "/cgi-bin/user/simplelist", { department_id: "1", fetch_child: "1" }))).toEqual(["hr"]);
    expect(ids(await t.api.get("agent", "/cgi-bin/user/list", { department_id: "1", fetch_child: "1" }))).toEqual(["hr"]);
    expect(ids(await t.api.get("agent", "/cgi-bin/user/list", { department_id: "2" }))).toEqual(["teacher_a", "teacher_b", "teacher_c"]);
    // Pins: a member HR deleted vanishes from every list and user/get answers 60111 (path/90313).
    await t.sandbox.actors.memberLeaves("teacher_b");
    expect(ids(await t.api.get("agent", "/cgi-bin/user/list", { department_id: "2" }))).toEqual(["teacher_a", "teacher_c"]);
    expect((await t.api.get("agent", "/cgi-bin/user/get", { userid: "teacher_b" })).errcode).toBe(60111);
    expect((await t.api.get("agent", "/cgi-bin/department/list", {})).department).toHaveLength(2);
    expect((await t.api.get("agent", "/cgi-bin/department/simplelist", { id: "2" })).department_id).toEqual([{ id: 2, parentid: 1, order: 0 }]);
    expect((await t.api.get("agent", "/cgi-bin/department/get", { id: "9" })).errcode).toBe(60123);
  });

  it("gets a customer with follow_user, lists a member's customers, and batch-reads by member", async () => {
    const got = await t.api.get("customer", "/cgi-bin/externalcontact/get", { external_userid: "wm_parent_1" });
    expect(got.external_contact).toMatchObject({ external_userid: "wm_parent_1", type: 1 });
    expect(got.follow_user).toEqual([expect.objectContaining({ userid: "teacher_a", tags: [] })]);
    expect(got.next_cursor).toBeUndefined();
    expect((await t.api.get("customer", "/cgi-bin/externalcontact/get", { external_userid: "wm_nobody" })).errcode).toBe(40096);
    expect((await t.api.get("customer", "/cgi-bin/externalcontact/list", { userid: "teacher_a" })).external_userid).toHaveLength(3);
    expect((await t.api.get("customer", "/cgi-bin/externalcontact/list", { userid: "teacher_b" })).errcode).toBe(84061);

    const page1 = await t.api.post("customer", "/cgi-bin/externalcontact/batch/get_by_user", { userid_list: ["teacher_a"], limit: 2 });
    expect(page1.external_contact_list).toHaveLength(2);
    expect(page1.external_contact_list[0].follow_info).toMatchObject({ userid: "teacher_a", tag_id: [] });
    const page2 = await t.api.post("customer", "/cgi-bin/externalcontact/batch/get_by_user", { userid_list: ["teacher_a"], limit: 2, cursor: page1.next_cursor });
    expect(page2.external_contact_list).toHaveLength(1);
    expect(page2.next_cursor).toBe("");
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/batch/get_by_user", { userid_list: tooMany })).errcode).toBe(40058);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/batch/get_by_user", { userid_list: ["teacher_a"], limit: 101 })).errcode).toBe(40058);
  });

  it("validates intercept rules, caps them at 100 and keeps them readable", async () => {
    const rule = { rule_name: "禁止私下收费", word_list: ["转账", "私教"], semantics_list: [1, 3], intercept_type: 1, applicable_range: { user_list: ["teacher_a"], department_list: [2] } };
    const res = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", rule);
    expect(res).toMatchObject({ errcode: 0, rule_id: expect.any(String) });
    expect(t.sandbox.state.interceptRules[0]).toMatchObject({ ruleId: res.rule_id, wordList: ["转账", "私教"], interceptType: 1 });
    const bad = (patch: object) => t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", { ...rule, ...patch });
    expect((await bad({ rule_name: "名".repeat(21) })).errcode).toBe(40058);
    expect((await bad({ word_list: ["x".repeat(33)] })).errcode).toBe(40058);
    expect((await bad({ semantics_list: [4] })).errcode).toBe(40058);
    expect((await bad({ intercept_type: 3 })).errcode).toBe(40058);
    expect((await bad({ applicable_range: {} })).errcode).toBe(40058);
    for (let i = 1; i < 100; i++) expect((await bad({ rule_name: `规则${i}` })).errcode).toBe(0);
    expect((await bad({ rule_name: "第101条" })).errcode).toBe(40204);
  });

  it("creates mass-message tasks that send only when the member confirms, one per customer per day", async () => {
    const body = { chat_type: "single", external_userid: ["wm_parent_1", "wm_stranger"], sender: "teacher_a", text: { content: "通知" } };
    const res = await t.api.post("customer", "/cgi-bin/externalcontact/add_msg_template", body);
    expect(res).toMatchObject({ errcode: 0, fail_list: ["wm_stranger"], msgid: expect.any(String) });
    expect(t.sandbox.state.msgTemplates.get(res.msgid)!.deliveredTo).toEqual([]);
    expect(t.sandbox.actors.confirmMsgTemplate(res.msgid).deliveredTo).toEqual(["wm_parent_1"]);
    const second = await t.api.post("customer", "/cgi-bin/externalcontact/add_msg_template", body);
    expect(t.sandbox.actors.confirmMsgTemplate(second.msgid)).toMatchObject({ deliveredTo: [], skippedDailyLimit: ["wm_parent_1"] });
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/add_msg_template", { ...body, text: { content: "a".repeat(4001) } })).errcode).toBe(45002);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/add_msg_template", { ...body, sender: "ghost" })).errcode).toBe(40205);
  });

  it("lists group-send records as WeCom does: no creator on an API-made task, its sender only through get_groupmsg_task (path/93338)", async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const made = await t.api.post("customer", "/cgi-bin/externalcontact/add_msg_template", { chat_type: "single", external_userid: ["wm_parent_1"], sender: "teacher_a", text: { content: "通知" } });
    const phone = t.sandbox.actors.memberCreatesGroupSend({ sender: "teacher_a", externalUserIds: ["wm_parent_1"], text: "我自己发的" });
    const list = (extra: Record<string, unknown>) =>
      t.api.post("customer", "/cgi-bin/externalcontact/get_groupmsg_list_v2", { chat_type: "single", start_time: now - 60, end_time: now + 60, ...extra });
    const all = await list({});
    // "群发消息创建者userid，API接口创建的群发消息不返回该字段"
    expect(all.group_msg_list).toEqual([
      { msgid: made.msgid, create_type: 0, text: { content: "通知" }, attachments: [], create_time: now },
      { msgid: phone.msgid, creator: "teacher_a", create_type: 1, text: { content: "我自己发的" }, attachments: [], create_time: now },
    ]);
    expect((await list({ creator: "teacher_a" })).group_msg_list.map((r: { msgid: string }) => r.msgid)).toEqual([phone.msgid]);
    expect((await list({ filter_type: 0 })).group_msg_list.map((r: { msgid: string }) => r.msgid)).toEqual([made.msgid]);

    const task = (msgid: string) => t.api.post("customer", "/cgi-bin/externalcontact/get_groupmsg_task", { msgid });
    expect(await task(made.msgid)).toEqual({ errcode: 0, errmsg: "ok", task_list: [{ userid: "teacher_a", status: 0 }], next_cursor: "" });
    t.sandbox.actors.confirmMsgTemplate(made.msgid);
    expect((await task(made.msgid)).task_list).toEqual([{ userid: "teacher_a", status: 2, send_time: now }]);
    expect((await task("msg_nothing")).errcode).toBe(40058);
  });
});

describe("sandbox externalcontact/get follower paging", () => {
  it("returns 500 followers per page with next_cursor", async () => {
    const members = Array.from({ length: 501 }, (_, i) => ({ userid: `m${i}` }));
    const seed: SeedInput = { ...BASE_SEED, users: members, follows: members.map((m) => ({ userid: m.userid, externalUserId: "wm_popular" })) };
    const t = await startTestSandbox({}, seed);
    try {
      const first = await t.api.get("customer", "/cgi-bin/externalcontact/get", { external_userid: "wm_popular" });
      expect(first.follow_user).toHaveLength(500);
      const rest = await t.api.get("customer", "/cgi-bin/externalcontact/get", { external_userid: "wm_popular", cursor: first.next_cursor });
      expect(rest.follow_user).toHaveLength(1);
      expect(rest.next_cursor).toBeUndefined();
    } finally {
      await t.sandbox.stop();
    }
  });
});
