import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { fetchPendingMedia } from "../../src/conversations/media/fetchMedia";
import { FsMediaStore } from "../../src/conversations/media/store/fsMediaStore";
import { silentLogger } from "../../src/platform/logger";
import { launchChromium, step } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

/** HR opens a thread in the console and downloads a parent's photo and a teacher's file by their names. */
describe("archived media in the console", () => {
  let h: ConsoleHarness;
  let chromium: { browser: Browser; close(): Promise<void> };
  const mediaDir = mkdtempSync(path.join(tmpdir(), "wpg-console-media-"));
  const photo = randomBytes(40_000);
  const homework = randomBytes(120_000);

  beforeAll(async () => {
    [h, chromium] = await Promise.all([startConsoleHarness({ MEDIA_DIR: mediaDir }), launchChromium()]);
    h.sandbox.actors.chat({ from: "wm_p1", to: "teacher_a", msgtype: "image", media: photo });
    h.sandbox.actors.chat({ from: "teacher_a", to: "wm_p1", msgtype: "file", payload: { filename: "第三章作业.pdf", fileext: "pdf" }, media: homework });
    const archive = h.service.capabilities.conversations.archive!;
    await archive.drainer.request();
    const report = await fetchPendingMedia({ dataSource: h.db.dataSource, source: archive.source, keyRing: archive.keyRing, store: new FsMediaStore(mediaDir), clock: h.clock, logger: silentLogger() });
    expect(report).toMatchObject({ stored: 2, failed: 0 });
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it("shows a download link per file and serves the bytes under the file's name", async () => {
    for (const width of [390, 1280]) {
      const context = await chromium.browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN", acceptDownloads: true });
      const page = await context.newPage();
      await step(page, `media-thread-${width}`, async () => {
        await page.goto(`${h.base}/console`);
        const state = new URL(page.url()).searchParams.get("state")!;
        await page.goto(`${h.base}/console/oauth/callback?code=${h.sandbox.actors.oauthLogin("hr_bj")}&state=${state}`);
        await page.goto(`${h.base}/console/archive/thread?staff=teacher_a&parent=wm_p1`);
        const links = page.getByTestId("media-download");
        expect(await links.allTextContents()).toEqual(["下载图片", "下载文件"]);
        await page.screenshot({ path: `/work/shots/s26-media/thread-${width}.png`, fullPage: true });
        const [download] = await Promise.all([page.waitForEvent("download"), links.nth(1).click()]);
        expect(download.suggestedFilename()).toBe("第三章作业.pdf");
        const saved = await download.path();
        expect(readFileSync(saved).equals(homework)).toBe(true);
      });
      await context.close();
    }
  });
});
