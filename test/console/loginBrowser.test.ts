import type { Browser, Page } from "playwright-core";
import { launchChromium, step } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

/** Set to a folder to keep screenshots of the login pages (390 px and 1280 px wide). */
const SHOTS = process.env.LOGIN_SHOTS_DIR;
/** What the WeCom client's webview sends: "wxwork/<version>" marks it. */
const WECOM_CLIENT_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh";

/**
 * Both ways into the console in headless Chromium, through the sandbox's emulation of WeCom's pages: a desktop
 * browser meets WeCom's Web login (wwlogin/sso/login, path/98152), the WeCom client's webview the silent OAuth
 * (connect/oauth2/authorize, path/91022). Both reach the dashboard; a declined login and a state from another
 * browser are refused with the reason.
 */
describe("console sign-in in a browser", () => {
  let h: ConsoleHarness;
  let chromium: { browser: Browser; close(): Promise<void> };
  beforeAll(async () => {
    [h, chromium] = await Promise.all([startConsoleHarness(), launchChromium()]);
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
  });

  async function browser(width: number, userAgent?: string): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN", ...(userAgent ? { userAgent } : {}) });
    return context.newPage();
  }
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const text = (page: Page, t: string) => page.getByText(t, { exact: false }).first().waitFor({ timeout: 5000 });

  it.each([1280, 390])("desktop browser (%i px): WeCom's Web login, confirm as the member, lands on the page asked for", async (width) => {
    const page = await browser(width);
    await step(page, `web-login-${width}`, async () => {
      await page.goto(`${h.base}/console/cases`);
      const at = new URL(page.url());
      expect(`${at.origin}${at.pathname}`).toBe(`${h.sandbox.url}/wwlogin/sso/login`);
      expect(at.searchParams.get("login_type")).toBe("CorpApp");
      await text(page, "企业微信扫码登录");
      await shot(page, `web-login-${width}`);
      await page.getByLabel("成员账号").fill("hr_bj");
      await page.getByRole("button", { name: "确认登录" }).click();
      await page.waitForURL(`${h.base}/console/cases`);
      await text(page, "张老师");
      await page.goto(`${h.base}/console`);
      await text(page, "进行中的离职案件");
      await shot(page, `web-login-dashboard-${width}`);
    });
  }, 90_000);

  it("inside the WeCom client: the OAuth page (silent in WeCom) signs the member in to the dashboard", async () => {
    const page = await browser(390, WECOM_CLIENT_UA);
    await step(page, "client-login", async () => {
      await page.goto(`${h.base}/console`);
      const at = new URL(page.url());
      expect(`${at.origin}${at.pathname}`).toBe(`${h.sandbox.url}/connect/oauth2/authorize`);
      expect(at.searchParams.get("scope")).toBe("snsapi_base");
      await text(page, "企业微信内授权");
      await page.getByLabel("成员账号").fill("head_bj");
      await page.getByRole("button", { name: "确认登录" }).click();
      await page.waitForURL(`${h.base}/console`);
      await text(page, "进行中的离职案件");
    });
  }, 90_000);

  it("a declined login says so and offers a new one; a state started in another browser is refused", async () => {
    const page = await browser(390);
    await step(page, "declined", async () => {
      await page.goto(`${h.base}/console`);
      await page.getByRole("button", { name: "拒绝" }).click();
      await text(page, "你已取消企业微信登录");
      await shot(page, "login-declined-390");
      await page.getByRole("link", { name: "重新登录" }).click();
      await text(page, "企业微信扫码登录");
    });
    // Browser A starts a login; its WeCom page is opened in browser B (a login-CSRF attempt, or a link sent on).
    const a = await browser(1280);
    await a.goto(`${h.base}/console`);
    const b = await browser(1280);
    await step(b, "crossed", async () => {
      await b.goto(a.url());
      await b.getByLabel("成员账号").fill("hr_bj");
      await b.getByRole("button", { name: "确认登录" }).click();
      await text(b, "不是从本浏览器发起");
      await shot(b, "login-crossed-1280");
      expect((await b.context().cookies()).some((c) => c.name === "wpg_session")).toBe(false);
    });
  }, 120_000);
});
