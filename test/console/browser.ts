import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Debian's Chromium, headless. `npm test` installs it with apt when missing
 * (scripts/test-prerequisites.js); a missing browser fails the suite loudly
 * rather than skipping it.
 */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; npm test does this as root) or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh profile. The background-networking flags keep Chromium from
    // dialling out (refused on closed networks, noisy elsewhere); --no-sandbox because CI runs as root.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** Runs a browser step; on failure saves a screenshot under test-results/ before rethrowing. */
export async function step<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const dir = path.resolve(__dirname, "../../test-results");
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name.replace(/[^\w-]+/g, "_")}.png`), fullPage: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * A new browser context signed in to the console as `userid` through the sandbox's WeCom login (the OAuth
 * round trip a person makes), at `width` px. The context closes with the browser.
 */
export async function signInToConsole(
  browser: Browser,
  h: { base: string; sandbox: { actors: { oauthLogin(userid: string): string } } },
  userid: string,
  width: number,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(`${h.base}/console`);
  const state = new URL(page.url()).searchParams.get("state")!;
  await page.goto(`${h.base}/console/oauth/callback?code=${h.sandbox.actors.oauthLogin(userid)}&state=${state}`);
  return page;
}
