import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { SESSION_COOKIE } from "../../src/auth/authenticate";
import { CAST, CORP_SEED, LEAVER_PARENTS } from "../../src/demo/cast";
import { startStoryEnv, type StoryEnv } from "../../src/demo/env";
import { SIGNATURE_PNG } from "../../src/demo/miniProgram";
import { mirrorConversations } from "../../src/demo/steps/mirrorConversations";
import { setUpChain } from "../../src/demo/steps/setUpChain";
import { createStoryContext, type StoryContext } from "../../src/demo/storyContext";
import { silentTranscript } from "../../src/demo/transcript";
import type { Database } from "../../src/platform/db/database";
import { createLogger, silentLogger } from "../../src/platform/logger";
import { launchChromium, step } from "../console/browser";
import { createTestDatabase } from "../support/testDatabase";

// One walk of a whole case, with a live board refresh (15 s) in it: minutes on a loaded machine.
jest.setTimeout(600_000);

/** Screenshots of the walk (1280 px desk, 390 px phone), listed in the test output. */
const SCREENS = path.resolve(__dirname, "../../test-results/screens/hr-walk");

/** Every account id of the demo corp: staff userids, parents' external_userids, group chat ids. */
const INTERNAL_ID = new RegExp(`${[...CORP_SEED.users!.map((u) => u.userid), "wm_parent_\\d+", "wr_class_\\w+"].join("|")}`, "g");

/** Parents by name as the pages show them: "张妈妈（学生01 · 三年级一班）". */
const ZHANG = "张妈妈（学生01 · 三年级一班）";
const HUANG = "黄爸爸（学生04 · 三年级二班）";

/**
 * Issue 15's done-when walk: HR runs 李静's whole case from the console only —
 * registers the resignation she sent as a WeChat message, approves HR's step,
 * changes a successor by name, watches every parent's transfer finish (done,
 * waiting with the takeover time, refused, over the successor's limit), opens
 * the certificate — and the successor then finds what she inherited on her own
 * page. The others act where they would: 李静 signs in the mini-program, the
 * campus head on his WeCom card, IT on the case page the card links to; WeCom
 * (the sandbox) moves the parents.
 */
