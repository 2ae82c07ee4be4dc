import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAuth } from "../../src/auth/module";
import { conversationRoutes } from "../../src/conversations/routes/conversationRoutes";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { createApp } from "../../src/platform/http/createApp";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { json } from "../support/http";
import { createTestDatabase } from "../support/testDatabase";
import { testConfig } from "../support/testConfig";
import { recall, text } from "./support/archiveFixtures";
import { consentAll, ingest, keyRing, searchKeys, seedOrg } from "./support/conversationFixtures";
import { inheritedThreads } from "../../src/handover/module";

const T0 = Date.parse("2026-03-02T09:00:00+08:00");
const min = 60_000;

describe("conversation API (policy-checked, access-logged)", () => {
  let db: Database;
  let server: Server;
  let base: string;
  let get: (userid: string, path: string) => Promise<Response>;
  const clock = new TestClock("2026-03-10T09:00:00+08:00");

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    await seedOrg(ds);
    await consentAll(ds, [["t_zhang", "wmA"], ["t_zhang", "wmB"], ["t_wang", "wmC"]], new Date(T0 - 86_400_000));
    await ingest(ds, [
      text("z1", "t_zhang", ["wmA"], "明天的数学作业是第三章", { at: T0 }),
      text("a1", "wmA", ["t_zhang"], "好的老师，谢谢", { at: T0 + min }),
      text("z2", "t_zhang", ["wmA"], "我下个月要离职了，加我私人微信", { at: T0 + 2 * min }),
      recall("z2r", "t_zhang", ["wmA"], "z2", T0 + 3 * min),
      text("z3", "t_zhang", ["wmB"], "请明天带上校服", { at: T0 + 10 * min }),
      text("w1", "t_wang", ["wmC"], "英语测验成绩已发", { at: T0 + 20 * min }),
    ]);
    // 记录继承: wmA (not wmB) was handed from 张 to 李.
    await ds.query(
      `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, requested_at, updated_at)
       VALUES ('t_zhang', 't_li', 'wmA', 'resigned', 'done', now(), now()), ('t_zhang', 't_li', 'wmB', 'resigned', 'waiting', now(), now())`,
    );
    const services = { config: testConfig(), logger: silentLogger(), clock, dataSource: ds, metrics: createMetrics({ collectProcessMetrics: false }) };
    const auth = createAuth(services);
    const app = createApp({ logger: silentLogger(), metrics: services.metrics, routers: [conversationRoutes({ dataSource: ds, keyRing, searchKeys, clock, inheritedThreads, auth: auth.console })] });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/conversations`;
    get = (userid, path) => fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${auth.tokens.issue(userid, "console", clock.now(), 3600)}` } });
  }, 60_000);
  afterAll(async () => {
    server.close();
    await db.close();
  });

  const accessLog = async (actor: string) =>
    (await db.dataSource.query(`SELECT action, resource_id, detail FROM access_log WHERE actor_userid = $1 ORDER BY id`, [actor])) as Array<{
      action: string;
      resource_id: string;
      detail: Record<string, unknown>;
    }>;

  it("HR of campus A lists A's threads with counts and last message time, and gets 403 for campus B", async () => {
    const res = await get("hr_a", "/staff/t_zhang");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.data).toEqual([
      expect.objectContaining({ kind: "single", staffUserid: "t_zhang", externalUserid: "wmB", messages: 1, lastAtChina: "2026-03-02 09:10:00" }),
      expect.objectContaining({ kind: "single", staffUserid: "t_zhang", externalUserid: "wmA", messages: 4, lastAt: new Date(T0 + 3 * min).toISOString() }),
    ]);
    expect((await get("hr_a", "/staff/t_wang")).status).toBe(403);
    expect((await get("hr_a", "/threads?staff=t_wang&parent=wmC")).status).toBe(403);
    expect((await get("hr_a", "/export?staff=t_wang")).status).toBe(403);
    expect((await get("hr_b", "/staff/t_wang")).status).toBe(200);
    expect((await get("hr_b", "/staff/t_zhang")).status).toBe(403);
    expect((await get("hq", "/staff/t_wang")).status).toBe(200);
  });

  it("pages the thread list and a thread's messages with opaque cursors", async () => {
    const first = await json(await get("hr_a", "/staff/t_zhang?limit=1"));
    expect(first.data.map((t: { externalUserid: string }) => t.externalUserid)).toEqual(["wmB"]);
    const second = await json(await get("hr_a", `/staff/t_zhang?limit=1&cursor=${first.nextCursor}`));
    expect(second.data.map((t: { externalUserid: string }) => t.externalUserid)).toEqual(["wmA"]);
    expect(second.nextCursor).toBeNull();

    const p1 = await json(await get("hr_a", "/threads?staff=t_zhang&parent=wmA&limit=3"));
    expect(p1.data.map((m: { msgid: string }) => m.msgid)).toEqual(["z1", "a1", "z2"]);
    const p2 = await json(await get("hr_a", `/threads?staff=t_zhang&parent=wmA&limit=3&cursor=${p1.nextCursor}`));
    expect(p2.data.map((m: { msgid: string }) => m.msgid)).toEqual(["z2r"]);
    expect(p2.nextCursor).toBeNull();
    expect((await get("hr_a", "/threads?staff=t_zhang&parent=wmA&cursor=garbage")).status).toBe(400);
    expect((await get("hr_a", "/threads?staff=t_zhang")).status).toBe(400);
  });

  it("shows a recalled message as recalled with its original content kept", async () => {
    const body = await json(await get("hr_a", "/threads?staff=t_zhang&parent=wmA"));
    const recalled = body.data.find((m: { msgid: string }) => m.msgid === "z2");
    expect(recalled).toMatchObject({ recalled: true, recalledAt: new Date(T0 + 3 * min).toISOString(), text: "我下个月要离职了，加我私人微信", sentAtChina: "2026-03-02 09:02:00" });
    expect(body.data.find((m: { msgid: string }) => m.msgid === "z2r")).toMatchObject({ action: "recall", text: "[撤回了一条消息]" });
  });

  it("lets a campus head read but not export", async () => {
    expect((await get("head_a", "/staff/t_zhang")).status).toBe(200);
    expect((await get("head_a", "/threads?staff=t_zhang&parent=wmA")).status).toBe(200);
    expect((await get("head_a", "/export?staff=t_zhang")).status).toBe(403);
    expect((await get("head_a", "/export?staff=t_zhang&parent=wmA")).status).toBe(403);
  });

  it("refuses an employee every archive, their own included", async () => {
    for (const path of ["/staff/t_zhang", "/threads?staff=t_zhang&parent=wmA", "/export?staff=t_zhang", "/parents/wmA", "/staff/t_wang"]) {
      expect([path, (await get("t_zhang", path)).status]).toEqual([path, 403]);
    }
    const from = new Date(T0 - 3_600_000).toISOString();
    const to = new Date(T0 + 3_600_000).toISOString();
    expect((await get("t_zhang", `/search?staff=t_zhang&q=作业&from=${from}&to=${to}`)).status).toBe(403);
    expect(await accessLog("t_zhang")).toEqual([]);
  });

  it("lets a successor read and export only the handed-over parents' threads (记录继承)", async () => {
    const list = await json(await get("t_li", "/staff/t_zhang"));
    expect(list.data.map((t: { externalUserid: string }) => t.externalUserid)).toEqual(["wmA"]);
    expect((await get("t_li", "/threads?staff=t_zhang&parent=wmA")).status).toBe(200);
    expect((await get("t_li", "/threads?staff=t_zhang&parent=wmB")).status).toBe(403);
    expect((await get("t_li", "/export?staff=t_zhang&parent=wmB")).status).toBe(403);
    const exported = await get("t_li", "/export?staff=t_zhang&parent=wmA&format=json");
    expect(exported.status).toBe(200);
    const doc = await json(exported);
    expect(doc.threads).toHaveLength(1);
    expect(doc.threads[0].messages.map((m: { msgid: string }) => m.msgid)).toEqual(["z1", "a1", "z2", "z2r"]);
    const parentView = await json(await get("t_li", "/parents/wmA"));
    expect(parentView.data.map((t: { staffUserid: string }) => t.staffUserid)).toEqual(["t_zhang"]);
    expect((await get("t_li", "/parents/wmB")).status).toBe(403);
    expect((await get("t_li", "/staff/t_wang")).status).toBe(403);
  });

  it("searches a keyword within a filter and a bounded range, with names and the context of the hit", async () => {
    const from = new Date(T0 - 86_400_000).toISOString();
    const to = new Date(T0 + 86_400_000).toISOString();
    const hit = await json(await get("hr_a", `/search?staff=t_zhang&q=${encodeURIComponent("校服")}&from=${from}&to=${to}`));
    expect(hit.data).toEqual([expect.objectContaining({ snippet: "请明天带上校服", message: expect.objectContaining({ msgid: "z3" }) })]);
    expect(hit).toMatchObject({ truncated: false, total: 1, page: 1 });
    expect(hit.data[0]).toMatchObject({ staff: { id: "t_zhang", name: "张老师" }, parent: { id: "wmB", name: "小红爸爸" }, highlight: { before: "请明天带上", match: "校服", after: "" } });
    // Outside the range: nothing.
    const before = new Date(T0 - 2 * 86_400_000).toISOString();
    expect((await json(await get("hr_a", `/search?staff=t_zhang&q=${encodeURIComponent("校服")}&from=${before}&to=${from}`))).data).toEqual([]);
    // By parent, including the recalled message.
    const byParent = await json(await get("hr_a", `/search?parent=wmA&q=${encodeURIComponent("离职")}&from=${from}&to=${to}`));
    expect(byParent.data.map((h: { message: { msgid: string; recalled: boolean } }) => [h.message.msgid, h.message.recalled])).toEqual([["z2", true]]);
    // Campus B's parent is out of A's scope.
    expect((await get("hr_a", `/search?parent=wmC&q=${encodeURIComponent("英语")}&from=${from}&to=${to}`)).status).toBe(403);

    const tooLong = new Date(T0 + 1101 * 86_400_000).toISOString();
    expect((await get("hr_a", `/search?staff=t_zhang&q=x&from=${from}&to=${tooLong}`)).status).toBe(400);
    expect((await get("hr_a", `/search?staff=t_zhang&q=x`)).status).toBe(400);
    expect((await get("hr_a", `/search?staff=t_zhang&room=wr1&q=x&from=${from}&to=${to}`)).status).toBe(400);
    // One Chinese character cannot use the bigram index: refused with the reason, not a slow scan.
    const single = await get("hr_a", `/search?staff=t_zhang&q=${encodeURIComponent("校")}&from=${from}&to=${to}`);
    expect(single.status).toBe(400);
    expect((await json(single)).error.message).toBe("关键词太短：请至少输入两个连续的汉字，或一个完整的英文单词、数字");
    expect((await get("hr_a", `/search?staff=t_zhang&q=&from=${from}&to=${to}`)).status).toBe(400);
  });

  it("exports a staff member's whole work archive as JSON and as a readable Markdown document", async () => {
    const res = await get("hr_a", "/export?staff=t_zhang&format=json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="conversations-t_zhang.json"');
    const doc = await json(res);
    expect(doc).toMatchObject({ subject: { staffUserid: "t_zhang" }, exportedBy: "hr_a" });
    expect(doc.threads.map((t: { externalUserid: string; messages: unknown[] }) => [t.externalUserid, t.messages.length])).toEqual([
      ["wmA", 4],
      ["wmB", 1],
    ]);
    expect(doc.threads[0].title).toBe("张老师（t_zhang）与家长小明妈妈（wmA）");

    const md = await get("hr_a", "/export?staff=t_zhang&format=md");
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const textBody = await md.text();
    expect(textBody).toContain("# 会话存档导出：张老师（t_zhang）的全部工作会话");
    expect(textBody).toContain("- 导出人：A校区人事（hr_a）");
    expect(textBody).toContain("- 2026-03-02 09:00:00 张老师（t_zhang）：明天的数学作业是第三章");
    expect(textBody).toContain("- 2026-03-02 09:02:00 张老师（t_zhang）：【已撤回 2026-03-02 09:03:00】我下个月要离职了，加我私人微信");
    expect(textBody).toContain("## 张老师（t_zhang）与家长小红爸爸（wmB）");
  });

  it("records every read, search and export in the access log (who, what, when)", async () => {
    await db.dataSource.query(`DELETE FROM access_log`);
    const from = new Date(T0 - 86_400_000).toISOString();
    const to = new Date(T0 + 86_400_000).toISOString();
    await get("hr_a", "/staff/t_zhang");
    await get("hr_a", "/parents/wmA");
    await get("hr_a", "/threads?staff=t_zhang&parent=wmA");
    await get("hr_a", `/search?room=wr_none&q=x&from=${from}&to=${to}`); // no staff in room: HQ only → 403, not logged
    await get("hr_a", `/search?staff=t_zhang&q=${encodeURIComponent("作业")}&from=${from}&to=${to}`);
    await get("hr_a", "/export?staff=t_zhang&parent=wmA&format=md");
    const log = await accessLog("hr_a");
    expect(log.map((l) => [l.action, l.resource_id])).toEqual([
      ["read", "staff:t_zhang"],
      ["read", "parent:wmA"],
      ["read", "staff:t_zhang/parent:wmA"],
      ["search", "staff:t_zhang"],
      ["export", "staff:t_zhang/parent:wmA"],
    ]);
    expect(log[3]!.detail).toMatchObject({ q: "作业", hits: 1, from, to });
    expect(log[4]!.detail).toMatchObject({ format: "md", messages: 4 });
    const [{ at }] = await db.dataSource.query(`SELECT at FROM access_log ORDER BY id LIMIT 1`);
    expect(at).toEqual(clock.now());
  });

  it("needs a session", async () => {
    expect((await fetch(`${base}/staff/t_zhang`)).status).toBe(401);
  });
});
