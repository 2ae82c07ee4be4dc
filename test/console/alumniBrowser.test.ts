import type { Page } from "playwright-core";
import { step } from "./browser";
import { consoleBrowserSuite } from "./consoleBrowserSuite";
import type { ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.LAW_SHOTS_DIR;
const MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";

/** The alumni pool as HR and a campus head use it in the console: tags, search, opt-in outreach (seed 004). */
describe("console: alumni pool", () => {
  let h: ConsoleHarness;
  const { signIn, shot } = consoleBrowserSuite(SHOTS, (started) => (h = started));
  beforeAll(async () => {
    const q = (sql: string) => h.db.dataSource.query(sql);
    await q(`INSERT INTO alumni (userid, name, position, department_id, reason_category, left_on, rehire_eligible, performance_grade, tags) VALUES
      ('old_1', '李静', '英语老师', 2, 'family', '2026-01-31', true, 'A', '{双语}'),
      ('old_2', '周洋', '数学老师', 2, 'compensation', '2025-12-31', false, 'C', '{}'),
      ('old_3', '马强', '课程顾问', 2, 'personal_development', '2025-11-30', NULL, NULL, '{}')`);
    h.sandbox.state.seed({ externalContacts: [{ externalUserId: "wm_alum_1", name: "李静" }], follows: [{ userid: "hr_bj", externalUserId: "wm_alum_1" }] });
    await q(`INSERT INTO external_contact (external_userid, name, updated_at) VALUES ('wm_alum_1', '李静', now())`);
    await q(`INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) VALUES ('hr_bj', 'wm_alum_1', 'active', now(), now())`);
    const res = await fetch(`${h.base}/api/hr/alumni/old_1/outreach`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${h.apiToken("hr_bj")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ externalUserid: "wm_alum_1", festival: true, jobs: true, evidence: "企业微信回复：愿意接收" }),
    });
    expect(res.status).toBe(200);
  }, 90_000);


  it("HR finds alumni by tag and word, and sends a festival greeting only to those who agreed", async () => {
    for (const width of [390, 1280]) {
      const page = await signIn("hr_bj", width);
      await step(page, `alumni-list-${width}`, async () => {
        await page.getByRole("link", { name: "离职人才库" }).click();
        const table = await page.getByTestId("alumni").innerText();
        expect(table).toContain("李静");
        expect(table).toContain("离职原因:家庭原因");
        expect(table).toContain("绩效:优秀");
        expect(table).toContain("不建议返聘");
        expect(table).toContain("已同意接收：节日问候、招聘信息（通过北京人事的企业微信）");
        expect(table).not.toMatch(/old_1|wm_alum|family|hr_bj/);
        await shot(page, `alumni-${width}`);
      });
    }
    const page = await signIn("hr_bj", 390);
    await page.goto(`${h.base}/console/alumni`);
    await step(page, "alumni-search", async () => {
      await page.getByLabel("姓名或标签中的词").fill("数学");
      await page.getByRole("button", { name: "搜索" }).click();
      expect(await page.getByTestId("alumni").innerText()).toContain("周洋");
      expect(await page.getByTestId("alumni").innerText()).not.toContain("李静");
      await page.goto(`${h.base}/console/alumni`);
      await page.getByRole("link", { name: "可返聘", exact: true }).click();
      const rows = await page.getByTestId("alumni").locator("tbody tr").allInnerTexts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain("李静");
    });
    await step(page, "alumni-send", async () => {
      await page.goto(`${h.base}/console/alumni`);
      // Only 李静 agreed: the form offers her alone.
      expect(await page.getByRole("checkbox").count()).toBe(1);
      await page.getByLabel("内容").fill("新春快乐！朝阳校区的同事们想念您。");
      await page.getByRole("button", { name: "发送" }).click();
      await page.getByText("节日问候：已向 1 位校友发起群发，需北京人事在企业微信中确认后发出。").waitFor();
      expect(h.sandbox.calls.callsTo(MSG_TEMPLATE).map((c) => c.body)).toEqual([
        { chat_type: "single", sender: "hr_bj", external_userid: ["wm_alum_1"], text: { content: "新春快乐！朝阳校区的同事们想念您。" } },
      ]);
      await shot(page, "alumni-sent-390");
    });
  }, 150_000);

  it("a campus head reads the pool without grades and is offered no sending", async () => {
    const page = await signIn("head_bj", 1280);
    await page.goto(`${h.base}/console/alumni`);
    const table = await page.getByTestId("alumni").innerText();
    expect(table).toContain("李静");
    expect(table).not.toContain("绩效");
    expect(await page.getByRole("heading", { name: "发送节日问候或招聘信息" }).count()).toBe(0);
    await shot(page, "alumni-head-1280");
  }, 60_000);

  it("HR tags an alum, records their opt-in in their words and withdraws it; a campus head only reads", async () => {
    const PEOPLE = process.env.PEOPLE_SHOTS_DIR;
    const peopleShot = async (page: Page, name: string) => {
      if (PEOPLE) await page.screenshot({ path: `${PEOPLE}/${name}.png`, fullPage: true });
    };
    const q = (sql: string) => h.db.dataSource.query(sql);
    await q(`INSERT INTO external_contact (external_userid, name, updated_at) VALUES ('wm_alum_2', '周洋', now()), ('wm_other', '王家长', now())`);
    await q(`INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) VALUES ('hr_bj', 'wm_alum_2', 'active', now(), now()), ('hr_bj', 'wm_other', 'active', now(), now())`);
    const page = await signIn("hr_bj", 390);
    await step(page, "alum-tags", async () => {
      await page.goto(`${h.base}/console/alumni`);
      await page.getByRole("link", { name: "周洋", exact: true }).click();
      await page.getByText("还没有自定义标签。").waitFor();
      await page.getByLabel("新标签").fill("可带竞赛");
      await page.getByRole("button", { name: "添加标签" }).click();
      await page.getByText("已为周洋添加标签「可带竞赛」。").waitFor();
      expect(await page.getByTestId("hr-tags").innerText()).toContain("可带竞赛");
      // The same tag again changes nothing; a derived tag is refused with the reason.
      await page.getByLabel("新标签").fill("可带竞赛");
      await page.getByRole("button", { name: "添加标签" }).click();
      await page.getByText("周洋已有标签「可带竞赛」，没有变化。").waitFor();
      await page.getByLabel("新标签").fill("岗位:校长");
      await page.getByRole("button", { name: "添加标签" }).click();
      await page.getByText("这是系统根据离职原因、岗位、绩效和返聘意见生成的标签，请在离职案件中修改", { exact: false }).waitFor();
      await page.getByLabel("新标签").fill("奥数教练");
      await page.getByRole("button", { name: "添加标签" }).click();
      await page.getByText("已为周洋添加标签「奥数教练」。").waitFor();
      await page.getByRole("button", { name: "删除标签可带竞赛" }).click();
      await page.getByText("已删除周洋的标签「可带竞赛」。").waitFor();
      expect(await page.getByTestId("hr-tags").innerText()).not.toContain("可带竞赛");
      // The list finds the alum by HR's tag.
      await page.goto(`${h.base}/console/alumni?tag=${encodeURIComponent("奥数教练")}`);
      expect(await page.getByTestId("alumni").innerText()).toContain("周洋");
    });
    await step(page, "alum-optin", async () => {
      await page.getByRole("link", { name: "周洋", exact: true }).click();
      // The customer with the alum's name is chosen already; HR confirms it and writes the alum's words.
      expect(await page.getByLabel("周洋是您的哪位企业微信客户").locator("option:checked").textContent()).toBe("周洋");
      await page.getByLabel("招聘信息").check();
      await page.getByLabel("同意的方式和原话").fill("2026-03-01 企业微信回复：有合适的岗位请告诉我");
      await page.getByRole("button", { name: "登记同意" }).click();
      await page.getByText("已登记：周洋同意通过您的企业微信接收节日问候和招聘信息，可随时撤回。").waitFor();
      const optin = await page.getByTestId("optin").innerText();
      expect(optin).toContain("已同意接收：节日问候、招聘信息（通过北京人事的企业微信）");
      expect(optin).toContain("同意原话：「2026-03-01 企业微信回复：有合适的岗位请告诉我」");
      expect(await page.locator("main").innerText()).not.toMatch(/old_2|wm_alum|wm_other|hr_bj|compensation/);
      await peopleShot(page, "alum-optin-390");
      await page.getByRole("button", { name: "撤回同意（不再发送）" }).click();
      await page.getByText("已撤回：今后不再向周洋发送节日问候和招聘信息。").waitFor();
      expect(await page.getByTestId("optin").innerText()).toMatch(/^已撤回（\d{4}-\d{2}-\d{2} \d{2}:\d{2}），不再发送/);
      // A replayed withdraw is answered, not a crash.
      expect((await fetch(`${h.base}/api/hr/alumni/old_2/outreach`, { method: "DELETE", headers: { Authorization: `Bearer ${h.apiToken("hr_bj")}` } })).status).toBe(404);
    });
    const wide = await signIn("hr_bj", 1280);
    await wide.goto(`${h.base}/console/alumni/old_2`);
    await peopleShot(wide, "alum-1280");
    const head = await signIn("head_bj", 390);
    await head.goto(`${h.base}/console/alumni/old_2`);
    expect(await head.getByTestId("hr-tags").innerText()).toContain("奥数教练");
    expect(await head.getByRole("button", { name: "添加标签" }).count()).toBe(0);
    expect(await head.getByRole("button", { name: "登记同意" }).count()).toBe(0);
    await peopleShot(head, "alum-campus-head-390");
  }, 180_000);
});
