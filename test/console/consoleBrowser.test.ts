import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, step } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

/** The console's main flows in headless Chromium against the service, the sandbox and seeded data. */
describe("HR console in a browser", () => {
  let h: ConsoleHarness;
  let chromium: { browser: Browser; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [h, chromium] = await Promise.all([startConsoleHarness(), launchChromium()]);
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
  });

  /** The OAuth round trip as WeCom does it: our login redirects to the (sandbox) authorize step, which comes back with a code. */
  async function signIn(userid: string): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    contexts.push(context);
    const page = await context.newPage();
    await step(page, `login-${userid}`, async () => {
      await page.goto(`${h.base}/console`);
      await expectText(page, "沙箱登录");
      const state = new URL(page.url()).searchParams.get("state")!;
      await page.goto(`${h.base}/console/oauth/callback?code=${h.sandbox.actors.oauthLogin(userid)}&state=${state}`);
      expect(new URL(page.url()).pathname).toBe("/console");
    });
    return page;
  }

  async function expectText(page: Page, text: string): Promise<void> {
    await page.getByText(text, { exact: false }).first().waitFor({ timeout: 5000 });
  }

  it("signs HR in through OAuth and shows the dashboard with charts", async () => {
    const page = await signIn("hr_bj");
    await step(page, "dashboard", async () => {
      await expectText(page, "进行中的离职案件");
      expect(await page.getByTestId("open-cases").textContent()).toBe("1");
      expect(await page.locator("svg[role=img]").count()).toBeGreaterThan(0);
      expect(await page.getByTestId("open-alerts").textContent()).toBe("1");
    });
  });

  it("verifies a case's dossier (验证通过) and refuses a tampered export (验证失败)", async () => {
    const page = await signIn("hr_bj");
    await step(page, "dossier", async () => {
      await page.goto(`${h.base}/console/cases`);
      await page.getByRole("link", { name: "张老师" }).click();
      await page.getByRole("button", { name: "验证档案完整性" }).click();
      expect(await page.getByTestId("verification").textContent()).toContain("验证通过");

      const exported = (await page.evaluate(async (url) => (await fetch(url)).json(), `/api/hr/cases/${h.caseBj}/dossier.json`)) as {
        entries: { payload: Record<string, unknown> }[];
      };
      exported.entries[0]!.payload = { ...exported.entries[0]!.payload, evidenceText: "改过的内容" };
      await page.getByText("核验一份导出的档案").click();
      await page.getByLabel("粘贴导出的 JSON 文件内容").fill(JSON.stringify(exported));
      await page.getByRole("button", { name: "核验导出文件" }).click();
      expect(await page.getByTestId("verification").textContent()).toContain("验证失败");
    });
  });

  it("edits the successor plan: reassigns a parent, counts update, then confirms", async () => {
    const page = await signIn("hr_bj");
    await step(page, "plan", async () => {
      await page.goto(`${h.base}/console/handover/teacher_a`);
      const count = (userid: string) => page.locator(`[data-testid=per-successor] tr[data-successor=${userid}] td`).nth(1).textContent();
      expect([await count("t_b"), await count("t_c")]).toEqual(["2", "2"]);
      const parent = h.parents.c2[0]!;
      // A teacher of another campus is refused with the reason, on the page, and nothing changes.
      await page.locator(`tr[data-item=${parent}] input[name=successor]`).fill("上海老师");
      await page.locator(`tr[data-item=${parent}] button`).click();
      expect(await page.getByTestId("refusal").textContent()).toBe("未改派：上海老师不在张老师所在校区，也不教这些家长孩子的班级，不能接替");
      expect([await count("t_b"), await count("t_c")]).toEqual(["2", "2"]);
      // By name, as HR knows them.
      await page.locator(`tr[data-item=${parent}] input[name=successor]`).fill("王老师");
      await page.locator(`tr[data-item=${parent}] button`).click();
      await expectText(page, "已调整接替人：家长wm_p3 → 王老师");
      expect([await count("t_b"), await count("t_c")]).toEqual(["3", "1"]);
      expect(await page.locator(`tr[data-item=${parent}] [data-testid=successor]`).getAttribute("data-userid")).toBe("t_b");
      expect(await page.locator(`tr[data-item=${parent}] [data-testid=successor]`).textContent()).toBe("王老师");
      await page.getByRole("button", { name: "确认方案" }).click();
      expect(await page.getByTestId("plan-state").textContent()).toBe("已确认");
    });
    // Six page loads with a plan recomputed twice: at load ~20 on 2 cores this took over 30 s.
  }, 90_000);

  it("freezes the account behind an alert", async () => {
    const page = await signIn("hr_bj");
    await step(page, "alert-freeze", async () => {
      await page.goto(`${h.base}/console/alerts`);
      await page.getByRole("link", { name: "群发可疑消息" }).click();
      // One tap does not freeze: the form asks for an explicit confirmation first.
      await page.getByText("冻结企业微信账号…").click();
      await page.getByLabel(/我确认要冻结/).check();
      await page.getByRole("button", { name: "确认冻结" }).click();
      // The harness's WeCom has the contacts secret, so the account is disabled at once (no IT task).
      expect(await page.getByTestId("alert-status").textContent()).toBe("已冻结账号");
      expect(h.sandbox.calls.callsTo("/cgi-bin/user/update").map((c) => ({ body: c.body, errcode: c.errcode }))).toEqual([
        { body: { userid: "teacher_a", enable: 0 }, errcode: 0 },
      ]);
      expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(2);
      const [action] = await h.db.dataSource.query(`SELECT action, actor_userid, via FROM alert_action WHERE alert_id = $1 AND action = 'freeze'`, [h.alertId]);
      expect(action).toEqual({ action: "freeze", actor_userid: "hr_bj", via: "console" });
      await page.getByLabel("解除原因").fill("核实为正常家长通知");
      await page.getByRole("button", { name: "解除冻结" }).click();
      expect(await page.getByTestId("alert-status").textContent()).toBe("待处理");
      await expectText(page, "北京人事在人事台解除了冻结（核实为正常家长通知）");
      expect(h.sandbox.state.users.get("teacher_a")!.status).toBe(1);
    });
  });

  it("searches a teacher's archived chats, marks the recalled message, and the view is logged", async () => {
    const page = await signIn("hr_bj");
    await step(page, "archive", async () => {
      await page.getByRole("link", { name: "会话存档" }).click();
      // By name, as HR knows the teacher (the account id is the service's business).
      await page.getByLabel("姓名（可选）").fill("张老师");
      await page.getByLabel("关键词").fill("作业");
      await page.getByRole("button", { name: "查询" }).click();
      expect(await page.getByTestId("hits").textContent()).toContain("明天的数学作业是第三章");
      await expectText(page, "本次查看已记录");
      await page.getByRole("link", { name: "查看会话" }).click();
      await expectText(page, "我下个月离职，加我私人微信");
      // The thread names its people: the title and every sender, never an account id.
      expect(await page.locator("h1").textContent()).toMatch(/^会话 · 张老师 ↔ /);
      // (The harness names its parent "家长wm_p1": only the staff account id is checked here.)
      expect(await page.getByTestId("messages").textContent()).not.toContain("teacher_a");
      expect(await page.getByTestId("messages").textContent()).toContain("张老师：明天的数学作业是第三章");
      expect(await page.getByTestId("recalled").count()).toBe(1);
      const logged = await h.db.dataSource.query(`SELECT action, resource_id FROM access_log WHERE actor_userid = 'hr_bj' ORDER BY id`);
      expect(logged).toEqual(
        expect.arrayContaining([
          { action: "search", resource_id: "staff:teacher_a" },
          { action: "read", resource_id: "staff:teacher_a/parent:wm_p1" },
        ]),
      );
    });
  });

  it("changes the branch's quiet hours in settings and stores them", async () => {
    const page = await signIn("hr_bj");
    await step(page, "settings", async () => {
      await page.goto(`${h.base}/console/settings`);
      await page.getByRole("link", { name: "北京校区" }).click();
      await page.getByLabel("免打扰开始").fill("22:30");
      await page.getByRole("button", { name: "保存提醒规则" }).click();
      await expectText(page, "提醒规则已保存");
      expect(await page.getByLabel("免打扰开始").inputValue()).toBe("22:30");
      const [stored] = await h.db.dataSource.query(`SELECT value, updated_by FROM app_setting WHERE key = 'reminder_policy' AND scope = 'department:2'`);
      expect(stored).toMatchObject({ value: { quietHours: { start: "22:30", end: "08:00" } }, updated_by: "hr_bj" });
    });
  });

  it("shows a campus head only their campus", async () => {
    const page = await signIn("head_bj");
    await step(page, "campus-head", async () => {
      await page.goto(`${h.base}/console/cases`);
      expect(await page.getByRole("link", { name: "张老师" }).count()).toBe(1);
      expect(await page.getByRole("link", { name: "上海老师" }).count()).toBe(0);
      const refused = await page.goto(`${h.base}/console/cases/${h.caseSh}`);
      expect(refused?.status()).toBe(403);
    });
  });
});
