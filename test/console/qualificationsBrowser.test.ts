import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, step } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.PEOPLE_SHOTS_DIR;

/** Teachers' qualifications as HR and a campus head use them in the console; the plan's "无同学科持证教师". */
describe("console: teacher qualifications", () => {
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
  const header = "账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至";

  it("HR imports a file, sees every bad row named, fixes it and reads the list; the plan says when nobody is certified", async () => {
    const page = await signIn("hr_bj", 390);
    await step(page, "people-plan-note", async () => {
      // The harness prepared 张老师's plan: her co-teachers teach 语文 and 英语, nobody holds a 数学 certificate.
      await page.goto(`${h.base}/console/handover/teacher_a`);
      expect(await page.getByTestId("qualification-note").textContent()).toBe(
        "无同学科持证教师：没有可接替的老师持有数学学科的教师资格证，方案中的接替老师未持该学科证书，请人事确认",
      );
      await shot(page, "plan-no-certified-390");
    });
    await step(page, "people-refused", async () => {
      await page.getByRole("link", { name: "教师资质" }).click();
      await page.getByText("还没有登记任何资质。").waitFor();
      const bad = `${header}\nt_b,王老师,教师资格证,,20154405112000123,数学,高级中学,2022-09-01,\nt_c,刘老师,教师资格证,,20164405112000456,英语,大学,2023-13-01,\nteacher_s,上海老师,其他证书,急救证,A1234,,,,2027-01-01\n`;
      await page.getByLabel("选择 CSV 文件（UTF-8）").setInputFiles({ name: "资质.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
      // The file picker fills the text box (the page's own script reads the file).
      await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { value: string } } }).document.getElementById("csv").value.length > 0);
      expect(await page.getByLabel(/或粘贴 CSV 内容/).inputValue()).toBe(bad);
      await page.getByRole("button", { name: "导入" }).click();
      const refused = await page.getByTestId("import-refused").innerText();
      expect(refused).toContain("CSV 中有 2 处错误，未导入任何数据");
      expect(refused).toContain("第 3 行「注册日期」：「2023-13-01」不是有效日期，应为 YYYY-MM-DD");
      expect(refused).toContain("第 3 行「学段」：应为 幼儿园、小学、初级中学、高级中学、中等职业学校、中等职业学校实习指导、高等学校 之一");
      await shot(page, "qualifications-refused-390");
    });
    await step(page, "people-imported", async () => {
      const good = `${header}\nt_b,王老师,教师资格证,,20154405112000123,数学,高级中学,2021-05-30,\nt_c,刘老师,其他证书,普通话水平测试等级证书,4411000123,,,2019-05-01,2029-04-30\n`;
      await page.getByLabel(/或粘贴 CSV 内容/).fill(good);
      await page.getByRole("button", { name: "导入" }).click();
      await page.getByText("导入完成：新增 2 条，更新 0 条，未变化 0 条。到期前 90、30、7 天将提醒教师本人和校区人事。").waitFor();
      const table = await page.getByTestId("qualifications").innerText();
      // Today is 2026-03-02: 王老师's registration of 2021-05-30 is due 2026-05-30 (89 days), within 90 days.
      expect(table).toContain("王老师");
      expect(table).toContain("教师资格证（高级中学·数学）");
      expect(table).toContain("2026-05-30 前完成定期注册");
      expect(table).toContain("即将到期");
      expect(table).toContain("2029-04-30 前办理续期");
      expect(table).not.toContain("t_b");
      await shot(page, "qualifications-390");
      const again = `${good}`;
      await page.getByLabel(/或粘贴 CSV 内容/).fill(again);
      await page.getByRole("button", { name: "导入" }).click();
      await page.getByText("导入完成：新增 0 条，更新 0 条，未变化 2 条。", { exact: false }).waitFor();
    });
    const wide = await signIn("hr_bj", 1280);
    await wide.goto(`${h.base}/console/qualifications`);
    await shot(wide, "qualifications-1280");
  }, 120_000);

  it("a campus head reads the list but has no import, and another campus's HR sees none of it", async () => {
    const head = await signIn("head_bj", 390);
    await head.goto(`${h.base}/console/qualifications`);
    await head.getByText("您可以查看本校区教师的资质；导入和修改由人事负责。").waitFor();
    expect(await head.getByRole("button", { name: "导入" }).count()).toBe(0);
    expect(await head.getByTestId("qualifications").innerText()).toContain("王老师");
    await shot(head, "qualifications-campus-head-390");
    const other = await signIn("hr_sh", 1280);
    await other.goto(`${h.base}/console/qualifications`);
    await other.getByText("还没有登记任何资质。").waitFor();
  }, 90_000);
});
