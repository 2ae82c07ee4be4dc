import type { Page } from "playwright-core";
import { step } from "./browser";
import { consoleBrowserSuite } from "./consoleBrowserSuite";
import type { ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.LAW_SHOTS_DIR;
const ONLY_HQ = "只有集团管理员可以录入或更新法定节假日安排（它影响所有校区的期限）";

// Test data, not the State Council's: 2027-02-06 and 2027-02-20 are Saturdays.
const YEAR_2027 = `依据：测试用安排（非官方）
元旦 2027-01-01 至 2027-01-03 放假
春节 2027-02-06 至 2027-02-12 放假
2027-02-14 上班
2027-02-20 上班`;

/** Issue 18, "Calendars that don't run out", as HQ and HR see it in the console. */
describe("console: the official holiday calendar", () => {
  let h: ConsoleHarness;
  const { signIn, shot } = consoleBrowserSuite(SHOTS, (started) => (h = started));
  const loadedRows = async () =>
    (await h.db.dataSource.query(`SELECT year, cardinality(holidays) AS holidays, cardinality(make_up_workdays) AS make_up, loaded_by, loaded_at FROM calendar_year ORDER BY year`)) as Array<{
      year: number;
      loaded_at: Date;
    }>;

  beforeAll(async () => {
    h.sandbox.state.seed({ users: [{ userid: "hq_ops", name: "集团管理员", departments: [1] }] });
    await h.db.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ('hq_ops', '集团管理员', '{1}', 1)`);
    await h.db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hq_ops', 'hq_admin', NULL, 'test')`);
    // After 1 November the service warns while next year is missing.
    h.clock.set("2026-11-02T09:00:00+08:00");
  }, 120_000);

  const post = async (page: Page, form: Record<string, string> | string) => {
    const csrf = await page.locator("input[name=_csrf]").first().inputValue();
    const body = typeof form === "string" ? `${form}&_csrf=${encodeURIComponent(csrf)}` : new URLSearchParams({ ...form, _csrf: csrf }).toString();
    const res = await page.request.post(`${h.base}/console/calendar`, { data: body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
    return { status: res.status(), text: await res.text() };
  };
  const years = async (page: Page) => page.getByTestId("calendar-years").locator("tbody tr").allInnerTexts();
  const load = async (page: Page, year: string, text: string) => {
    await page.getByLabel("录入年份").fill(year);
    await page.getByLabel("或粘贴安排").fill(text);
    await page.getByRole("button", { name: "校验并录入" }).click();
  };

  it("HQ sees next year missing, gets every wrong line named, loads the year pasted or from a file, and a replay changes nothing", async () => {
    const page = await signIn("hq_ops", 390);
    await step(page, "calendar-list", async () => {
      // The home page says so too, the way HR hears it daily in WeCom.
      await page.goto(`${h.base}/console`);
      expect(await page.getByTestId("calendar-warning").innerText()).toContain("请集团管理员在人事台「设置 → 法定节假日安排」中上传或粘贴官方安排。");
      await shot(page, "dashboard-calendar-warning-390");
      await page.getByRole("link", { name: "设置", exact: true }).click();
      await page.getByRole("link", { name: "法定节假日安排" }).click();
      expect(await page.getByTestId("calendar-warning").innerText()).toContain("系统尚未录入2027年的法定节假日安排");
      const rows = await years(page);
      expect(rows.at(-1)).toMatch(/^2027年\s+未录入/);
      expect(rows.some((r) => r.startsWith("2026年") && r.includes("内置日历"))).toBe(true);
      await shot(page, "calendar-390");
    });

    await step(page, "calendar-refused", async () => {
      await load(page, "2027", `元旦 2027-01-01 至 2027-01-03 放假
2027-02-30 放假
2027-01-02 放假
2027-02-10 上班
春节放七天`);
      await page.getByTestId("calendar-refused").waitFor();
      expect((await page.getByTestId("calendar-refused").innerText()).split("\n").filter(Boolean)).toEqual(
        [
          "放假安排有 5 处问题，整份安排都没有录入",
          "第 2 行：2027-02-30 不是有效日期",
          "第 3 行：2027-01-02 已在第 1 行出现，每个日期只能出现一次",
          "第 4 行：2027-02-10 是星期三，本来就要上班，调休上班日应为周六或周日",
          "第 5 行：无法识别“春节放七天”，应为“名称 2027-01-01 至 2027-01-03 放假”或“2027-02-14 上班”",
          "缺少依据行（如：依据：国办发明电〔2026〕X号）",
        ],
      );
      // The text stays to be corrected.
      expect(await page.getByLabel("或粘贴安排").inputValue()).toContain("春节放七天");
      await shot(page, "calendar-refused-390");
    });
    expect(await loadedRows()).toEqual([]);

    await step(page, "calendar-loaded", async () => {
      await load(page, "2027", YEAR_2027);
      await page.getByText("2027年法定节假日安排已录入（放假 10 天，调休上班 2 天）。").waitFor();
      expect(await page.getByTestId("calendar-warning").count()).toBe(0);
      expect((await years(page)).at(-1)).toMatch(/^2027年\s+已录入官方安排\s+测试用安排（非官方）\s+放假 10 天，调休上班 2 天\s+集团管理员\s+2026-11-02 09:00:00$/);
      expect(await page.locator("main").innerText()).not.toMatch(/hq_ops|loaded|package/);
      await shot(page, "calendar-loaded-390");
    });
    const [loaded] = await loadedRows();
    expect(loaded).toMatchObject({ year: 2027, holidays: 10, make_up: 2, loaded_by: "hq_ops" });

    // The same form again (a resent page): nothing rewritten, and it says so.
    h.clock.advance(60_000);
    const replay = await post(page, { year: "2027", arrangement: YEAR_2027 });
    expect(replay.status).toBe(200);
    expect(replay.text).toContain("2027年法定节假日安排与 2026-11-02 09:00:00 录入的完全相同，未作改动。");
    expect((await loadedRows()).map((r) => r.loaded_at)).toEqual([loaded!.loaded_at]);

    // A holiday-cn year file, chosen with the file input (2028-01-29 is a Saturday).
    await step(page, "calendar-file", async () => {
      await page.getByLabel("录入年份").fill("2028");
      const file = JSON.stringify({ year: 2028, papers: ["测试用文件（非官方）"], days: [{ name: "元旦", date: "2028-01-01", isOffDay: true }, { name: "春节", date: "2028-01-29", isOffDay: false }] });
      await page.getByLabel("选择文件（JSON 或文本，UTF-8）").setInputFiles({ name: "2028.json", mimeType: "application/json", buffer: Buffer.from(file) });
      await page.waitForFunction(`document.getElementById("arrangement").value.includes("2028-01-29")`);
      await page.getByRole("button", { name: "校验并录入" }).click();
      await page.getByText("2028年法定节假日安排已录入（放假 1 天，调休上班 1 天）。").waitFor();
    });
    const wide = await signIn("hq_ops", 1280);
    await wide.goto(`${h.base}/console/calendar`);
    await shot(wide, "calendar-1280");
  }, 180_000);

  it("refuses hostile posts with the reason, and read-only roles may look but not load", async () => {
    const page = await signIn("hq_ops", 390);
    await page.goto(`${h.base}/console/calendar`);
    const before = await loadedRows();
    // A file naming another year than the one chosen.
    const other = await post(page, { year: "2029", arrangement: JSON.stringify({ year: 2030, holidays: ["2030-01-01"], makeUpWorkdays: [], source: "测试" }) });
    expect(other.status).toBe(400);
    expect(other.text).toContain("未录入：文件中的年份（2030）与地址中的年份（2029）不一致");
    const nul = await post(page, "year=2029&arrangement=%E4%BE%9D%E6%8D%AE%EF%BC%9A%00");
    expect(nul.status).toBe(400);
    expect(nul.text).toContain("提交的内容有误：包含不允许的控制字符");
    const long = await post(page, { year: "2029", arrangement: `依据：${"文".repeat(5000)}\n2029-01-01 放假` });
    expect(long.status).toBe(400);
    expect(long.text).toContain("第 1 行：依据最多 200 字");
    const badYear = await post(page, { year: "２０２９", arrangement: "依据：测试\n2029-01-01 放假" });
    expect(badYear.status).toBe(400);
    expect(badYear.text).toContain("未录入：年份应为四位数字（如 2027）");
    const broken = await post(page, { year: "2029", arrangement: '{"year": 2029, "holidays": [' });
    expect(broken.status).toBe(400);
    expect(broken.text).toContain("未录入：文件以 { 开头但不是完整有效的 JSON");
    expect(await loadedRows()).toEqual(before);

    // HR reads which years are loaded (and would be warned), without the form; a post is refused saying who may.
    const hr = await signIn("hr_bj", 390);
    await hr.goto(`${h.base}/console/calendar`);
    expect(await hr.getByRole("button", { name: "校验并录入" }).count()).toBe(0);
    expect(await hr.locator("main").innerText()).toContain("由集团管理员录入");
    const hrPost = await post(hr, { year: "2029", arrangement: "依据：测试\n2029-01-01 放假" });
    expect(hrPost.status).toBe(403);
    expect(hrPost.text).toContain(`未录入：${ONLY_HQ}`);
    await shot(hr, "calendar-hr-390");
    const teacher = await signIn("t_b", 390);
    expect((await teacher.goto(`${h.base}/console/calendar`))?.status()).toBe(403);
    expect(await teacher.locator("main").innerText()).toContain("只有人事、校长和集团管理员可以查看法定节假日安排");
    expect(await loadedRows()).toEqual(before);
  }, 180_000);
});
