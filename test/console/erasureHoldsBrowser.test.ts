import type { Page } from "playwright-core";
import { recordRoomConsent, recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { step } from "./browser";
import { consoleBrowserSuite } from "./consoleBrowserSuite";
import type { ConsoleHarness } from "./consoleHarness";

const SHOTS = process.env.LAW_SHOTS_DIR;
const NOT_HR = "只有老师所在校区的人事可以查看家长撤回存档同意后的聊天记录并暂缓删除";

/**
 * Issue 18, "Consent withdrawn" (PIPL 15, 47), as HR works it in the console: which parents withdrew, by name,
 * when their stored chats are erased, and the dispute hold with its reason and its release.
 */
describe("console: erasure holds after a parent withdrew archive consent", () => {
  let h: ConsoleHarness;
  const { signIn, shot } = consoleBrowserSuite(SHOTS, (started) => (h = started));
  const room = "wr_c1_parents";
  const holds = async () =>
    (await h.db.dataSource.query(`SELECT staff_userid, external_userid, reason, held_by, held_at FROM archive_erasure_hold ORDER BY staff_userid`)) as Array<{
      reason: string;
      held_at: Date;
    }>;

  beforeAll(async () => {
    const ds = h.db.dataSource;
    // Real names, so the page can be checked for accounts: the harness names parents after their ids.
    await ds.query(`UPDATE external_contact SET name = '陈妈妈' WHERE external_userid = 'wm_p1'`);
    await ds.query(`UPDATE external_contact SET name = '赵爸爸' WHERE external_userid = 'wm_p2'`);
    await ds.query(`UPDATE student SET name = '陈小雨' WHERE code = 's_wm_p1'`);
    await ds.query(`UPDATE student SET name = '赵一鸣' WHERE code = 's_wm_p2'`);
    await ds.query(`INSERT INTO group_chat (chat_id, name, owner_userid, updated_at) VALUES ($1, '一班家长群', 'teacher_a', now())`, [room]);
    const now = h.clock.now();
    await recordRoomConsent(ds, ["wm_p1", "wm_p2"].map((externalUserid) => ({ roomId: room, externalUserid, status: "agree" as const, changedAt: new Date(now.getTime() - 40 * 86_400_000), source: "check_room_agree" as const })), now);
    const members = ["teacher_a", "wm_p1", "wm_p2"];
    const say = (msgid: string, from: string, content: string, at: number) =>
      h.sandbox.archive.append({ msgid, action: "send", from, tolist: members.filter((m) => m !== from), roomid: room, msgtime: at, msgtype: "text", text: { content } });
    say("g1", "teacher_a", "明天春游，请带水", now.getTime() - 35 * 86_400_000);
    say("g2", "wm_p2", "收到，谢谢老师", now.getTime() - 35 * 86_400_000 + 60_000);
    await h.service.capabilities.conversations.archive!.drainer.request();
    // 陈妈妈 withdraws for her chat with 张老师 today; 赵爸爸 withdrew for the class group 31 days ago (due now).
    await recordSingleConsent(ds, [{ staffUserid: "teacher_a", externalUserid: "wm_p1", status: "disagree", changedAt: now, source: "check_single_agree" }], now);
    await recordRoomConsent(ds, [{ roomId: room, externalUserid: "wm_p2", status: "disagree", changedAt: new Date(now.getTime() - 31 * 86_400_000), source: "check_room_agree" }], now);
  }, 120_000);

  /** Posts a form as the signed-in page would (its session cookie and CSRF token), with whatever body a hostile client sends. */
  const post = async (page: Page, path: string, form: Record<string, string> | string) => {
    const csrf = await page.locator("input[name=_csrf]").first().inputValue();
    const body = typeof form === "string" ? `${form}&_csrf=${encodeURIComponent(csrf)}` : new URLSearchParams({ ...form, _csrf: csrf }).toString();
    const res = await page.request.post(`${h.base}${path}`, { data: body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
    return { status: res.status(), text: await res.text() };
  };
  const mainText = (page: Page) => page.locator("main").innerText();
  const ACCOUNTS = /teacher_a|wm_p\d|wr_c1|hr_bj|s_wm|disagree|pair|group/;

  it("HR sees who withdrew by name and when the chats go, holds one with a reason, a replay changes nothing, and releases it", async () => {
    const page = await signIn("hr_bj", 390);
    await step(page, "withdrawals-list", async () => {
      await page.getByRole("link", { name: "会话存档" }).click();
      await page.getByRole("link", { name: /家长撤回存档同意/ }).click();
      const rows = await page.getByTestId("withdrawals").locator("tbody tr").allInnerTexts();
      expect(rows).toHaveLength(2);
      // Oldest withdrawal first: 赵爸爸's group messages are past the 30 days, 陈妈妈's pair goes on 2026-04-01.
      expect(rows[0]).toContain("群聊「一班家长群」中该家长的发言");
      expect(rows[0]).toContain("赵爸爸（赵一鸣 · 一班）");
      expect(rows[0]).toContain("已保存 1 条");
      expect(rows[0]).toContain("已到期，下一次每日清理时删除");
      expect(rows[1]).toContain("张老师的单聊");
      expect(rows[1]).toContain("陈妈妈（陈小雨 · 一班）");
      expect(rows[1]).toContain("2026年3月2日");
      expect(rows[1]).toContain("2026年4月1日后删除");
      expect(await mainText(page)).not.toMatch(ACCOUNTS);
      await shot(page, "erasure-holds-390");
    });

    await step(page, "withdrawals-hold", async () => {
      await page.getByLabel("暂缓原因：张老师与陈妈妈（陈小雨 · 一班）").fill("家长投诉处理中，需保留聊天作为证据");
      await page.getByRole("button", { name: "暂缓删除：张老师与陈妈妈（陈小雨 · 一班）" }).click();
      await page.getByText("已暂缓删除张老师与陈妈妈（陈小雨 · 一班）的聊天记录（原因：家长投诉处理中，需保留聊天作为证据），解除前不会删除").waitFor();
      const row = (await page.getByTestId("withdrawals").locator("tbody tr").allInnerTexts())[1]!;
      expect(row).toContain("暂缓中，不会删除");
      expect(row).toContain("北京人事 2026年3月2日暂缓");
      expect(await mainText(page)).not.toMatch(ACCOUNTS);
      await shot(page, "erasure-holds-held-390");
    });
    expect(await holds()).toEqual([expect.objectContaining({ staff_userid: "teacher_a", external_userid: "wm_p1", reason: "家长投诉处理中，需保留聊天作为证据", held_by: "hr_bj" })]);
    const heldAt = (await holds())[0]!.held_at;

    // The same form posted again (a double click, a resent page) changes nothing and says so.
    h.clock.advance(3_600_000);
    const replay = await post(page, "/console/consent-withdrawals/teacher_a/wm_p1/hold", { reason: "家长投诉处理中，需保留聊天作为证据" });
    expect(replay.status).toBe(200);
    expect(replay.text).toContain("张老师与陈妈妈（陈小雨 · 一班）的聊天记录已于 2026年3月2日暂缓删除（原因：家长投诉处理中，需保留聊天作为证据），原因未变，这次未作改动");
    expect((await holds()).map((r) => r.held_at)).toEqual([heldAt]);

    await step(page, "withdrawals-release", async () => {
      await page.reload();
      await page.getByRole("button", { name: "解除暂缓：张老师与陈妈妈（陈小雨 · 一班）" }).click();
      await page.getByText("已解除暂缓：家长已撤回存档同意，张老师与陈妈妈（陈小雨 · 一班）的聊天记录将于 2026年4月1日后删除").waitFor();
      expect(await holds()).toEqual([]);
    });
    // A replayed release finds nothing to release and says so; nothing else changes.
    const again = await post(page, "/console/consent-withdrawals/teacher_a/wm_p1/release", {});
    expect(again.status).toBe(404);
    expect(again.text).toContain("未解除：这对聊天记录没有暂缓删除");

    // The group member: held through its own form.
    await page.getByLabel("暂缓原因：赵爸爸（赵一鸣 · 一班）在「一班家长群」").fill("班级群纠纷待处理");
    await page.getByRole("button", { name: "暂缓删除：赵爸爸（赵一鸣 · 一班）在「一班家长群」" }).click();
    await page.getByText("已暂缓删除赵爸爸（赵一鸣 · 一班）在群聊「一班家长群」中的聊天记录（原因：班级群纠纷待处理），解除前不会删除").waitFor();
    const wide = await signIn("hr_bj", 1280);
    await wide.goto(`${h.base}/console/consent-withdrawals`);
    await shot(wide, "erasure-holds-1280");
  }, 180_000);

  it("refuses hostile and unauthorized posts with the reason, storing nothing", async () => {
    const page = await signIn("hr_bj", 390);
    await page.goto(`${h.base}/console/consent-withdrawals`);
    const before = await holds();
    await step(page, "withdrawals-refused", async () => {
      // Past the form's own limits (a tampered page): the API's words come back on the page.
      const input = page.getByLabel("暂缓原因：张老师与陈妈妈（陈小雨 · 一班）");
      await input.evaluate((el) => {
        el.removeAttribute("maxlength");
        el.removeAttribute("required");
      });
      await input.fill("证".repeat(5000));
      await page.getByRole("button", { name: "暂缓删除：张老师与陈妈妈（陈小雨 · 一班）" }).click();
      await page.getByText("未暂缓：原因最多 500 字").waitFor();
      await shot(page, "erasure-holds-refused-390");
      await page.getByLabel("暂缓原因：张老师与陈妈妈（陈小雨 · 一班）").evaluate((el) => el.removeAttribute("required"));
      await page.getByLabel("暂缓原因：张老师与陈妈妈（陈小雨 · 一班）").fill("   ");
      await page.getByRole("button", { name: "暂缓删除：张老师与陈妈妈（陈小雨 · 一班）" }).click();
      await page.getByText("未暂缓：请填写暂缓删除的原因（如：家长投诉处理中）").waitFor();
    });
    const nul = await post(page, "/console/consent-withdrawals/teacher_a/wm_p1/hold", "reason=%00%E6%8A%95%E8%AF%89");
    expect(nul.status).toBe(400);
    expect(nul.text).toContain("提交的内容有误：包含不允许的控制字符");
    // A body naming another teacher than the URL is refused, not acted on for either.
    const other = await post(page, "/console/consent-withdrawals/teacher_a/wm_p1/hold", { reason: "家长投诉处理中", staffUserid: "t_b" });
    expect(other.status).toBe(400);
    expect(other.text).toContain("请求体不能包含路径参数 staffUserid");
    // A pair that does not exist.
    const unknown = await post(page, "/console/consent-withdrawals/nobody/wm_p1/hold", { reason: "家长投诉处理中" });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain("未暂缓：员工不存在");
    expect(await holds()).toEqual(before);

    // The campus head reads the archive but may not hold: a page saying who may, for the list and for a post.
    const head = await signIn("head_bj", 390);
    await head.goto(`${h.base}/console/archive`);
    expect(await head.getByRole("link", { name: /家长撤回存档同意/ }).count()).toBe(0);
    const headList = await head.goto(`${h.base}/console/consent-withdrawals`);
    expect(headList?.status()).toBe(403);
    expect(await mainText(head)).toContain(NOT_HR);
    await shot(head, "erasure-holds-head-403-390");
    const headPost = await post(await withCsrf(head), "/console/consent-withdrawals/teacher_a/wm_p1/hold", { reason: "家长投诉处理中" });
    expect(headPost.status).toBe(403);
    expect(headPost.text).toContain(NOT_HR);
    // A teacher without a role, and another campus's HR: the same refusal; 上海's HR sees none of 北京's parents.
    const teacher = await signIn("t_b", 390);
    expect((await teacher.goto(`${h.base}/console/consent-withdrawals`))?.status()).toBe(403);
    const sh = await signIn("hr_sh", 390);
    await sh.goto(`${h.base}/console/consent-withdrawals`);
    expect(await mainText(sh)).toContain("目前没有待删除的聊天记录。");
    const shPost = await post(sh, "/console/consent-withdrawals/teacher_a/wm_p1/hold", { reason: "家长投诉处理中" });
    expect(shPost.status).toBe(403);
    expect(shPost.text).toContain(NOT_HR);
    expect(await holds()).toEqual(before);
  }, 180_000);

  /** The campus head's page has no form (403), so its CSRF token comes from a page they may open. */
  async function withCsrf(page: Page): Promise<Page> {
    await page.goto(`${h.base}/console/archive`);
    return page;
  }
});
