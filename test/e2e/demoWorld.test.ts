import { CAST, CORP_SEED } from "../../src/demo/cast";
import { startStoryEnv, type StoryEnv } from "../../src/demo/env";
import { playStory, type StoryResult } from "../../src/demo/story";
import { silentTranscript } from "../../src/demo/transcript";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import type { ChecklistView } from "../../src/console/presenters/apiTypes";
import { pageExists } from "../miniprogram/support/appJson";
import { createTestDatabase } from "../support/testDatabase";
import { INTERNAL_WORDS, internalWordsIn, openAs, visibleText } from "./demoWorld.support";


/**
 * The demo's world after the story has played, seen by its people: every link
 * the story sent opens for its recipient, and no console page shows an id or
 * an enum key.
 */
describe("the demo world in the console", () => {
  let db: Database;
  let env: StoryEnv;
  let result: StoryResult;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = await startStoryEnv(db, silentLogger());
    result = await playStory(env, silentTranscript());
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    await db?.close();
  });

  it("the story passed", () => {
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("every web link in a card or robot message opens (200) with its recipient's session", async () => {
    const links: { to: string; url: string }[] = [];
    const linksIn = (body: unknown) => JSON.stringify(body).match(/https:\/\/guard\.example\.com[^\s)"'\\]*/g) ?? [];
    for (const m of env.sandbox.state.messages) for (const url of linksIn(m.body)) for (const to of m.deliveredTo) links.push({ to, url });
    // The HR group robot speaks to the branch's HR.
    for (const w of env.sandbox.state.webhookMessages) for (const url of linksIn(w.body)) links.push({ to: CAST.hr, url });
    expect(links.length).toBeGreaterThanOrEqual(4);
    const kinds = new Set(links.map((l) => new URL(l.url).pathname.split("/")[2]));
    expect(kinds).toEqual(new Set(["cases", "alerts"]));
    const failures: string[] = [];
    for (const { to, url } of links) {
      const u = new URL(url);
      const page = await openAs(env, to, u.pathname + u.search);
      if (page.status !== 200) failures.push(`${to} ${u.pathname}: ${page.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("every mini-program page the server sent is a page of app.json", () => {
    const pages = env.sandbox.state.messages.filter((m) => m.msgtype === "miniprogram_notice").map((m) => (m.body.miniprogram_notice as { page: string }).page);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.filter((p) => !pageExists(p))).toEqual([]);
  });
  it("no console page shows a staff userid, external_userid, chat id or enum key", async () => {
    const [alert] = await db.dataSource.query(`SELECT id FROM alert LIMIT 1`);
    const pages: [string, string][] = [
      [CAST.hr, "/console"],
      [CAST.hr, "/console/cases"],
      [CAST.hr, `/console/cases/${result.caseId}`],
      [CAST.hr, `/console/cases/${result.caseId}/certificate`],
      [CAST.hr, `/console/cases/${result.caseId}/settlement`],
      [CAST.hr, "/console/alumni"],
      [CAST.hr, "/console/qualifications"],
      [CAST.hr, "/console/work-rules"],
      [CAST.hr, "/console/consent-withdrawals"],
      [CAST.hr, "/console/calendar"],
      [CAST.hr, `/console/handover/${CAST.leaver}`],
      [CAST.hr, "/console/alerts"],
      [CAST.hr, `/console/alerts/${alert.id}`],
      [CAST.hr, "/console/archive"],
      [CAST.hr, "/console/settings"],
      [CAST.successors[0], "/console/inherited"],
      [CAST.successors[1], "/console/inherited"],
      [CAST.hr, "/console/inherited"],
      [CAST.departmentHead, "/console/inherited"],
      // The archive by name, a thread and a keyword search (senders, titles and group names).
      [CAST.hr, `/console/archive?who=staff&name=${encodeURIComponent(CAST.leaverName)}&from=2026-01-01&to=2026-04-30`],
      [CAST.hr, `/console/archive?who=parent&name=${encodeURIComponent("张妈妈")}&from=2026-01-01&to=2026-04-30`],
      [CAST.hr, `/console/archive/thread?staff=${CAST.leaver}&parent=wm_parent_01`],
      [CAST.hr, `/console/archive?q=${encodeURIComponent("作业")}&from=2026-01-01&to=2026-04-30`],
      [CAST.successors[0], `/console/archive/thread?staff=${CAST.leaver}&parent=wm_parent_01`],
      [CAST.it, "/console"],
      [CAST.departmentHead, `/console/cases/${result.caseId}`],
    ];
    const found: Record<string, string[]> = {};
    for (const [who, path] of pages) {
      const page = await openAs(env, who, path);
      if (page.status !== 200) {
        found[`${who} ${path}`] = [`HTTP ${page.status}`];
        continue;
      }
      const words = internalWordsIn(visibleText(page.body), INTERNAL_WORDS);
      if (words.length > 0) found[`${who} ${path}`] = words;
    }
    expect(found).toEqual({});
  });

  it("a successor's console home is their own page: the parents they inherit by name, their follow-up, nothing of the leaver's case", async () => {
    const home = await openAs(env, CAST.successors[1], "/console");
    expect([home.status, home.location]).toEqual([302, "/console/inherited"]);
    const page = await openAs(env, CAST.successors[1], "/console/inherited");
    expect(page.status).toBe(200);
    const text = visibleText(page.body);
    // 周洋 inherits class C2's three parents; 黄爸爸 declined the transfer: her task, with the next step.
    expect(text).toContain("我接替的家长（3）");
    expect(text).toContain("黄爸爸（学生04 · 三年级二班） 家长拒绝：重新邀请家长：发送添加好友邀请并说明您是孩子的新老师；家长仍不同意时请人事改派其他老师");
    expect(text).toMatch(/吴妈妈（学生05 · 三年级二班） 李静 已完成 .* 查看与李静的沟通记录/);
    // Threads of parents handed over open for her (记录继承); the refused parent's does not.
    const links = [...page.body.matchAll(/href="(\/console\/archive\/thread\?[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
    expect(links).toHaveLength(2);
    for (const link of links) expect((await openAs(env, CAST.successors[1], link)).status).toBe(200);
    // HR's pages are not in her navigation, and nothing of the case (reason, dossier, certificate) is on hers.
    expect(text).not.toMatch(/离职原因|证据档案|离职证明|离职案件/);
    // The handover checklist she still has to sign, if she is its receiver or supervisor: whose, and where to sign.
    const [parties] = await db.dataSource.query(`SELECT receiver_userid, supervisor_userid FROM resignation_case WHERE id = $1`, [result.caseId]);
    const duty = (who: string) => (who === parties.receiver_userid ? "接收人" : who === parties.supervisor_userid ? "监交人" : null);
    for (const who of [...CAST.successors, CAST.departmentHead]) {
      const own = visibleText((await openAs(env, who, "/console/inherited")).body);
      const role = duty(who);
      if (role) expect(own).toContain(`签署 李静 的工作交接清单（您是${role}，最后工作日 2026-04-01）`);
      else expect(own).not.toContain("工作交接清单");
    }
    expect([duty(CAST.successors[0]), duty(CAST.departmentHead)]).toEqual(["接收人", "监交人"]);

    // Both class groups went to the campus head as new owner: on his own page, by name.
    const head = visibleText((await openAs(env, CAST.departmentHead, "/console/inherited")).body);
    expect(head).toContain("我接手的客户群（2） 群聊 原群主 状态 三年级一班家长群 李静 已完成");
    expect(head).toContain("三年级二班家长群 李静 已完成");

    // The refused parent is a named follow-up on HR's board too.
    const plan = visibleText((await openAs(env, CAST.hr, `/console/handover/${CAST.leaver}`)).body);
    expect(plan).toContain("跟进：周洋（接替老师） 重新邀请家长");
  });

  it("finds a teacher's and a parent's chats by name, says when nobody has the name, and titles threads with names", async () => {
    const range = "from=2026-01-01&to=2026-04-30";
    const byTeacher = visibleText((await openAs(env, CAST.hr, `/console/archive?who=staff&name=${encodeURIComponent("李静")}&${range}`)).body);
    expect(byTeacher).toMatch(/会话（\d+）/);
    expect(byTeacher).toContain("李静 ↔ 张妈妈（学生01 · 三年级一班）");
    const byParent = visibleText((await openAs(env, CAST.hr, `/console/archive?who=parent&name=${encodeURIComponent("张妈妈")}&${range}`)).body);
    expect(byParent).toContain("李静 ↔ 张妈妈（学生01 · 三年级一班）");
    const nobody = await openAs(env, CAST.hr, `/console/archive?who=staff&name=${encodeURIComponent("王小二")}&${range}`);
    expect(nobody.status).toBe(404);
    expect(visibleText(nobody.body)).toContain("没有找到名为“王小二”的老师，请检查姓名");
    // HR of the other campus cannot learn by name who exists outside their scope: 李静 and 张妈妈 are "not found" to them.
    const otherCampusTeacher = await openAs(env, "hr_wu", `/console/archive?who=staff&name=${encodeURIComponent("李静")}&${range}`);
    expect(otherCampusTeacher.status).toBe(404);
    expect(visibleText(otherCampusTeacher.body)).toContain("没有找到名为“李静”的老师，请检查姓名");
    const otherCampusParent = await openAs(env, "hr_wu", `/console/archive?who=parent&name=${encodeURIComponent("张妈妈")}&${range}`);
    expect(otherCampusParent.status).toBe(404);
    expect(visibleText(otherCampusParent.body)).toContain("没有找到名为“张妈妈”的家长，请检查姓名");
    const thread = visibleText((await openAs(env, CAST.hr, `/console/archive/thread?staff=${CAST.leaver}&parent=wm_parent_01`)).body);
    expect(thread).toContain("会话 · 李静 ↔ 张妈妈（学生01 · 三年级一班）");
    expect(thread).toContain("09:00:30 张妈妈 ：李老师您好");
    expect(thread).toContain("09:01:00 李静 ：您好！");
  });

  it("the checklist at 离职证明已开具 says what is done, by whom and when, and what is still open", async () => {
    const res = await fetch(`${env.base}/api/hr/cases/${result.caseId}/checklist`, { headers: { Authorization: `Bearer ${env.consoleToken(CAST.hr)}` } });
    expect(res.status).toBe(200);
    const { checklist } = (await res.json()) as { checklist: ChecklistView };
    const byTitle = Object.fromEntries(checklist.items.map((i) => [i.title, i]));
    // The WeCom account was deleted on the last day: verified from the directory, by the system, with the time.
    expect(byTitle["停用账号：企业微信账号"]).toMatchObject({ auto: true, done: true, verifiedBy: "系统", detail: "企业微信账号已停用或已删除" });
    // Stamped with when IT removed her in WeCom (18:00 Beijing on the last day), not when HR looked.
    expect(byTitle["停用账号：企业微信账号"]!.doneAt).toBe("2026-04-01T10:00:00.000Z");
    // No one can see the school-records account from here: IT confirms it.
    expect(byTitle["停用账号：教务系统账号"]).toMatchObject({ auto: false, done: false, owner: "it" });
    // Five parents confirmed by WeCom, one refused: the item stays open and says why.
    expect(byTitle["转接全部家长（6位）"]).toMatchObject({ auto: true, done: false, detail: "尚有1位家长未转接，其中1位拒绝或未能转接，需跟进" });
    // Her two class groups, by name, handed to the campus head and confirmed by WeCom at 18:00 on the last day.
    expect(byTitle["转让全部家长群（2个）"]).toMatchObject({ auto: true, done: true, verifiedBy: "系统", detail: "全部家长群已转让（三年级一班家长群、三年级二班家长群）" });
    expect(byTitle["转让全部家长群（2个）"]!.doneAt).toBe("2026-04-01T10:00:00.000Z");
    expect(checklist.complete).toBe(false);
    expect(checklist.awaitingSignatures!.map((a) => a.roleLabel)).toEqual(["移交人", "接收人", "监交人"]);

    const page = visibleText((await openAs(env, CAST.hr, `/console/cases/${result.caseId}`)).body);
    expect(page).toContain("离职证明 已开具");
    expect(page).toMatch(/雇佣关系已结束，但交接尚未完成：\d+ 项未完成（[^）]*转接全部家长（6位）/);
    expect(page).toContain("停用账号：企业微信账号 企业微信账号已停用或已删除 系统核验 已完成 系统核验 ·");
    expect(page).toContain(`待签字：移交人 ${CAST.leaverName}`);
  });

  it("robot and app messages name people, never by userid (a <@userid> mention renders as the name)", () => {
    const staffIds = CORP_SEED.users!.map((u) => u.userid);
    const readable = (text: string) => text.replace(/<@[^>]+>/g, " ").replace(/\]\([^)]*\)/g, "]").replace(/https?:\/\/\S+/g, " ");
    const found: string[] = [];
    for (const w of env.sandbox.state.webhookMessages) {
      const content = JSON.stringify((w.body as { markdown?: { content?: string } }).markdown?.content ?? "");
      for (const id of internalWordsIn(readable(content), staffIds)) found.push(`robot: ${id}`);
    }
    for (const m of env.sandbox.state.messages.filter((m) => m.msgtype === "text")) {
      const content = (m.body as { text?: { content?: string } }).text?.content ?? "";
      for (const id of internalWordsIn(readable(content), staffIds)) found.push(`app text to ${m.deliveredTo.join(",")}: ${id}`);
    }
    expect(found).toEqual([]);
  });
});
