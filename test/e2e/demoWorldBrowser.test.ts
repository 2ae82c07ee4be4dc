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
      await page.goto(`${env.base}/console`);
      await shoot(page, "successor-home");
      const refused = await page.goto(`${env.base}/console/cases/${result.caseId}`);
      expect(refused?.status()).toBe(403);
      expect(await page.textContent("body")).not.toContain("离职原因");
      await shoot(page, "successor-case-refused");
    });
  });
});
