import { CallbackRejected } from "../../src/wecom/crypto/callbackRejected";
import { dedupeKey } from "../../src/wecom/events/dedupeKey";
import { eventKind } from "../../src/wecom/events/eventKind";
import { parseEvent } from "../../src/wecom/events/parseEvent";
import { eventXml, externalContactEvent, textMessage } from "./callbackSupport";

const sysEvent = (event: string, fields: Record<string, string | number>, extra = "") =>
  eventXml({ FromUserName: "sys", CreateTime: 1700000000, MsgType: "event", Event: event, ...fields }, extra);

describe("parseEvent", () => {
  it("keeps a 19-digit MsgId exact and content untrimmed", () => {
    const e = parseEvent(textMessage("4561255354251345929", 1700000000, "  老师好 "));
    expect(e).toMatchObject({ type: "text", msgId: "4561255354251345929", content: "  老师好 ", from: "zhangsan" });
    expect(eventKind(e)).toBe("text");
  });

  it("parses enter_agent and msgaudit_notify", () => {
    expect(parseEvent(sysEvent("enter_agent", { EventKey: "", AgentID: 1000002 }))).toMatchObject({
      type: "enter_agent",
      eventKey: "",
      agentId: "1000002",
    });
    expect(eventKind(parseEvent(sysEvent("msgaudit_notify", { AgentID: 2000004 })))).toBe("msgaudit_notify");
  });

  it.each([
    ["add_external_contact", { State: "campus1", WelcomeCode: "WC1" }, { state: "campus1", welcomeCode: "WC1" }],
    ["add_half_external_contact", { State: "s", WelcomeCode: "WC2" }, { state: "s", welcomeCode: "WC2" }],
    ["edit_external_contact", {}, {}],
    ["del_external_contact", { Source: "DELETE_BY_TRANSFER" }, { source: "DELETE_BY_TRANSFER" }],
    ["del_follow_user", {}, {}],
    ["transfer_fail", { FailReason: "customer_refused" }, { failReason: "customer_refused" }],
    ["msg_audit_approved", { WelcomeCode: "WC3" }, { welcomeCode: "WC3" }],
  ])("parses change_external_contact %s", (changeType, extra, expected) => {
    const e = parseEvent(externalContactEvent(changeType, 1700000000, extra));
    expect(e).toEqual({
      type: "change_external_contact",
      changeType,
      corpId: "wwsandbox0000000001",
      from: "sys",
      createTime: 1700000000,
      userId: "teacher_li",
      externalUserId: "wmParent001",
      ...expected,
    });
    expect(eventKind(e)).toBe(`change_external_contact:${changeType}`);
  });

  it("parses change_external_chat with its member list", () => {
    const e = parseEvent(
      sysEvent(
        "change_external_chat",
        { ChatId: "wrChat1", ChangeType: "update", UpdateDetail: "add_member", JoinScene: 3, MemChangeCnt: 2, LastMemVer: "a", CurMemVer: "b" },
        "<MemChangeList><Item>wmA</Item><Item>wmB</Item></MemChangeList>",
      ),
    );
    expect(e).toMatchObject({
      type: "change_external_chat",
      changeType: "update",
      chatId: "wrChat1",
      updateDetail: "add_member",
      joinScene: "3",
      memChangeCnt: "2",
      memChangeList: ["wmA", "wmB"],
    });
    expect(eventKind(e)).toBe("change_external_chat:update");
  });

  it("parses change_contact for users and departments", () => {
    expect(
      parseEvent(sysEvent("change_contact", { ChangeType: "update_user", UserID: "li", NewUserID: "li2", Department: "1,2", Status: 5 })),
    ).toMatchObject({ type: "change_contact", changeType: "update_user", userId: "li", newUserId: "li2", department: ["1", "2"], status: "5" });
    expect(parseEvent(sysEvent("change_contact", { ChangeType: "create_user", UserID: "wang", Name: "王老师" }))).toMatchObject({
      changeType: "create_user",
      name: "王老师",
      department: [],
    });
    expect(parseEvent(sysEvent("change_contact", { ChangeType: "delete_user", UserID: "li" }))).toMatchObject({ userId: "li" });
    expect(parseEvent(sysEvent("change_contact", { ChangeType: "create_party", Id: 5, Name: "校区", ParentId: 1, Order: 1 }))).toMatchObject(
      { changeType: "create_party", partyId: "5", name: "校区", parentId: "1" },
    );
    expect(parseEvent(sysEvent("change_contact", { ChangeType: "update_party", Id: 5, Name: "新校区" }))).toMatchObject({ partyId: "5" });
    expect(eventKind(parseEvent(sysEvent("change_contact", { ChangeType: "delete_party", Id: 5 })))).toBe("change_contact:delete_party");
  });

  it.each([
    ["OptionIds", "OptionId"],
    ["OpitonIds", "OpitonId"],
  ])("parses template_card_event selections spelled %s", (list, item) => {
    const e = parseEvent(
      sysEvent(
        "template_card_event",
        { EventKey: "approve", TaskId: "task-1", CardType: "button_interaction", ResponseCode: "rc1", AgentID: 1000002 },
        `<SelectedItems><SelectedItem><QuestionKey>q1</QuestionKey><${list}><${item}>o1</${item}><${item}>o2</${item}></${list}></SelectedItem></SelectedItems>`,
      ),
    );
    expect(e).toMatchObject({
      type: "template_card_event",
      eventKey: "approve",
      taskId: "task-1",
      responseCode: "rc1",
      selectedItems: [{ questionKey: "q1", optionIds: ["o1", "o2"] }],
    });
  });

  it("keeps unknown events whole", () => {
    const e = parseEvent(sysEvent("change_contact", { ChangeType: "update_tag", TagId: 7 }));
    expect(e).toMatchObject({ type: "unknown", msgType: "event", event: "change_contact", changeType: "update_tag" });
    expect(e.type === "unknown" && e.fields.TagId).toBe("7");
    expect(eventKind(e)).toBe("unknown:change_contact:update_tag");
    expect(eventKind(parseEvent(eventXml({ FromUserName: "u", CreateTime: 1, MsgType: "image", MsgId: "9" })))).toBe("unknown:image");
  });

  it.each([
    ["not xml", "hello"],
    ["no MsgType", eventXml({ FromUserName: "u", CreateTime: 1 })],
    ["bad CreateTime", eventXml({ FromUserName: "u", CreateTime: "soon", MsgType: "text", MsgId: "1" })],
    ["text without MsgId", eventXml({ FromUserName: "u", CreateTime: 1, MsgType: "text", Content: "x" })],
  ])("refuses malformed inner XML: %s", (_name, xml) => {
    expect(() => parseEvent(xml)).toThrow(CallbackRejected);
  });
});

