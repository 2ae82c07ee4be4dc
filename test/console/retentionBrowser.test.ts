import type { Browser, Page } from "playwright-core";
import { launchChromium, step, signInToConsole } from "./browser";
import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.LOCKDOWN21_SHOTS_DIR;

/**
 * Handover health and leaver lockdown as HR, a campus head and a successor use
 * them in the console: the retention figures and trend on the dashboard, the
 * parents to follow up by name and reason, and the branch's lockdown settings
 * (saved, refused with the reason, read-only for a campus head).
 *
 * Now is 2026-03-02 09:00 (Beijing). 张老师's four parents were handed over:
 * wm_p1 (11-10 → 王老师, replied, active), wm_p2 (11-10 → 王老师, never contacted),
 * wm_p3 (12-15 → 刘老师, replied, then 「转校」), wm_p4 (2026-01-20 → 刘老师, deleted him on 02-01).
 * 30 days: p1 and p3 retained of 4 → 50%; 90 days: p1 of p1, p2 → 50% (p3, p4 not yet at day 90).
 * 上海老师's parent wm_s1 (上海) must never show for 北京.
 */
describe("console: parent retention and leaver lockdown settings", () => {
  let h: ConsoleHarness;
  let chromium: { browser: Browser; close(): Promise<void> };
  beforeAll(async () => {
    [h, chromium] = await Promise.all([startConsoleHarness(), launchChromium()]);
    const q = (sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params);
    await q(`INSERT INTO external_contact (external_userid, name, updated_at) VALUES ('wm_s1', '上海家长甲', now())`);
    const row = (leaver: string, ext: string, successor: string, branch: number, at: string, status: string, f: Record<string, string | null>) =>
      q(
        `INSERT INTO handover_parent_health (leaver_userid, external_userid, successor_userid, branch_id, handed_over_at, transfer_status, backfilled,
           successor_first_msg_at, parent_first_reply_at, parent_last_reply_at, follow_deleted_at, refund_word, refund_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8, $9, $10, $11, $12, now())`,
        [leaver, ext, successor, branch, at, status, f.staff ?? null, f.reply ?? null, f.lastReply ?? f.reply ?? null, f.deleted ?? null, f.word ?? null, f.wordAt ?? null],
      );
    await row("teacher_a", "wm_p1", "t_b", 2, "2025-11-10T10:00:00+08:00", "done", { staff: "2025-11-11T09:00:00+08:00", reply: "2025-11-12T20:00:00+08:00", lastReply: "2026-02-20T20:00:00+08:00" });
    await row("teacher_a", "wm_p2", "t_b", 2, "2025-11-10T10:00:00+08:00", "done", {});
    await row("teacher_a", "wm_p3", "t_c", 2, "2025-12-15T10:00:00+08:00", "done", { staff: "2025-12-16T09:00:00+08:00", reply: "2025-12-20T20:00:00+08:00", word: "转校", wordAt: "2026-02-10T20:00:00+08:00" });
    await row("teacher_a", "wm_p4", "t_c", 2, "2026-01-20T10:00:00+08:00", "done", { staff: "2026-01-21T09:00:00+08:00", deleted: "2026-02-01T12:00:00+08:00" });
    await row("teacher_s", "wm_s1", "hr_sh", 3, "2025-12-01T10:00:00+08:00", "refused", {});
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
  });

  const signIn = (userid: string, width = 1280) => signInToConsole(chromium.browser, h, userid, width);
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const lockdownOf = (page: Page) => page.getByRole("region", { name: "离职管控：企业微信拦截与账号停用" });
  /** The settings page is long: the lockdown section alone, to look at. */
  const sectionShot = async (page: Page, name: string) => {
    if (SHOTS) await lockdownOf(page).screenshot({ path: `${SHOTS}/${name}.png` });
  };
  /** Each follow-up entry as "name state：reason / who · campus" (the handover time cut off: its format is the locale's). */
  const risks = async (page: Page) =>
    (await page.getByTestId("at-risk-list").locator("li").allInnerTexts()).map((t) => t.replace(/\n/, " / ").replace(/ · 交接于 .*$/, ""));
  const rows = async (page: Page, testId: string) =>
    (await page.getByTestId(testId).locator("tbody tr").allInnerTexts()).map((t) => t.split("\t").map((c) => c.trim()));

  it("shows HR the retention figures and trend on the dashboard, and the parents to follow up by name and reason", async () => {
    const page = await signIn("hr_bj");
    await step(page, "retention-dashboard", async () => {
      expect(await page.getByTestId("dashboard-retention-30").textContent()).toBe("50%（2/4）");
      expect(await page.getByTestId("dashboard-retention-90").textContent()).toBe("50%（1/2）");
      expect(await page.getByTestId("dashboard-at-risk").textContent()).toBe("3");
      // The trend is drawn on the server as SVG, each point labelled with its figure.
      const trend = page.getByRole("img", { name: "按交接月份的家长留存率" }).first();
      expect(await trend.locator("text").allTextContents()).toEqual(
        expect.arrayContaining(["2025-11", "2025-12", "2026-01", "50%", "100%", "0%", "30天留存", "90天留存"]),
      );
      await shot(page, "dashboard-retention-1280");
      await page.getByRole("link", { name: "查看家长留存与需要跟进的家长" }).click();
    });
    await step(page, "retention-page", async () => {
      await page.getByRole("heading", { name: "家长留存", level: 1 }).waitFor();
      expect(await page.getByTestId("retention-parents").textContent()).toBe("4");
      expect(await page.getByTestId("retention-risk").textContent()).toBe("2 / 1");
      expect(await risks(page)).toEqual([
        "家长wm_p4 已流失：家长删除了接任老师的企业微信 / 接任老师 刘老师 · 原老师 张老师 · 北京校区",
        "家长wm_p2 有流失风险：接任老师交接后111天未联系家长 / 接任老师 王老师 · 原老师 张老师 · 北京校区",
        "家长wm_p3 有流失风险：家长沟通中出现「转校」 / 接任老师 刘老师 · 原老师 张老师 · 北京校区",
      ]);
      expect(await rows(page, "retention-by-campus")).toEqual([["北京校区", "4", "50%（2/4）", "50%（1/2）", "1 / 0 / 2 / 1"]]);
      expect(await rows(page, "retention-by-month")).toEqual([
        ["2025-11", "2", "50%（1/2）", "50%（1/2）", "1 / 0 / 1 / 0"],
        ["2025-12", "1", "100%（1/1）", "—（尚无家长满 90 天）", "0 / 0 / 1 / 0"],
        ["2026-01", "1", "0%（0/1）", "—（尚无家长满 90 天）", "0 / 0 / 0 / 1"],
      ]);
      const text = await page.locator("main").innerText();
      for (const hidden of ["上海", "wm_s1", "teacher_a", "t_b"]) expect({ hidden, shown: text.includes(hidden) }).toEqual({ hidden, shown: false });
      await shot(page, "retention-1280");
    });
    const phone = await signIn("hr_bj", 390);
    await phone.goto(`${h.base}/console/retention`);
    await shot(phone, "retention-390");
    await phone.goto(`${h.base}/console`);
    await shot(phone, "dashboard-retention-390");
  }, 120_000);

  it("shows a successor only the parents they inherited, and another campus's HR only theirs", async () => {
    const successor = await signIn("t_b", 390);
    await step(successor, "retention-successor", async () => {
      await successor.goto(`${h.base}/console/retention`);
      await successor.getByRole("heading", { name: "我接手的家长", level: 1 }).waitFor();
      expect(await risks(successor)).toEqual(["家长wm_p2 有流失风险：接任老师交接后111天未联系家长 / 接任老师 王老师 · 原老师 张老师 · 北京校区"]);
      expect(await successor.getByTestId("retention-parents").textContent()).toBe("2");
      expect(await successor.getByTestId("retention-by-campus").count()).toBe(0);
      await shot(successor, "retention-successor-390");
    });
    const other = await signIn("hr_sh");
    await step(other, "retention-other-campus", async () => {
      await other.goto(`${h.base}/console/retention`);
      expect(await risks(other)).toEqual(["上海家长甲 已流失：家长拒绝了转接 / 接任老师 上海人事 · 原老师 上海老师 · 上海校区"]);
      expect(await other.locator("main").innerText()).not.toContain("北京");
    });
  }, 60_000);

  it("scopes the handover-health API by the conversation policy's scope(): 上海's HR sees nothing of 北京, HQ both, 北京's campus head reads 北京 only", async () => {
    await h.db.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ('hq_1', '集团管理员', '{1}', 1)`);
    await h.db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hq_1', 'hq_admin', NULL, 'test')`);
    const read = async (userid: string) => {
      const res = await fetch(`${h.base}/api/hr/handover-health`, { headers: { Authorization: `Bearer ${h.apiToken(userid)}` } });
      const body = (await res.json()) as { personal: boolean; parents: { parentName: string; campusName: string }[]; byCampus: { name: string }[] };
      return { status: res.status, personal: body.personal, parents: body.parents.map((p) => `${p.parentName}@${p.campusName}`).sort(), campuses: body.byCampus.map((c) => c.name).sort() };
    };
    const beijing = ["家长wm_p1@北京校区", "家长wm_p2@北京校区", "家长wm_p3@北京校区", "家长wm_p4@北京校区"];
    expect(await read("hr_sh")).toEqual({ status: 200, personal: false, parents: ["上海家长甲@上海校区"], campuses: ["上海校区"] });
    expect(await read("hq_1")).toEqual({ status: 200, personal: false, parents: [...beijing, "上海家长甲@上海校区"].sort(), campuses: ["上海校区", "北京校区"].sort() });
    expect(await read("head_bj")).toEqual({ status: 200, personal: false, parents: beijing, campuses: ["北京校区"] });
    // A successor without a campus role: only the parents handed to them.
    expect(await read("t_c")).toEqual({ status: 200, personal: true, parents: ["家长wm_p3@北京校区", "家长wm_p4@北京校区"], campuses: ["北京校区"] });
    // The campus head reads: the page has nothing to change (no form, no button).
    const head = await signIn("head_bj", 390);
    await head.goto(`${h.base}/console/retention`);
    await head.getByRole("heading", { name: "家长留存", level: 1 }).waitFor();
    expect(await head.locator("main form, main button").count()).toBe(0);
    expect(await head.locator("main").innerText()).not.toContain("上海");
    await shot(head, "retention-head-390");
  }, 60_000);

  it("lets the branch's HR set the lockdown, refuses an over-long word with the reason, and shows a campus head the settings read-only", async () => {
    const page = await signIn("hr_bj");
    await step(page, "lockdown-save", async () => {
      await page.goto(`${h.base}/console/settings/2`);
      expect(await page.getByTestId("lockdown-unconfigured").count()).toBe(1);
      await lockdownOf(page).getByLabel(/^拦截词/).fill("加我微信\n私聊我\n转校找我");
      await lockdownOf(page).getByLabel("红包").uncheck();
      await lockdownOf(page).getByLabel("拦截方式").selectOption("warn");
      await lockdownOf(page).getByLabel(/离职期内群发家长时自动冻结账号/).check();
      await lockdownOf(page).getByLabel(/最后工作日停用账号的时间/).fill("17");
      await lockdownOf(page).getByLabel("接任老师须在几天内联系交接家长").fill("5");
      await page.getByRole("button", { name: "保存离职管控设置" }).click();
      await page.getByText("离职管控设置已保存：企业微信拦截规则将在一分钟内同步到离职人员的手机").waitFor();
      expect(await page.getByTestId("lockdown-unconfigured").count()).toBe(0);
      expect(await lockdownOf(page).getByLabel(/^拦截词/).inputValue()).toBe("加我微信\n私聊我\n转校找我");
      expect(await lockdownOf(page).getByLabel("红包").isChecked()).toBe(false);
      const [stored] = await h.db.dataSource.query(`SELECT settings, updated_by, version FROM leaver_lockdown_settings WHERE branch_id = 2`);
      expect(stored).toEqual({
        settings: {
          enabled: true,
          rule: { name: "离职人员管控", words: ["加我微信", "私聊我", "转校找我"], semantics: ["phone", "email"], mode: "warn" },
          groupSend: { autoFreeze: true },
          lastDay: { disableAtHour: 17 },
          handover: { contactWithinDays: 5, escalateAfterDays: 2 },
        },
        updated_by: "hr_bj",
        version: 1,
      });
      await shot(page, "lockdown-settings-1280");
      await sectionShot(page, "lockdown-section-saved-1280");
    });
    await step(page, "lockdown-refused", async () => {
      await lockdownOf(page).getByLabel(/^拦截词/).fill(`加我微信\n${"很".repeat(33)}`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/console/settings/2/lockdown")), page.getByRole("button", { name: "保存离职管控设置" }).click()]);
      expect(response.status()).toBe(400);
      expect(await page.getByTestId("settings-error").textContent()).toBe("未保存：拦截词第2个不能超过32个字");
      const [stored] = await h.db.dataSource.query(`SELECT version FROM leaver_lockdown_settings WHERE branch_id = 2`);
      expect(stored.version).toBe(1);
      await shot(page, "lockdown-refused-1280");
      if (SHOTS) await page.getByTestId("settings-error").screenshot({ path: `${SHOTS}/lockdown-refused-message-1280.png` });
    });
    const head = await signIn("head_bj", 390);
    await step(head, "lockdown-read-only", async () => {
      await head.goto(`${h.base}/console/settings/2`);
      expect(await lockdownOf(head).getByLabel(/^拦截词/).inputValue()).toBe("加我微信\n私聊我\n转校找我");
      expect(await lockdownOf(head).getByLabel(/^拦截词/).isDisabled()).toBe(true);
      expect(await head.getByRole("button", { name: "保存离职管控设置" }).count()).toBe(0);
      await shot(head, "lockdown-settings-head-390");
      await sectionShot(head, "lockdown-section-head-390");
      // A forged post by the read-only campus head is refused by the API's policy, and nothing changes.
      const res = await head.request.post(`${h.base}/console/settings/2/lockdown`, {
        form: { _csrf: await head.locator("input[name=_csrf]").first().inputValue(), ruleName: "x", words: "", disableAtHour: "9", contactWithinDays: "3", escalateAfterDays: "2" },
      });
      expect(res.status()).toBe(403);
      const [stored] = await h.db.dataSource.query(`SELECT version FROM leaver_lockdown_settings WHERE branch_id = 2`);
      expect(stored.version).toBe(1);
    });
    const phone = await signIn("hr_bj", 390);
    await phone.goto(`${h.base}/console/settings/2`);
    await shot(phone, "lockdown-settings-390");
    await sectionShot(phone, "lockdown-section-390");
  }, 120_000);
});
