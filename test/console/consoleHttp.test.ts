import { startConsoleHarness, type ConsoleHarness } from "./consoleHarness";

/** Login required, CSRF refusal and campus scoping, without a browser. */
describe("HR console over HTTP", () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  }, 60_000);
  afterAll(async () => h?.close());

  const page = (path: string, cookie?: string, init: RequestInit = {}) =>
    fetch(`${h.base}${path}`, { redirect: "manual", ...init, headers: { ...(cookie ? { cookie: `wpg_session=${cookie}` } : {}), ...(init.headers as Record<string, string>) } });
  const csrfOf = async (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

  it("sends a visitor without a session to the WeCom login, and the OAuth callback sets an HttpOnly SameSite cookie", async () => {
    const res = await page("/console/cases");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/console/login?next=%2Fconsole%2Fcases");
    // A desktop browser goes to WeCom's Web login (path/98152), the WeCom client's webview to OAuth (path/91022).
    const login = new URL((await page("/console/login")).headers.get("location")!);
    expect(`${login.origin}${login.pathname}`).toBe(`${h.sandbox.url}/wwlogin/sso/login`);
    expect(Object.fromEntries(login.searchParams)).toEqual({
      login_type: "CorpApp",
      appid: h.sandbox.corp.corpId,
      agentid: String(h.sandbox.corp.agentId),
      redirect_uri: `${h.base}/console/oauth/callback`,
      state: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      lang: "zh",
    });
    const inClient = await page("/console/login", undefined, { headers: { "user-agent": "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh" } });
    expect(inClient.headers.get("location")).toMatch(new RegExp(`^${h.sandbox.url}/connect/oauth2/authorize\\?appid=${h.sandbox.corp.corpId}&redirect_uri=.+&response_type=code&scope=snsapi_base&state=[A-Za-z0-9]{32}&agentid=${h.sandbox.corp.agentId}#wechat_redirect$`));
    const refused = await page("/console/oauth/callback?code=x&state=forged");
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("重新登录");

    const start = await fetch(`${h.base}/console/login`, { redirect: "manual" });
    const state = new URL(start.headers.get("location")!, h.base).searchParams.get("state")!;
    const back = await fetch(`${h.base}/console/oauth/callback?code=${h.sandbox.actors.oauthLogin("hr_bj")}&state=${state}`, {
      redirect: "manual",
      headers: { cookie: start.headers.get("set-cookie")!.split(";")[0]! },
    });
    expect(back.status).toBe(302);
    const session = back.headers.getSetCookie().find((c) => c.startsWith("wpg_session="))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect((await page("/console", "not-a-token")).headers.get("location")).toMatch(/^\/console\/login/);
  });

  it("binds the login state to the browser that started it, spends it once, and says when the member declined", async () => {
    const start = async () => {
      const res = await fetch(`${h.base}/console/login`, { redirect: "manual" });
      return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, state: new URL(res.headers.get("location")!).searchParams.get("state")! };
    };
    const callback = (query: string, cookie?: string) => fetch(`${h.base}/console/oauth/callback?${query}`, { redirect: "manual", headers: cookie ? { cookie } : {} });
    const a = await start();
    const b = await start();
    // Login CSRF: B's browser handed A's state (and a code for someone) is refused.
    const crossed = await callback(`code=${h.sandbox.actors.oauthLogin("hr_bj")}&state=${a.state}`, b.cookie);
    expect(crossed.status).toBe(401);
    expect(await crossed.text()).toContain("不是从本浏览器发起");
    // The refusal spent B's state too: its own state no longer works from that cookie jar.
    expect(crossed.headers.getSetCookie().some((c) => /^wpg_oauth=;/.test(c))).toBe(true);
    const ok = await callback(`code=${h.sandbox.actors.oauthLogin("hr_bj")}&state=${a.state}`, a.cookie);
    expect(ok.status).toBe(302);
    // Replaying the same callback with the old cookie: WeCom's code is spent (40029), so no session.
    const replay = await callback(`code=x&state=${a.state}`, a.cookie);
    expect(replay.status).toBe(401);
    const c = await start();
    const declined = await callback(`state=${c.state}`, c.cookie);
    expect(declined.status).toBe(401);
    expect(await declined.text()).toContain("你已取消企业微信登录");
  });

  it("refuses a form post or an API change carried by the cookie without the session's CSRF token", async () => {
    const cookie = await h.login("hr_bj");
    const html = await (await page(`/console/cases/${h.caseBj}`, cookie)).text();
    const csrf = await csrfOf(html);
    expect(csrf).toBeDefined();
    const form = (body: string) => page(`/console/cases/${h.caseBj}/verify`, cookie, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await form("")).status).toBe(403);
    expect((await form(`_csrf=${encodeURIComponent(await csrfOf(await (await page("/console", await h.login("hr_sh"))).text()) ?? "")}`)).status).toBe(403);
    const ok = await form(`_csrf=${encodeURIComponent(csrf!)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("验证通过");

    const api = (headers: Record<string, string>) => page(`/api/hr/cases/${h.caseBj}/dossier/verify`, cookie, { method: "POST", body: "{}", headers: { "content-type": "application/json", ...headers } });
    expect((await api({})).status).toBe(403);
    expect((await api({ "x-csrf-token": csrf! })).status).toBe(200);
  });

  it("shows a campus head only their campus, and HR of another campus neither its case nor its plan", async () => {
    const head = await h.login("head_bj");
    const list = await (await page("/console/cases", head)).text();
    expect(list).toContain(`/console/cases/${h.caseBj}`);
    expect(list).not.toContain(h.caseSh);
    expect((await page(`/console/cases/${h.caseSh}`, head)).status).toBe(403);

    const sh = await h.login("hr_sh");
    const denied = await page(`/console/cases/${h.caseBj}`, sh);
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("没有权限");
    expect((await page("/console/handover/teacher_a", sh)).status).toBe(403);
    expect(await (await page("/console/alerts", sh)).text()).toContain("暂无预警");
    const archive = await page("/console/archive?who=staff&id=teacher_a", sh);
    expect(archive.status).toBe(403);
    expect(await archive.text()).toContain("没有权限查看该账号的会话");
    const tooLong = await page("/console/archive?who=staff&id=teacher_a&q=x&from=2022-01-01&to=2026-03-01", await h.login("hr_bj"));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("1100 天");
  });

  it("lists every branch in HQ admin's settings, whatever kind the directory sync gave them", async () => {
    // A two-level WeCom tree syncs its campuses as depth-2 branches ("region"): none is of kind campus.
    await h.db.dataSource.query(`UPDATE department SET kind = 'region' WHERE id IN (2, 3)`);
    await h.db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('head_bj', 'hq_admin', NULL, 'test')`);
    try {
      const list = await (await page("/console/settings", await h.login("head_bj"))).text();
      expect(list).not.toContain("您没有可查看设置的校区");
      for (const name of ["示例教育集团", "北京校区", "上海校区"]) expect(list).toContain(name);
    } finally {
      await h.db.dataSource.query(`DELETE FROM role_grant WHERE userid = 'head_bj' AND role = 'hq_admin'`);
      await h.db.dataSource.query(`UPDATE department SET kind = 'campus' WHERE id IN (2, 3)`);
    }
  });

  it("lets HR change only their own branch's settings, and a campus head none", async () => {
    const put = (userid: string, path: string, body: unknown) =>
      fetch(`${h.base}${path}`, { method: "PUT", headers: { Authorization: `Bearer ${h.apiToken(userid)}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const policy = { firstAfterHours: 24, everyHours: 12, escalateAfter: 2, quietHours: { start: "21:30", end: "07:30", tz: "Asia/Shanghai" } };
    const chain = { chain: [{ key: "hr", role: "hr", label: "人事", duties: ["确认交接完成"] }] };
    expect((await put("hr_bj", "/api/hr/reminder-policy/3", policy)).status).toBe(403);
    expect((await put("hr_bj", "/api/hr/approval-chain/3", chain)).status).toBe(403);
    expect((await put("head_bj", "/api/hr/reminder-policy/2", policy)).status).toBe(403);
    expect((await put("head_bj", "/api/hr/approval-chain/2", chain)).status).toBe(403);
    expect((await put("hr_bj", "/api/hr/approval-chain/2", { chain: [...chain.chain, ...chain.chain] })).status).toBe(400);
    expect((await put("hr_sh", "/api/hr/reminder-policy/3", policy)).status).toBe(200);
    expect((await put("hr_sh", "/api/hr/approval-chain/3", chain)).status).toBe(200);
    const stored = await h.db.dataSource.query(`SELECT key, scope, updated_by FROM app_setting WHERE key IN ('reminder_policy', 'resignation.approval_chain') ORDER BY key`);
    expect(stored).toEqual([
      { key: "reminder_policy", scope: "department:3", updated_by: "hr_sh" },
      { key: "resignation.approval_chain", scope: "department:3", updated_by: "hr_sh" },
    ]);

    // The campus head reads the page without save buttons, and a forged form post is refused by the API.
    const head = await h.login("head_bj");
    const settings = await (await page("/console/settings/2", head)).text();
    expect(settings).toContain("修改需由本校区人事或总部进行");
    expect(settings).not.toContain("保存提醒规则");
    const form = new URLSearchParams({ _csrf: (await csrfOf(settings))!, firstAfterHours: "1", everyHours: "1", escalateAfter: "1", quietStart: "00:00", quietEnd: "00:01" });
    const forged = await page("/console/settings/2/reminders", head, { method: "POST", body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(forged.status).toBe(403);
    expect((await page("/console/settings/3", head)).status).toBe(403);
  });

  it("lists overdue steps and today's reminders on the dashboard and the case page, within the caller's campus", async () => {
    const q = (sql: string, params: unknown[]) => h.db.dataSource.query(sql, params);
    const [reminder] = await q(
      `INSERT INTO reminder (subject_kind, subject_id, recipient_userid, case_id, department_id, opened_at, reminders_sent, last_sent_at)
       VALUES ('checklist_signature', $1::text, 't_b', $1::uuid, 2, $2::timestamptz - interval '30 hours', 1, $2)
       ON CONFLICT (subject_kind, subject_id, recipient_userid) DO UPDATE SET reminders_sent = 1 RETURNING id`,
      [h.caseBj, h.clock.now()],
    );
    await q(`INSERT INTO reminder_delivery (reminder_id, seq, kind, recipients, queued_at) VALUES ($1, 1, 'reminder', '{t_b}', $2)`, [reminder.id, h.clock.now()]);

    const dashboard = async (userid: string) => (await (await page("/console", await h.login(userid))).text()).replace(/\s+/g, " ");
    const head = await dashboard("head_bj");
    expect(head).toMatch(/data-testid="overdue-count">1</);
    expect(head).toMatch(/data-testid="today-count">1</);
    expect(head).toContain("交接清单签字");
    expect(await dashboard("hr_sh")).toMatch(/data-testid="overdue-count">0</);

    const casePage = await (await page(`/console/cases/${h.caseBj}`, await h.login("hr_bj"))).text();
    expect(casePage).toContain("交接清单");
    expect(casePage).toContain("已发送提醒（1）");
    expect(casePage).toContain("第 1 次提醒");
    const refused = await fetch(`${h.base}/api/hr/cases/${h.caseBj}/reminders`, { headers: { Authorization: `Bearer ${h.apiToken("hr_sh")}` } });
    expect(refused.status).toBe(403);
  });
});
