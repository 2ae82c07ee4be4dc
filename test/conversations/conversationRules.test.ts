import { staffArchiveScope, mayAccessRoom, type ConversationResource } from "../../src/conversations/access/archiveScope";
import { formatChinaTime } from "../../src/calendar/zonedTime";
import { messageText } from "../../src/conversations/presenters/messageText";
import { highlight } from "../../src/conversations/queries/searchArchive";
import { normalizeText } from "../../src/conversations/searchIndex/normalizeText";
import { decodeCursor, encodeCursor } from "../../src/conversations/queries/pageCursor";
import type { Actor } from "../../src/org/policies/actor";

const zhang: ConversationResource = {
  kind: "conversation",
  staffUserid: "t_zhang",
  departmentPaths: [[1, 2]],
  inheritedBy: [{ successorUserid: "t_li", externalUserIds: ["wmA"] }],
};
const actor = (userid: string, ...grants: Actor["grants"]): Actor => ({ userid, grants: [...grants, { role: "employee", departmentId: null }] });

describe("conversation scope rules", () => {
  it("gives HR and campus heads of the subtree the whole archive, successors only handed parents, employees nothing", () => {
    expect(staffArchiveScope(actor("hr", { role: "hr", departmentId: 2 }), "export", zhang)).toEqual({ kind: "whole" });
    expect(staffArchiveScope(actor("hr_b", { role: "hr", departmentId: 3 }), "read", zhang)).toBeNull();
    expect(staffArchiveScope(actor("head", { role: "campus_head", departmentId: 2 }), "read", zhang)).toEqual({ kind: "whole" });
    expect(staffArchiveScope(actor("head", { role: "campus_head", departmentId: 2 }), "export", zhang)).toBeNull();
    expect(staffArchiveScope(actor("t_li"), "read", zhang)).toEqual({ kind: "inherited", externalUserids: ["wmA"] });
    expect(staffArchiveScope(actor("t_zhang"), "read", zhang)).toBeNull();
  });

  it("opens a group only with the whole archive of every staff member in it", () => {
    const wang: ConversationResource = { kind: "conversation", staffUserid: "t_wang", departmentPaths: [[1, 3]], inheritedBy: [] };
    const hrA = actor("hr", { role: "hr", departmentId: 2 });
    expect(mayAccessRoom(hrA, "read", [zhang])).toBe(true);
    expect(mayAccessRoom(hrA, "read", [zhang, wang])).toBe(false);
    expect(mayAccessRoom(actor("t_li"), "read", [zhang])).toBe(false);
    expect(mayAccessRoom(hrA, "read", [])).toBe(false);
    expect(mayAccessRoom(actor("hq", { role: "hq_admin", departmentId: null }), "read", [])).toBe(true);
  });
});

describe("message text, snippets and cursors", () => {
  it("renders every content type in Chinese", () => {
    expect(messageText({ msgtype: "redpacket", wish: "恭喜发财", totalAmount: 8800, totalCount: 2 })).toBe("[红包] 恭喜发财（共 2 个，88.00 元）");
    expect(messageText({ msgtype: "file", media: { sdkfileid: "x", filename: "成绩单.xlsx" } })).toBe("[文件] 成绩单.xlsx");
    expect(messageText({ msgtype: "link", title: "课表", description: "下周", url: "https://x" })).toBe("[链接] 课表 下周 https://x");
    expect(messageText({ msgtype: "mixed", items: [{ msgtype: "text", content: "看图" }, { msgtype: "image", media: { sdkfileid: "y" } }] })).toBe("看图 [图片]");
    expect(messageText({ msgtype: "disagree", userid: "wm", agreeTime: 1 })).toBe("[不同意会话存档]");
  });

  it("shows times in China time whatever the server zone", () => {
    expect(formatChinaTime(new Date("2026-03-01T16:30:05Z"))).toBe("2026-03-02 00:30:05");
  });

  it("cuts the context around the hit from the original text, case- and width-insensitively", () => {
    const at = (text: string, term: string) => highlight(text, normalizeText(text), term);
    expect(at("请家长于本周五前把孩子的 Homework 交到班主任办公室", "homework")).toEqual({ before: "请家长于本周五前把孩子的 ", match: "Homework", after: " 交到班主任办公室" });
    expect(at("a".repeat(50) + "離職" + "b".repeat(50), "离职")).toEqual({ before: `…${"a".repeat(24)}`, match: "離職", after: `${"b".repeat(24)}…` });
    expect(at("加我ＷＥＣＨＡＴ", "wechat")).toEqual({ before: "加我", match: "ＷＥＣＨＡＴ", after: "" });
  });

  it("refuses tampered cursors", () => {
    expect(decodeCursor(encodeCursor({ t: 1, s: 2 }), { t: "number", s: "number" })).toEqual({ t: 1, s: 2 });
    expect(() => decodeCursor("!!", { t: "number" })).toThrow("翻页游标无效");
    expect(() => decodeCursor(encodeCursor({ t: "x" }), { t: "number" })).toThrow("翻页游标无效");
  });
});
