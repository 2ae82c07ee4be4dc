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
    const login = await page("/console/login");
    expect(login.headers.get("location")).toMatch(/^\/console\/sandbox-login\?state=/);
    const refused = await page("/console/oauth/callback?code=x&state=forged");
    expect(refused.status).toBe(401);

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
  });
});
