import { step } from "./browser";
import { consoleBrowserSuite } from "./consoleBrowserSuite";
import type { ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.PEOPLE_SHOTS_DIR;

/** Who has not signed the work-account rules (onboarding), per campus, and HR's rate-limited "remind again". */
describe("console: unsigned work-account rules", () => {
  let h: ConsoleHarness;
  const { signIn, shot } = consoleBrowserSuite(SHOTS, (started) => (h = started));
  const notices = async () =>
    (await h.db.dataSource.query(`SELECT message FROM wecom_outbox WHERE message->>'content' LIKE '【人事提醒】%' ORDER BY id`)).map(
      (r: { message: { touser: string[] } }) => r.message.touser.join(),
    );
  beforeAll(async () => {
    const now = h.clock.now().getTime();
    // 王老师 joined 9 days ago, 刘老师 today (北京); 上海老师 2 days ago; 张老师 signed (not listed).
    await h.db.dataSource.query(
      `INSERT INTO work_rules_signature (userid, opened_at) VALUES ('t_b', $1), ('t_c', $2), ('teacher_s', $3)`,
      [new Date(now - 9 * 86_400_000), new Date(now - 3_600_000), new Date(now - 2 * 86_400_000)],
    );
  }, 90_000);


  it("HR sees their campus's unsigned members by name with how long they waited, and reminds again once a day", async () => {
    const page = await signIn("hr_bj", 390);
    await step(page, "work-rules-list", async () => {
      await page.getByRole("link", { name: "入职规则" }).click();
      const rows = await page.getByTestId("unsigned").locator("tbody tr").allInnerTexts();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain("王老师");
      expect(rows[0]).toContain("9 天");
      expect(rows[1]).toContain("刘老师");
      expect(rows[1]).toContain("不到 1 天");
      expect(await page.locator("main").innerText()).not.toMatch(/t_b|t_c|teacher_s|上海老师/);
      expect(await page.locator("main").innerText()).toContain("共 2 人未签署，其中 1 人已超过 7 天。");
      await shot(page, "work-rules-390");
    });
    await step(page, "work-rules-remind", async () => {
      await page.getByRole("button", { name: "再次提醒王老师" }).click();
      await page.getByText("已通过企业微信再次提醒王老师签署工作账号规则。").waitFor();
      expect(await notices()).toEqual(["t_b"]);
      // The button is gone for a day; a replayed request sends nothing and says when it was sent.
      expect(await page.getByRole("button", { name: "再次提醒王老师" }).count()).toBe(0);
      expect(await page.getByTestId("unsigned").innerText()).toContain("今天已提醒");
      const replay = await fetch(`${h.base}/api/hr/work-rules/t_b/remind`, { method: "POST", headers: { Authorization: `Bearer ${h.apiToken("hr_bj")}` } });
      expect(replay.status).toBe(200);
      expect(((await replay.json()) as { data: { message: string } }).data.message).toMatch(/^已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 提醒过王老师，这次未重复发送；/);
      expect(await notices()).toEqual(["t_b"]);
      await shot(page, "work-rules-reminded-390");
    });
    // Another campus's HR may not remind 北京's member; a campus head reads without the button.
    const foreign = await fetch(`${h.base}/api/hr/work-rules/t_c/remind`, { method: "POST", headers: { Authorization: `Bearer ${h.apiToken("hr_sh")}` } });
    expect(foreign.status).toBe(403);
    const head = await signIn("head_bj", 390);
    await head.goto(`${h.base}/console/work-rules`);
    expect(await head.getByRole("button", { name: /再次提醒/ }).count()).toBe(0);
    expect(await head.getByTestId("unsigned").innerText()).toContain("由所在校区人事提醒");
    const wide = await signIn("hr_bj", 1280);
    await wide.goto(`${h.base}/console/work-rules`);
    await shot(wide, "work-rules-1280");
    const sh = await signIn("hr_sh", 1280);
    await sh.goto(`${h.base}/console/work-rules`);
    const shRows = await sh.getByTestId("unsigned").locator("tbody tr").allInnerTexts();
    expect(shRows).toHaveLength(1);
    expect(shRows[0]).toContain("上海老师");
  }, 180_000);
});
