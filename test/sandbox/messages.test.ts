import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { startTestSandbox, type TestSandbox } from "./support";

const agentid = SANDBOX_CORP.agentId;
const SEND = "/cgi-bin/message/send";

function buttonCard(taskId: string) {
  return {
    card_type: "button_interaction",
    main_title: { title: "离职审批", desc: "张老师提交了离职申请" },
    task_id: taskId,
    button_list: [
      { text: "同意", style: 1, key: "approve" },
      { text: "驳回", style: 2, key: "reject" },
    ],
  };
}

describe("sandbox app messages and the robot webhook", () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.sandbox.stop());

  it("sends a text, reports invalid users and records the message", async () => {
    const res = await t.api.post("agent", SEND, {
      touser: "teacher_a|ghost",
      msgtype: "text",
      agentid,
      text: { content: "你好" },
    });
    expect(res).toMatchObject({ errcode: 0, invaliduser: "ghost" });
    expect(res.msgid).toEqual(expect.any(String));
    expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(1);
  });

  it("answers 81013 when every recipient is invalid, and refuses a foreign agentid", async () => {
    const res = await t.api.post("agent", SEND, { touser: "ghost", msgtype: "text", agentid, text: { content: "x" } });
    expect(res).toMatchObject({ errcode: 81013, invaliduser: "ghost" });
    t.sandbox.state.users.get("teacher_b")!.status = 5;
    expect((await t.api.post("agent", SEND, { touser: "teacher_b", msgtype: "text", agentid, text: { content: "x" } })).errcode).toBe(81013);
    expect((await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "text", agentid: 1, text: { content: "x" } })).errcode).toBe(40056);
  });

  it("enforces content limits per message type", async () => {
    const send = (body: object) => t.api.post("agent", SEND, { touser: "teacher_a", agentid, ...body });
    expect((await send({ msgtype: "text", text: { content: "字".repeat(683) } })).errcode).toBe(45002); // 2049 bytes
    expect((await send({ msgtype: "text", text: { content: "a".repeat(2048) } })).errcode).toBe(0);
    expect((await send({ msgtype: "markdown", markdown: { content: "a".repeat(2049) } })).errcode).toBe(45002);
    expect((await send({ msgtype: "textcard", textcard: { title: "t", description: "d", url: "https://x", btntxt: "五个字按钮" } })).errcode).toBe(40058);
    expect((await send({ msgtype: "voice_note", voice_note: {} })).errcode).toBe(40008);
    const sixPlusOne = { ...buttonCard("t7"), button_list: Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `k${i}` })) };
    expect((await send({ msgtype: "template_card", template_card: sixPlusOne })).errcode).toBe(40058);
    expect((await send({ msgtype: "template_card", template_card: { ...buttonCard("bad id!") } })).errcode).toBe(40058);
    const notice = { appid: "wxsandboxminiprogram", page: "pages/index", title: "离职交接提醒", content_item: [{ key: "老师", value: "张丽" }] };
    expect((await send({ msgtype: "miniprogram_notice", miniprogram_notice: notice })).errcode).toBe(0);
    expect((await send({ msgtype: "miniprogram_notice", miniprogram_notice: { ...notice, title: "提醒" } })).errcode).toBe(40058);
    expect((await send({ msgtype: "miniprogram_notice", miniprogram_notice: { ...notice, appid: "wxother" } })).errcode).toBe(40203);
    expect((await t.api.post("agent", SEND, { touser: "@all", agentid, msgtype: "miniprogram_notice", miniprogram_notice: notice })).errcode).toBe(40058);
  });

  it("drops messages beyond 30 per minute to one member silently", async () => {
    for (let i = 0; i < 31; i++) {
      const res = await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "text", agentid, text: { content: `n${i}` } });
      expect(res.errcode).toBe(0);
    }
    expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(30);
    expect(t.sandbox.state.messages.at(-1)!.droppedFor).toEqual(["teacher_a"]);
    t.clock.advance(60_000);
    await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "text", agentid, text: { content: "later" } });
    expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(31);
  });

  it("returns a response_code for button cards, usable once; task_id is unique per app", async () => {
    const sent = await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "template_card", agentid, template_card: buttonCard("resign_42") });
    expect(sent.errcode).toBe(0);
    expect(sent.response_code).toEqual(expect.any(String));
    const update = { userids: ["teacher_a"], agentid, response_code: sent.response_code, button: { replace_name: "已同意" } };
    expect((await t.api.post("agent", "/cgi-bin/message/update_template_card", update)).errcode).toBe(0);
    expect((await t.api.post("agent", "/cgi-bin/message/update_template_card", update)).errcode).toBe(60140);
    expect((await t.api.post("agent", "/cgi-bin/message/update_template_card", { ...update, response_code: "made-up" })).errcode).toBe(60140);
    expect(t.sandbox.state.templateCardUpdates).toHaveLength(1);
    const dup = await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "template_card", agentid, template_card: buttonCard("resign_42") });
    expect(dup.errcode).toBe(40202);
    // Only interactive cards get one (path/90236: 按钮交互型、投票选择型、多项选择型); a notice card has nothing to update.
    const notice = await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "template_card", agentid, template_card: { card_type: "text_notice", main_title: { title: "通知" } } });
    expect([notice.errcode, "response_code" in notice]).toEqual([0, false]);
    const text = await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "text", agentid, text: { content: "hi" } });
    expect([text.errcode, "response_code" in text]).toEqual([0, false]);
  });

  it("ties a button click's ResponseCode to the card, valid once and for 72 h (path/94945)", async () => {
    await t.api.post("agent", SEND, { touser: "teacher_a", msgtype: "template_card", agentid, template_card: buttonCard("resign_43") });
    const clicks = await Promise.all([
      t.sandbox.actors.clickTemplateCardButton("teacher_a", "resign_43", "approve"),
      t.sandbox.actors.clickTemplateCardButton("teacher_a", "resign_43", "reject"),
      t.sandbox.actors.clickTemplateCardButton("teacher_a", "resign_43", "reject"),
    ]);
    const codes = clicks.map((d) => /<ResponseCode><!\[CDATA\[(.*?)]]>/.exec(d.xml)![1]);
    const update = (code: string) =>
      t.api.post("agent", "/cgi-bin/message/update_template_card", { agentid, response_code: code, button: { replace_name: "已处理" } });
    expect((await update(codes[0]!)).errcode).toBe(0);
    t.clock.advanceHours(71);
    expect((await update(codes[2]!)).errcode).toBe(0);
    t.clock.advanceHours(1);
    expect((await update(codes[1]!)).errcode).toBe(60140);
    expect(t.sandbox.state.templateCardUpdates[0]!.taskId).toBe("resign_43");
    expect(() => t.sandbox.actors.clickTemplateCardButton("teacher_b", "resign_43", "approve")).toThrow();
  });

  it("limits a robot to 20 messages per minute (45009) and markdown to 4096 bytes", async () => {
    const hook = (body: object, key = "robot-key") => t.api.rawPost("/cgi-bin/webhook/send", body, { key });
    for (let i = 0; i < 20; i++) expect((await hook({ msgtype: "text", text: { content: `m${i}` } })).errcode).toBe(0);
    expect((await hook({ msgtype: "text", text: { content: "21st" } })).errcode).toBe(45009);
    t.clock.advance(60_000);
    expect((await hook({ msgtype: "markdown", markdown: { content: "a".repeat(4096) } })).errcode).toBe(0);
    expect((await hook({ msgtype: "markdown", markdown: { content: "a".repeat(4097) } })).errcode).toBe(40058);
    expect((await hook({ msgtype: "miniprogram", miniprogram: {} })).errcode).toBe(40008);
    expect((await hook({ msgtype: "text", text: { content: "x" } }, "unknown")).errcode).toBe(93000);
    expect(t.sandbox.state.webhookMessages).toHaveLength(21);
  });

  describe("duplicate check (path/90236: enable_duplicate_check default 0, duplicate_check_interval default 1800 s, at most 4 h)", () => {
    const text = (content: string, extra: object = {}) => ({ touser: "teacher_a", msgtype: "text", agentid, text: { content }, ...extra });

    it("without it, the same message twice arrives twice", async () => {
      await t.api.post("agent", SEND, text("进度：审批中"));
      await t.api.post("agent", SEND, text("进度：审批中"));
      expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(2);
    });

    it("with it, the same request JSON within 1800 s is answered ok with the first msgid and reaches nobody; other content, or after the window, arrives", async () => {
      const first = await t.api.post("agent", SEND, text("提醒", { enable_duplicate_check: 1 }));
      // Same content, keys in another order: the same request JSON.
      const again = await t.api.post("agent", SEND, { enable_duplicate_check: 1, text: { content: "提醒" }, agentid, msgtype: "text", touser: "teacher_a" });
      expect(again).toMatchObject({ errcode: 0, errmsg: "ok", msgid: first.msgid });
      expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(1);
      await t.api.post("agent", SEND, text("另一条提醒", { enable_duplicate_check: 1 }));
      expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(2);
      t.clock.advance(1801 * 1000);
      await t.api.post("agent", SEND, text("提醒", { enable_duplicate_check: 1 }));
      expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(3);
    });

    it("honours a shorter interval", async () => {
      await t.api.post("agent", SEND, text("提醒", { enable_duplicate_check: 1, duplicate_check_interval: 60 }));
      t.clock.advance(61 * 1000);
      await t.api.post("agent", SEND, text("提醒", { enable_duplicate_check: 1, duplicate_check_interval: 60 }));
      expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(2);
    });

    it("a template card resent with the check is dropped, not refused for its used task_id", async () => {
      const card = { touser: "teacher_a", msgtype: "template_card", agentid, enable_duplicate_check: 1, template_card: buttonCard("dup-1") };
      const first = await t.api.post("agent", SEND, card);
      expect(await t.api.post("agent", SEND, card)).toMatchObject({ errcode: 0, msgid: first.msgid });
      expect(t.sandbox.state.messagesTo("teacher_a")).toHaveLength(1);
    });
  });
});
