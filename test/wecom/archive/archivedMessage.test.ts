import { parseArchivedMessage, mediaRefs, ArchivedMessageError, type ChatMessage } from "../../../src/wecom/archive/archivedMessage";
import { consentAllows, conversationScope, type ConsentStatus } from "../../../src/conversations/archive/conversationScope";

const base = { msgid: "m1", action: "send", from: "t_zhang", tolist: ["wmParentA"], roomid: "", msgtime: 1772413200000 };

describe("archived message parsing", () => {
  it("parses text and strips raw control characters first", () => {
    const raw = JSON.stringify({ ...base, msgtype: "text", text: { content: "明天PLACEHOLDER" } }).replace("PLACEHOLDER", "\u0001\u0008");
    const m = parseArchivedMessage(raw) as ChatMessage;
    expect(m.content).toEqual({ msgtype: "text", content: "明天" });
    expect(m.msgtime.toISOString()).toBe("2026-03-02T01:00:00.000Z");
  });

  it("keeps a raw newline-broken string parseable", () => {
    const raw = `{"msgid":"m2","action":"send","from":"a","tolist":["wmB"],"roomid":"","msgtime":1,"msgtype":"text","text":{"content":"line1\nline2"}}`;
    expect((parseArchivedMessage(raw) as ChatMessage).content).toEqual({ msgtype: "text", content: "line1line2" });
  });

  it("types media, link, card, redpacket, agree, revoke and mixed", () => {
    const parse = (msgtype: string, body: unknown) => (parseArchivedMessage(JSON.stringify({ ...base, msgtype, [msgtype]: body })) as ChatMessage).content;
    expect(parse("image", { sdkfileid: "F1", md5sum: "ab", filesize: 10 })).toEqual({ msgtype: "image", media: { sdkfileid: "F1", md5sum: "ab", filesize: 10 } });
    expect(parse("link", { title: "T", description: "D", link_url: "https://x" })).toEqual({ msgtype: "link", title: "T", description: "D", url: "https://x" });
    expect(parse("card", { corpname: "C", userid: "u" })).toEqual({ msgtype: "card", corpname: "C", userid: "u" });
    expect(parse("redpacket", { wish: "恭喜", totalamount: 888, totalcnt: 1 })).toEqual({ msgtype: "redpacket", wish: "恭喜", totalAmount: 888, totalCount: 1 });
    expect(parse("agree", { userid: "wmA", agree_time: 5 })).toEqual({ msgtype: "agree", userid: "wmA", agreeTime: 5 });
    // A refusal's time is disagree_time.
    expect(parse("disagree", { userid: "wmA", disagree_time: 7 })).toEqual({ msgtype: "disagree", userid: "wmA", agreeTime: 7 });
    expect(parse("revoke", { pre_msgid: "m0" })).toEqual({ msgtype: "revoke", preMsgid: "m0" });
    const mixed = parse("mixed", { item: [{ type: "text", content: '{"content":"hi"}' }, { type: "image", content: '{"sdkfileid":"F2"}' }] });
    expect(mixed).toEqual({ msgtype: "mixed", items: [{ msgtype: "text", content: "hi" }, { msgtype: "image", media: { sdkfileid: "F2" } }] });
    expect(mediaRefs(mixed)).toEqual([{ sdkfileid: "F2" }]);
  });

  it("keeps unknown types raw and parses switch records", () => {
    expect((parseArchivedMessage(JSON.stringify({ ...base, msgtype: "calendar", calendar: { title: "x" } })) as ChatMessage).content).toEqual({
      msgtype: "unknown",
      originalType: "calendar",
      raw: { title: "x" },
    });
    expect(parseArchivedMessage(JSON.stringify({ msgid: "s", action: "switch", time: 1000, user: "t_zhang" }))).toEqual({
      kind: "switch",
      msgid: "s",
      user: "t_zhang",
      time: new Date(1000),
    });
  });

  it("rejects non-JSON, missing msgid and unknown actions", () => {
    expect(() => parseArchivedMessage("nope")).toThrow(ArchivedMessageError);
    expect(() => parseArchivedMessage(JSON.stringify({ ...base, msgid: "" }))).toThrow(/no msgid/);
    expect(() => parseArchivedMessage(JSON.stringify({ ...base, action: "edit" }))).toThrow(/unknown action/);
  });
});

describe("conversation scope and consent", () => {
  const msg = (from: string, tolist: string[], roomid = "") =>
    parseArchivedMessage(JSON.stringify({ ...base, from, tolist, roomid, msgtype: "text", text: { content: "x" } }));
  const consent = (singles: Record<string, ConsentStatus>, rooms: Record<string, ConsentStatus> = {}) => ({
    single: (s: string, e: string) => singles[`${s}/${e}`],
    room: (r: string, e: string) => rooms[`${r}/${e}`],
  });

  it("finds the staff member and the parent of a 1:1 chat in either direction", () => {
    expect(conversationScope(msg("t_zhang", ["wmA"]))).toEqual({ kind: "one_to_one", staffUserid: "t_zhang", externalUserid: "wmA" });
    expect(conversationScope(msg("woB", ["t_li"]))).toEqual({ kind: "one_to_one", staffUserid: "t_li", externalUserid: "woB" });
  });

  it("leaves internal chats and groups without parents out", () => {
    expect(conversationScope(msg("t_zhang", ["t_li"]))).toEqual({ kind: "out_of_scope", reason: "internal" });
    expect(conversationScope(msg("t_zhang", ["t_li", "t_wang"], "R1"))).toEqual({ kind: "out_of_scope", reason: "internal" });
  });

  it("keeps a 1:1 chat only with recorded agreement", () => {
    const scope = conversationScope(msg("t_zhang", ["wmA"]));
    expect(consentAllows(scope, consent({ "t_zhang/wmA": "agree" }))).toBe(true);
    expect(consentAllows(scope, consent({ "t_zhang/wmA": "disagree" }))).toBe(false);
    expect(consentAllows(scope, consent({}))).toBe(false);
  });

  it("keeps a group message only when every parent in it agreed for that room", () => {
    const scope = conversationScope(msg("t_zhang", ["wmA", "wmB", "t_li"], "R1"));
    expect(scope).toMatchObject({ kind: "group", roomId: "R1", externalMembers: ["wmA", "wmB"], staffUserid: "t_zhang" });
    expect(consentAllows(scope, consent({}, { "R1/wmA": "agree", "R1/wmB": "agree" }))).toBe(true);
    expect(consentAllows(scope, consent({}, { "R1/wmA": "agree" }))).toBe(false);
  });
});
