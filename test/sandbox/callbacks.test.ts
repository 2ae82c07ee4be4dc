import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { field, openCallback, startReceiver, startTestSandbox } from "./support";

describe("sandbox callbacks", () => {
  it("posts each event encrypted and signed; it decrypts with @wecom/crypto to WeCom's XML", async () => {
    const receiver = await startReceiver();
    const t = await startTestSandbox({ callbackUrl: receiver.url });
    try {
      const delivery = await t.sandbox.actors.memberTextsApp("teacher_a", "我要提交离职");
      expect(delivery.outcome).toBe("delivered");
      const [cb] = receiver.received;
      expect(cb!.body).toMatch(/^<xml><ToUserName><!\[CDATA\[wwsandbox0000000001]]><\/ToUserName><AgentID><!\[CDATA\[1000002]]><\/AgentID><Encrypt>/);
      expect(cb!.query.timestamp).toBe(String(Math.floor(t.clock.now().getTime() / 1000)));
      const { xml, receiveId } = openCallback(cb!);
      expect(receiveId).toBe(SANDBOX_CORP.corpId);
      expect(field(xml, "ToUserName")).toBe(SANDBOX_CORP.corpId);
      expect(field(xml, "FromUserName")).toBe("teacher_a");
      expect(field(xml, "CreateTime")).toBe(cb!.query.timestamp);
      expect(field(xml, "MsgType")).toBe("text");
      expect(field(xml, "Content")).toBe("我要提交离职");
      expect(xml).toMatch(/<MsgId>\d{19}<\/MsgId>/);
      expect(field(xml, "AgentID")).toBe(String(SANDBOX_CORP.agentId));
    } finally {
      await t.sandbox.stop();
      await receiver.close();
    }
  });

  it("produces the right event for each actor", async () => {
    const receiver = await startReceiver();
    const t = await startTestSandbox({ callbackUrl: receiver.url });
    try {
      const a = t.sandbox.actors;
      await a.enterAgent("teacher_a");
      await a.parentAddsTeacher("wm_new", "teacher_b", { state: "campus2" });
      await a.parentDeletesTeacher("wm_parent_1", "teacher_a");
      await a.memberDeletesParent("teacher_a", "wm_parent_2");
      await a.parentConsentsToArchive("wm_new", "teacher_b");
      await a.archiveNotify();
      await a.memberJoins({ userid: "newbie", name: "新人", departments: [2] });
      await a.memberLeaves("teacher_c");
      await a.groupChatCreated("wr_1", "teacher_a", "家长群");
      await a.joinGroupChat("wr_1", ["wm_new", "wm_parent_3"], 3);
      const xmls = receiver.received.map((r) => openCallback(r).xml);
      const summary = xmls.map((x) => [field(x, "Event") ?? field(x, "MsgType"), field(x, "ChangeType") ?? ""].join("/"));
      expect(summary).toEqual([
        "enter_agent/",
        "change_external_contact/add_external_contact",
        "change_external_contact/del_follow_user",
        "change_external_contact/del_external_contact",
        "change_external_contact/msg_audit_approved",
        "msgaudit_notify/",
        "change_contact/create_user",
        "change_contact/delete_user",
        "change_external_chat/create",
        "change_external_chat/update",
      ]);
      // 新增成员事件 since 2022-08-15: UserID and Department only (path/90970); the name is read with user/get.
      expect([field(xmls[6]!, "UserID"), field(xmls[6]!, "Department")]).toEqual(["newbie", "2"]);
      expect(xmls[6]).not.toMatch(/<Name>|<Position>|<MainDepartment>|<Status>|<Mobile>/);
      expect(field(xmls[1]!, "State")).toBe("campus2");
      expect(field(xmls[1]!, "WelcomeCode")).toEqual(expect.any(String));
      expect(xmls[3]).not.toContain("<Source>");
      expect(field(xmls[4]!, "WelcomeCode")).toEqual(expect.any(String));
      expect(field(xmls[5]!, "FromUserName")).toBe("sys");
      expect(field(xmls[6]!, "Department")).toBe("2");
      expect(field(xmls[9]!, "UpdateDetail")).toBe("add_member");
      expect(field(xmls[9]!, "JoinScene")).toBe("3");
      expect(field(xmls[9]!, "MemChangeCnt")).toBe("2");
      expect(xmls[9]).toContain("<MemChangeList><Item><![CDATA[wm_new]]></Item><Item><![CDATA[wm_parent_3]]></Item></MemChangeList>");
      expect(t.sandbox.state.follow("teacher_b", "wm_new")!.state).toBe("campus2");
      expect(t.sandbox.state.follow("teacher_a", "wm_parent_1")).toBeUndefined();
      expect(t.sandbox.state.users.get("teacher_c")!.status).toBe(5);
    } finally {
      await t.sandbox.stop();
      await receiver.close();
    }
  });

  it("tries 3 times in total when the receiver answers 500, then gives up", async () => {
    const receiver = await startReceiver(() => "error");
    const t = await startTestSandbox({ callbackUrl: receiver.url });
    try {
      const delivery = await t.sandbox.actors.enterAgent("teacher_a");
      expect(delivery.outcome).toBe("failed");
      expect(delivery.attempts.map((x) => x.status)).toEqual([500, 500, 500]);
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    } finally {
      await t.sandbox.stop();
      await receiver.close();
    }
  });

  it("retries after a timeout and stops at the first 200", async () => {
    const receiver = await startReceiver((n) => (n === 1 ? "hang" : "ok"));
    const t = await startTestSandbox({ callbackUrl: receiver.url, callbackTimeoutMs: 300 });
    try {
      const delivery = await t.sandbox.actors.memberTextsApp("teacher_a", "hi");
      expect(delivery.outcome).toBe("delivered");
      expect(delivery.attempts).toHaveLength(2);
      expect(delivery.attempts[0]!.error).toMatch(/Timeout|abort/i);
      expect(delivery.attempts[1]!.status).toBe(200);
    } finally {
      await t.sandbox.stop();
      await receiver.close();
    }
  });

  it("gives up after 3 timeouts", async () => {
    const receiver = await startReceiver(() => "hang");
    const t = await startTestSandbox({ callbackUrl: receiver.url, callbackTimeoutMs: 200 });
    try {
      const delivery = await t.sandbox.actors.enterAgent("teacher_a");
      expect(delivery.outcome).toBe("failed");
      expect(delivery.attempts).toHaveLength(3);
      expect(t.sandbox.callbacks.deliveriesOf("enter_agent")).toHaveLength(1);
    } finally {
      await t.sandbox.stop();
      await receiver.close();
    }
  });

  it("records events without a receiver as no_receiver", async () => {
    const t = await startTestSandbox();
    try {
      expect((await t.sandbox.actors.enterAgent("teacher_a")).outcome).toBe("no_receiver");
    } finally {
      await t.sandbox.stop();
    }
  });
});
