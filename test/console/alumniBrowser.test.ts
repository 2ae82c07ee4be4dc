import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, step } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.LAW_SHOTS_DIR;
const MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";

/** The alumni pool as HR and a campus head use it in the console: tags, search, opt-in outreach (seed 004). */
describe("console: alumni pool", () => {
  let h: ConsoleHarness;
  let chromium: { browser: Browser; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [h, chromium] = await Promise.all([startConsoleHarness(), launchChromium()]);
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
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
  });

  async function signIn(userid: string, width: number): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${h.base}/console`);
    const state = new URL(page.url()).searchParams.get("state")!;
    await page.goto(`${h.base}/console/oauth/callback?code=${h.sandbox.actors.oauthLogin(userid)}&state=${state}`);
    return page;
  }
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

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
});