describe("dedupeKey", () => {
  it("uses MsgId for messages, whatever else differs", () => {
    const key = (xml: string) => dedupeKey(parseEvent(xml), xml);
    expect(key(textMessage("1", 100, "a"))).toBe(key(textMessage("1", 100, "a")));
    expect(key(textMessage("1", 100))).not.toBe(key(textMessage("2", 100)));
  });

  it("tells apart events from the same sender in the same second", () => {
    const keys = new Set(
      [
        externalContactEvent("add_external_contact", 100, { WelcomeCode: "A" }),
        externalContactEvent("add_external_contact", 100, { WelcomeCode: "B" }),
        externalContactEvent("del_follow_user", 100),
        externalContactEvent("transfer_fail", 100, { FailReason: "customer_refused" }),
        externalContactEvent("transfer_fail", 100, { FailReason: "customer_limit_exceed" }),
        externalContactEvent("edit_external_contact", 100, { ExternalUserID: "wmParent002" }),
        externalContactEvent("edit_external_contact", 100, { UserID: "teacher_wang" }),
        sysEvent("template_card_event", { EventKey: "ok", TaskId: "t1", ResponseCode: "r1" }),
        sysEvent("template_card_event", { EventKey: "ok", TaskId: "t1", ResponseCode: "r2" }),
        sysEvent("change_external_chat", { ChatId: "c1", ChangeType: "update", UpdateDetail: "add_member" }),
        sysEvent("change_external_chat", { ChatId: "c1", ChangeType: "update", UpdateDetail: "del_member" }),
      ].map((xml) => dedupeKey(parseEvent(xml), xml)),
    );
    expect(keys.size).toBe(11);
  });

  it("tells apart events that differ only in fields the parser drops (DirectLeader, BizMail)", () => {
    // update_user as Tencent documents it (developer.work.weixin.qq.com/document/path/90970) carries
    // DirectLeader and BizMail, which parseEvent does not keep.
    const update = (extra: string) =>
      `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>update_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID>${extra}</xml>`;
    const a = update("<DirectLeader><![CDATA[lisi]]></DirectLeader>");
    const b = update("<DirectLeader><![CDATA[wangwu]]></DirectLeader>");
    const c = update("<BizMail><![CDATA[zhangsan@qyycs2.wecom.work]]></BizMail>");
    expect(parseEvent(a)).toEqual(parseEvent(b));
    expect(new Set([a, b, c].map((xml) => dedupeKey(parseEvent(xml), xml))).size).toBe(3);
  });

  it("gives a redelivery the same key", () => {
    const xml = externalContactEvent("add_external_contact", 100, { WelcomeCode: "A" });
    expect(dedupeKey(parseEvent(xml), xml)).toBe(dedupeKey(parseEvent(xml), `${xml}\n`));
  });
});
