import type { Page } from "playwright-core";
import { launchChromium, signInToConsole } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

/**
 * What every console browser test sets up: one harness and one headless Chromium for the describe block
 * (started in its first beforeAll, closed after it), signing in as a person at a width, and full-page
 * screenshots into `shotsDir` when it is set. `started` hands the harness to the test file's own `h`; a file's
 * further set-up goes in a beforeAll registered after this call.
 */
export function consoleBrowserSuite(shotsDir: string | undefined, started: (h: ConsoleHarness) => void) {
  let h: ConsoleHarness | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => {
    [h, chromium] = await Promise.all([startConsoleHarness(), launchChromium()]);
    started(h);
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
  });
  return {
    signIn: (userid: string, width: number): Promise<Page> => signInToConsole(chromium!.browser, h!, userid, width),
    shot: async (page: Page, name: string): Promise<void> => {
      if (shotsDir) await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage: true });
    },
  };
}