describe("HR runs a whole case from the console, and the successor takes over", () => {
  let db: Database;
  let env: StoryEnv;
  let s: StoryContext;
  let chromium: { browser: Browser; close(): Promise<void> };
  const shots: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    db = await createTestDatabase();
    [env, chromium] = await Promise.all([startStoryEnv(db, process.env.WALK_LOG ? createLogger({ level: "error", pretty: false }) : silentLogger()), launchChromium()]);
    s = createStoryContext(env, silentTranscript());
    await setUpChain(s);
    await mirrorConversations(s);
  }, 180_000);
  afterAll(async () => {
    // eslint-disable-next-line no-console
    if (shots.length) console.log(`screenshots:\n${shots.join("\n")}`);
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await env?.stop();
    await db?.close();
  });

  async function as(userid: string, width: 390 | 1280): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, locale: "zh-CN" });
    contexts.push(context);
    await context.addCookies([{ name: SESSION_COOKIE, value: env.consoleToken(userid), url: env.base }]);
    return context.newPage();
  }

  /** A console session lasts 8 hours: after the clock jumps days ahead, the person signs in again (the cookie OAuth would set). */
  async function signInAgain(page: Page, userid: string): Promise<void> {
    await page.context().addCookies([{ name: SESSION_COOKIE, value: env.consoleToken(userid), url: env.base }]);
  }

  /** The page as it is (1280 px), and the same address opened by the same person on a phone (390 px). */
  async function shoot(page: Page, userid: string, name: string): Promise<void> {
    const desk = path.join(SCREENS, `${name}-1280.png`);
    await page.screenshot({ path: desk, fullPage: true });
    const phone = await as(userid, 390);
    await phone.goto(page.url().split("#")[0]!);
    const small = path.join(SCREENS, `${name}-390.png`);
    await phone.screenshot({ path: small, fullPage: true });
    // Nothing may be wider than the phone: a table that does not fit would scroll the page sideways.
    expect(await phone.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    // A person never reads an internal id: no userid, external_userid or chat id anywhere on the page.
    const text = await page.locator("body").innerText();
    expect(text.match(INTERNAL_ID) ?? []).toEqual([]);
    await phone.context().close();
    shots.push(desk, small);
  }

  async function visible(page: Page, text: string | RegExp, timeout = 10_000): Promise<void> {
    await page.getByText(text).first().waitFor({ timeout });
  }

  /** Each parent's line on the case's board: name → state (and its time line). */
  async function board(page: Page): Promise<Record<string, string>> {
    const rows = page.locator('[data-testid="board"] tbody tr');
    const out: Record<string, string> = {};
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator("td");
      out[(await cells.nth(0).innerText()).trim()] = (await cells.nth(2).innerText()).replace(/\s+/g, " ").trim();
    }
    return out;
  }

  // A pass, then the outbox that sends what it queued (the HR problem report, the parents' introduction).
  const lifecycle = async () => {
    await env.service.capabilities.jobs.find((j) => j.name === "handover-transfer-lifecycle")!.run();
    await env.service.capabilities.wecom.outbox.drain();
  };

  it("registers, approves, reassigns by name, watches every parent's transfer end, opens the certificate; the successor sees her parents", async () => {
    const hr = await as(CAST.hr, 1280);
    let caseUrl = "";

    await step(hr, "walk-register", async () => {
      // 李静 told HR in WeChat that morning; HR registers it with her words as evidence.
      await hr.goto(`${env.base}/console/cases`);
      await hr.getByText("登记非书面离职通知").click();
      await hr.getByLabel("员工（输入姓名选择）").fill(CAST.leaverName);
      await hr.getByLabel("方式").selectOption({ label: "微信消息" });
      await hr.getByLabel("收到时间").fill("2026-03-02T08:40");
      await hr.getByLabel("员工原话或通话记录（作为证据保存）").fill("刘老师，我想离职，家里要搬去外地，做到四月一号吧");
      await hr.getByLabel("员工提出的最后工作日").fill("2026-04-01");
      await hr.getByRole("button", { name: "登记并请员工签署书面通知" }).click();
      await visible(hr, "已登记离职通知，已请员工在小程序中签署书面通知");
      expect(await hr.getByTestId("case-status").textContent()).toBe("人事已登记，待员工确认");
      caseUrl = hr.url().split("?")[0]!;
      await shoot(hr, CAST.hr, "01-registered");
    });
    const caseId = caseUrl.split("/").pop()!;

    // 李静 confirms in the mini-program by signing the written notice (her step, not HR's).
    const mp = s.mp(CAST.leaver);
    const notice = await mp.getNotice(caseId);
    const signed = await mp.signNotice(caseId, { typedName: CAST.leaverName, signatureImage: SIGNATURE_PNG, confirm: true, device: { model: "iPhone 15", system: "iOS 17.4", platform: "ios", version: "4.1.20" } });
    expect(signed.signed?.documentSha256).toBe(notice.sha256);

    // The campus head approves on his WeCom card.
    const stepRow = async (name: string): Promise<{ decision: string; card_task_id: string | null } | undefined> =>
      (await s.db.query(`SELECT decision, card_task_id FROM approval_step WHERE case_id = $1 AND step = $2`, [caseId, name]))[0];
    const head = await s.waitFor(async () => {
      const row = await stepRow("department_head");
      return row?.decision === "pending" && env.sandbox.state.messages.some((m) => m.taskId === row.card_task_id) ? row : undefined;
    });
    await env.sandbox.actors.clickTemplateCardButton(CAST.departmentHead, head!.card_task_id!, "approve");
    expect(await s.waitFor(async () => (await stepRow("it"))?.decision === "pending")).toBe(true);

    await step(hr, "walk-approve", async () => {
      // IT's step is open: HR sees no buttons of her own, and a forged post is refused with the reason.
      await hr.goto(caseUrl);
      await visible(hr, "已签署");
      expect(await hr.getByTestId("my-approval").count()).toBe(0);
      const csrf = await hr.locator("input[name=_csrf]").first().inputValue();
      const early = await hr.request.post(`${caseUrl}/approval`, { form: { _csrf: csrf, step: "hr", decision: "approve" } });
      expect(early.status()).toBe(409);
      expect(await early.text()).toContain("“人事”环节尚未开始，请等待前面的环节审批");

      // IT opens the case from the card's "查看详情" and approves there.
      const it = await as(CAST.it, 1280);
      await it.goto(caseUrl);
      await visible(it, "待您审批：IT环节");
      await it.getByRole("button", { name: "同意" }).click();
      await visible(it, "已同意“IT”环节");
      await it.context().close();

      // Now HR's own step: approve it on the page.
      await hr.goto(caseUrl);
      await visible(hr, "待您审批：人事环节");
      await shoot(hr, CAST.hr, "02-approve");
      await hr.getByRole("button", { name: "同意" }).click();
      await visible(hr, "已同意“人事”环节");
      expect(await hr.getByTestId("case-status").textContent()).toBe("交接中");
      expect(await hr.getByTestId("my-approval").count()).toBe(0);

      // Both console decisions greyed out the approvers' WeCom cards (WeCom answered the updates), and the page says so.
      await s.waitFor(async () =>
        (await s.db.query(`SELECT count(*)::int AS n FROM dossier_entry WHERE case_id = $1 AND kind = 'message_sent' AND payload->>'code' = 'send'`, [caseId]))[0].n === 2 || undefined);
      await hr.goto(caseUrl);
      expect(await hr.getByTestId("card-sync").allTextContents()).toEqual(["在控制台审批 · 已同步到审批人的企业微信卡片", "在控制台审批 · 已同步到审批人的企业微信卡片"]);
      await shoot(hr, CAST.hr, "02b-approvals-synced");
    });

    await step(hr, "walk-plan", async () => {
      await hr.getByRole("link", { name: "查看家长接替方案" }).click();
      await hr.getByRole("button", { name: "按班级生成接替方案" }).click();
      await visible(hr, "已生成接替方案");
      const row = hr.locator(`tr:has(td:text-is("${ZHANG}"))`);
      expect(await row.getByTestId("successor").textContent()).toBe("王芳");

      // A teacher of another campus: refused with the reason, nothing changes.
      await row.getByLabel("改派给（姓名）").fill("何军");
      const refused = hr.waitForResponse((r) => r.url().endsWith("/reassign"));
      await row.getByRole("button", { name: "改派" }).click();
      expect((await refused).status()).toBe(422);
      await visible(hr, /^未改派：/);
      expect(await hr.getByTestId("refusal").textContent()).toContain("何军");
      expect(await hr.locator(`tr:has(td:text-is("${ZHANG}"))`).getByTestId("successor").textContent()).toBe("王芳");

      // By name, to the other head teacher: done, and the page says so.
      await hr.locator(`tr:has(td:text-is("${ZHANG}"))`).getByLabel("改派给（姓名）").fill("周洋");
      await hr.locator(`tr:has(td:text-is("${ZHANG}"))`).getByRole("button", { name: "改派" }).click();
      await visible(hr, "已调整接替人：张妈妈 → 周洋（方案需重新确认）");
      expect(await hr.locator(`tr:has(td:text-is("${ZHANG}"))`).getByTestId("successor").textContent()).toBe("周洋");
      await shoot(hr, CAST.hr, "03-plan-reassigned");
      await hr.getByRole("button", { name: "确认方案" }).click();
      await visible(hr, "方案已确认，将按方案转接");
    });

    // The last day: wages and certificate in the morning; IT removes 李静 from WeCom; the parents go to WeCom's 离职继承.
    env.clock.set("2026-04-01T08:00:00+08:00");
    const run = await env.service.capabilities.resignation.runLastDayTransitions();
    expect(run.moved).toEqual([caseId]);
    // Handover hears that the transfers are due through the domain events.
    await env.service.capabilities.events.drain();
    env.clock.set("2026-04-01T18:00:00+08:00");
    await env.sandbox.actors.memberLeaves(CAST.leaver);
    expect(await s.waitFor(async () => (await s.count(`SELECT count(*) AS n FROM staff WHERE userid = $1 AND status = 5`, [CAST.leaver])) === 1)).toBe(true);
    await lifecycle();

    await step(hr, "walk-board-waiting", async () => {
      await signInAgain(hr, CAST.hr);
      await hr.goto(caseUrl);
      const lines = await board(hr);
      expect(Object.keys(lines)).toHaveLength(LEAVER_PARENTS.length);
      // Every parent waits for WeCom's 24 hours, each with the time they move.
      for (const line of Object.values(lines)) expect(line).toBe("等待接替 预计 2026/4/2 18:00:00 完成");
      expect(await hr.locator("#board").getAttribute("data-live")).toBe("15");
      await shoot(hr, CAST.hr, "04-board-waiting");
    });

    // Overnight: 黄爸爸 declines; 周洋 has room for two more parents only (WeCom's customer cap, made small here).
    await env.sandbox.actors.refuseTransfer(CAST.refusingParent);
    env.sandbox.state.limits.customerCap = env.sandbox.state.followsOf(CAST.successors[1]).length + 2;
    env.clock.advanceHours(24);
    await env.sandbox.tick();
    await lifecycle();
    await lifecycle();
    // The board's own refresh carries the session: renewed as HR's browser would have it the next morning.
    await signInAgain(hr, CAST.hr);

    await step(hr, "walk-board-finished", async () => {
      // The page HR left open refreshes its board by itself (every 15 s) until nothing moves.
      await hr.locator('#board:not([data-live]) [data-testid="board-totals"]').waitFor({ timeout: 40_000 });
      const lines = await board(hr);
      const states = Object.values(lines).map((l) => l.split(" ")[0]);
      expect(states.filter((x) => x === "已完成")).toHaveLength(4);
      expect(lines[HUANG]).toBe("家长拒绝");
      expect(states.filter((x) => x === "接替人客户数已满")).toHaveLength(1);
      expect(lines[ZHANG]).toBe("已完成 2026/4/2 18:00:00 完成");
      expect(await hr.getByTestId("board-totals").textContent()).not.toContain("自动刷新中");
      // Who follows up each parent that did not move, by name.
      const followUps = await hr.locator('#board [data-testid="follow-up"]').allTextContents();
      expect(followUps.sort()).toEqual(["跟进：刘敏（人事）", "跟进：周洋（接替老师）"]);
      await shoot(hr, CAST.hr, "05-board-finished");

      await hr.getByRole("link", { name: "查看家长接替方案" }).click();
      expect(await hr.getByTestId("plan-state").textContent()).toBe("已全部结束");
    });

    await step(hr, "walk-certificate", async () => {
      await hr.goto(caseUrl);
      await hr.getByRole("link", { name: "查看/打印离职证明" }).click();
      expect(await hr.getByTestId("certificate").textContent()).toContain(CAST.leaverName);
      await shoot(hr, CAST.hr, "06-certificate");
    });

    const zhou = await as(CAST.successors[1], 1280);
    await step(zhou, "walk-successor", async () => {
      await zhou.goto(`${env.base}/console`);
      expect(new URL(zhou.url()).pathname).toBe("/console/inherited");
      const parents = zhou.locator('[data-testid="inherited-parents"] tbody tr');
      const names = (await parents.locator("td:first-child").allInnerTexts()).map((t) => t.trim());
      expect(names).toContain(ZHANG);
      expect(names).toContain(HUANG);
      expect(await zhou.getByTestId("follow-up").first().textContent()).toContain(`${HUANG} 家长拒绝：`);
      await zhou.getByRole("link", { name: "查看与李静的沟通记录" }).first().click();
      expect(new URL(zhou.url()).pathname).toBe("/console/archive/thread");
      await zhou.goto(`${env.base}/console/inherited`);
      await shoot(zhou, CAST.successors[1], "07-successor");
      expect((await zhou.goto(caseUrl))?.status()).toBe(403);
    });
  });
});
