import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { SESSION_COOKIE } from "../../src/auth/authenticate";
import { CAST } from "../../src/demo/cast";
import { startStoryEnv, type StoryEnv } from "../../src/demo/env";
import { playStory, type StoryResult } from "../../src/demo/story";
import { silentTranscript } from "../../src/demo/transcript";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { launchChromium, step } from "../console/browser";
import { createTestDatabase } from "../support/testDatabase";

// Each test is a walk of several pages (and a PDF): on a loaded CI machine that takes longer than the default 30 s.
jest.setTimeout(120_000);

/** Where the walk's screenshots go (390 px phone, 1280 px desk), named in the test output. */
const SCREENS = path.resolve(__dirname, "../../test-results/screens");

/**
 * The demo's world after the story, walked in headless Chromium the way its
 * people would: HR from the dashboard through the case, the plan and the
 * alerts; the successor through what they inherited, and refused the rest.
 * Every page is photographed at phone and desk width.
 */
describe("the demo world, walked in a browser", () => {
  let db: Database;
  let env: StoryEnv;
  let result: StoryResult;
  let chromium: { browser: Browser; close(): Promise<void> };
  const shots: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    db = await createTestDatabase();
    [env, chromium] = await Promise.all([startStoryEnv(db, silentLogger()), launchChromium()]);
    result = await playStory(env, silentTranscript());
  }, 180_000);
  afterAll(async () => {
    // eslint-disable-next-line no-console
    if (shots.length) console.log(`screenshots:\n${shots.join("\n")}`);
    await chromium?.close();
    await env?.stop();
    await db?.close();
  });

  /** A signed-in browser (the session cookie WeCom OAuth would have set) at the given width. */
  async function as(userid: string, width: 390 | 1280): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, locale: "zh-CN" });
    await context.addCookies([{ name: SESSION_COOKIE, value: env.consoleToken(userid), url: env.base }]);
    return context.newPage();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const width = page.viewportSize()?.width;
    const file = path.join(SCREENS, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  }

  async function shootPart(page: Page, selector: string, name: string): Promise<void> {
    const file = path.join(SCREENS, `${name}-${page.viewportSize()?.width}.png`);
    await page.locator(selector).screenshot({ path: file });
    shots.push(file);
  }

  async function visible(page: Page, text: string | RegExp): Promise<void> {
    await page.getByText(text).first().waitFor({ timeout: 10_000 });
  }

  it.each([390, 1280] as const)("HR at %i px: dashboard → case → plan → alerts", async (width) => {
    const page = await as(CAST.hr, width);
    await step(page, `hr-walk-${width}`, async () => {
      await page.goto(`${env.base}/console`);
      await visible(page, "进行中的离职案件");
      await shoot(page, "hr-dashboard");

      await page.goto(`${env.base}/console/cases`);
      await page.getByRole("link", { name: CAST.leaverName }).click();
      expect(new URL(page.url()).pathname).toBe(`/console/cases/${result.caseId}`);
      await visible(page, "雇佣关系已结束，但交接尚未完成");
      expect(await page.getByTestId("case-status").textContent()).toBe("离职证明已开具");
      await shoot(page, "hr-case");
      await shootPart(page, 'section[aria-labelledby="h-checklist"]', "hr-case-checklist");

      await page.getByRole("link", { name: "查看家长接替方案" }).click();
      await visible(page, "转接进度（逐位家长）");
      await shoot(page, "hr-plan");

      await page.goto(`${env.base}/console/alerts`);
      await visible(page, "马强");
      await shoot(page, "hr-alerts");
    });
  });

  it.each([390, 1280] as const)("the successor at %i px sees what she inherited and is refused the leaver's case", async (width) => {
    const page = await as(CAST.successors[0], width);
    await step(page, `successor-walk-${width}`, async () => {
      // Her console home is her own page: the parents she inherits, the history with them, her tasks.
      await page.goto(`${env.base}/console`);
      expect(new URL(page.url()).pathname).toBe("/console/inherited");
      await visible(page, "我接替的家长（3）");
      expect(await page.getByRole("link", { name: "离职案件" }).count()).toBe(0);
      await shoot(page, "successor-home");
      await page.getByRole("link", { name: "查看与李静的沟通记录" }).first().click();
      expect(new URL(page.url()).pathname).toBe("/console/archive/thread");
      await shoot(page, "successor-thread");
      const refused = await page.goto(`${env.base}/console/cases/${result.caseId}`);
      expect(refused?.status()).toBe(403);
      expect(await page.textContent("body")).not.toContain("离职原因");
      await shoot(page, "successor-case-refused");
    });
  });

  it.each([390, 1280] as const)("the successor whose parent declined sees the follow-up task at %i px, and HR sees it on the case's board", async (width) => {
    const page = await as(CAST.successors[1], width);
    await step(page, `successor-task-${width}`, async () => {
      await page.goto(`${env.base}/console/inherited`);
      await visible(page, "待办（1）");
      expect(await page.getByTestId("follow-up").textContent()).toContain("黄爸爸（学生04 · 三年级二班） 家长拒绝：重新邀请家长");
      await shoot(page, "successor-task");
    });
    const hr = await as(CAST.hr, width);
    await step(hr, `hr-board-follow-up-${width}`, async () => {
      await hr.goto(`${env.base}/console/cases/${result.caseId}`);
      await visible(hr, "跟进：周洋（接替老师）");
      await shootPart(hr, "#board", "hr-case-board");
    });
  });

  it.each([390, 1280] as const)("HR at %i px opens the signed notice and the certificate as printable pages", async (width) => {
    const page = await as(CAST.hr, width);
    await step(page, `hr-documents-${width}`, async () => {
      await page.goto(`${env.base}/console/cases/${result.caseId}`);
      await page.getByRole("link", { name: "查看/打印书面通知" }).click();
      await visible(page, "签署人：李静");
      expect(await page.getByRole("img", { name: "李静的手写签名" }).count()).toBe(1);
      await shoot(page, "hr-notice");
      await page.goto(`${env.base}/console/cases/${result.caseId}`);
      await page.getByRole("link", { name: "查看/打印离职证明" }).click();
      expect(await page.getByTestId("certificate").textContent()).toContain("李静");
      await shoot(page, "hr-certificate");
      // A PDF as the browser's print dialog would save it.
      if (width === 1280) {
        const pdf = await page.pdf({ format: "A4" });
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      }
    });
  });

  it("HR registers a WeChat resignation message, names the receiver by name, reminds now and records an agreement, all from the console", async () => {
    const page = await as(CAST.hr, 390);
    await step(page, "hr-register", async () => {
      await page.goto(`${env.base}/console/cases`);
      await page.getByText("登记非书面离职通知").click();
      await page.getByLabel("员工（输入姓名选择）").fill("马强");
      await page.getByLabel("方式").selectOption({ label: "微信消息" });
      await page.getByLabel("收到时间").fill("2026-04-02T21:15");
      await page.getByLabel("员工原话或通话记录（作为证据保存）").fill("刘老师，我想离职，干到五月底吧");
      await page.getByLabel("员工提出的最后工作日").fill("2026-05-31");
      await shoot(page, "hr-register-form");
      await page.getByRole("button", { name: "登记并请员工签署书面通知" }).click();
      await visible(page, "已登记离职通知，已请员工在小程序中签署书面通知");
      expect(await page.getByTestId("case-status").textContent()).toBe("人事已登记，待员工确认");
      const caseUrl = page.url().split("?")[0]!;

      // A name that is nobody's: refused on the page with the reason, nothing changed.
      await page.getByLabel("接收人（输入姓名选择）").fill("王小二");
      const refused = page.waitForResponse((r) => r.url().endsWith("/parties"));
      await page.getByRole("button", { name: "保存" }).click();
      expect((await refused).status()).toBe(400);
      await visible(page, "未更换：您负责的范围内没有名为“王小二”的在职员工，请从列表中选择接收人");

      await page.getByLabel("接收人（输入姓名选择）").fill("王芳");
      await page.getByLabel("监交人（输入姓名选择）").fill("赵明");
      await page.getByRole("button", { name: "保存" }).click();
      await visible(page, "已更新交接接收人与监交人");
      await visible(page, /当前接收人：王芳；监交人：赵明/);

      await page.getByRole("button", { name: "立即提醒" }).click();
      await visible(page, /已安排立即提醒：马强/);

      await page.getByLabel("最后工作日").fill("2026-04-30");
      await page.getByRole("button", { name: "记录协商一致" }).click();
      await visible(page, "已记录协商一致的最后工作日");
      await shoot(page, "hr-registered-case");
      expect(page.url().startsWith(caseUrl)).toBe(true);
    });
  });

  it("a reader who may not change the case sees no HR buttons and is refused a write (403)", async () => {
    const page = await as(CAST.departmentHead, 390);
    await page.goto(`${env.base}/console/cases/${result.caseId}`);
    await visible(page, "概况");
    expect(await page.getByRole("heading", { name: "人事操作" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "立即提醒" }).count()).toBe(0);
    const csrf = await page.locator("input[name=_csrf]").first().inputValue();
    const res = await page.request.post(`${env.base}/console/cases/${result.caseId}/remind-now`, { form: { _csrf: csrf } });
    expect(res.status()).toBe(403);
  });
});
