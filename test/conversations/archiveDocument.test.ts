import { archiveJson, archiveMarkdown, type ArchiveExport } from "../../src/conversations/presenters/archiveDocument";
import type { StoredChat } from "../../src/conversations/archive/readArchivedMessages";

const at = new Date("2026-03-02T01:00:00Z");
const chat = (from: string, text: string, roomid = ""): StoredChat => ({
  seq: 1,
  message: { kind: "message", msgid: `m-${from}`, action: "send", from, tolist: [], roomid, msgtime: at, content: { msgtype: "text", content: text } },
  staffUserid: null,
  externalUserid: null,
  roomId: roomid || null,
  msgTime: at,
  recalledAt: null,
});

const doc = (names: Record<string, string>): ArchiveExport => ({
  subject: { staffUserid: "t_zhang" },
  exportedAt: at,
  exportedBy: "hr_a",
  from: at,
  to: at,
  names: new Map(Object.entries(names)),
  threads: [
    { key: { kind: "single", staffUserid: "t_zhang", externalUserid: "wm_p1" }, messages: [chat("wm_p1", "老师好")] },
    { key: { kind: "room", roomId: "wr_c1" }, messages: [chat("t_zhang", "明天停课", "wr_c1")] },
  ],
});

describe("archive export document", () => {
  it("names the group chat and the parent, with the account id beside the name as evidence", () => {
    const md = archiveMarkdown(doc({ t_zhang: "张老师", hr_a: "刘敏", wm_p1: "小明妈妈", wr_c1: "三年级一班家长群" }));
    expect(md).toContain("## 张老师（t_zhang）与家长小明妈妈（wm_p1）");
    expect(md).toContain("## 群聊「三年级一班家长群」（wr_c1）");
    expect(md).toContain("- 2026-03-02 09:00:00 小明妈妈（wm_p1）：老师好");
  });

  it("reads as a phrase, not a bare id, when a name was never synced", () => {
    const names = { t_zhang: "张老师", hr_a: "刘敏" };
    const md = archiveMarkdown(doc(names));
    expect(md).toContain("## 张老师（t_zhang）与一位未同步姓名的家长（wm_p1）");
    expect(md).toContain("## 群聊「未命名群聊」（wr_c1）");
    expect(md).toContain("未同步姓名的账号（wm_p1）：老师好");
    expect((archiveJson(doc(names)) as { threads: { title: string }[] }).threads.map((t) => t.title)).toEqual([
      "张老师（t_zhang）与一位未同步姓名的家长（wm_p1）",
      "群聊「未命名群聊」（wr_c1）",
    ]);
  });
});
