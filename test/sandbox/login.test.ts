import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { startTestSandbox, type TestSandbox } from "./support";

describe("sandbox mini-program and OAuth login codes", () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.sandbox.stop());

  const session = (code: string) =>
    t.api.get("agent", "/cgi-bin/miniprogram/jscode2session", { js_code: code, grant_type: "authorization_code" });

  it("exchanges a wx.qy.login code once for corpid, userid and session_key", async () => {
    const code = t.sandbox.actors.miniProgramLogin("teacher_a");
    const res = await session(code);
    expect(res).toMatchObject({ errcode: 0, corpid: SANDBOX_CORP.corpId, userid: "teacher_a" });
    expect(res.session_key).toEqual(expect.any(String));
    expect((await session(code)).errcode).toBe(40029);
    expect((await session("forged")).errcode).toBe(40029);
  });

  it("expires codes after 5 minutes and only accepts the app's own token", async () => {
    const code = t.sandbox.actors.miniProgramLogin("teacher_a");
    t.clock.advance(5 * 60_000 + 1);
    expect((await session(code)).errcode).toBe(40029);
    const other = t.sandbox.actors.miniProgramLogin("teacher_a");
    const viaCustomer = await t.api.get("customer", "/cgi-bin/miniprogram/jscode2session", { js_code: other, grant_type: "authorization_code" });
    expect(viaCustomer.errcode).toBe(48002);
  });

  it("resolves an OAuth code to the member once", async () => {
    const code = t.sandbox.actors.oauthLogin("hr");
    expect(await t.api.get("agent", "/cgi-bin/auth/getuserinfo", { code })).toMatchObject({ errcode: 0, userid: "hr" });
    expect((await t.api.get("agent", "/cgi-bin/auth/getuserinfo", { code })).errcode).toBe(40029);
  });
});

describe("sandbox login for WeChat DevTools (local development only)", () => {
  let t: TestSandbox;
  afterEach(() => t.sandbox.stop());

  const session = (code: string) =>
    t.api.get("agent", "/cgi-bin/miniprogram/jscode2session", { js_code: code, grant_type: "authorization_code" });
  const choose = (userid: string) =>
    fetch(`${t.sandbox.url}/sandbox/devtools-login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ userid }) });

  it("without the option refuses a code it did not issue, like WeCom, and has no chooser page", async () => {
    t = await startTestSandbox();
    expect(await session("0a3DevToolsCode")).toMatchObject({ errcode: 40029, errmsg: expect.stringContaining("invalid code") });
    expect(t.sandbox.devTools).toBeUndefined();
    expect((await fetch(`${t.sandbox.url}/sandbox/devtools-login`)).status).toBe(404);
  });

  it("signs a DevTools code in as the chosen member, once per code", async () => {
    t = await startTestSandbox({ devToolsLogin: { signInAs: "teacher_a" } });
    const res = await session("0a3DevToolsCode");
    expect(res).toMatchObject({ errcode: 0, corpid: SANDBOX_CORP.corpId, userid: "teacher_a" });
    expect(res.session_key).toEqual(expect.any(String));
    expect((await session("0a3DevToolsCode")).errcode).toBe(40029);
    // The sandbox's own codes still sign in as their member, and a spent or expired one never passes as a DevTools code.
    const own = t.sandbox.actors.miniProgramLogin("teacher_b");
    expect((await session(own)).userid).toBe("teacher_b");
    expect((await session(own)).errcode).toBe(40029);
    const late = t.sandbox.actors.miniProgramLogin("teacher_b");
    t.clock.advance(5 * 60_000 + 1);
    expect((await session(late)).errcode).toBe(40029);
  });

  it("refuses DevTools codes while nobody is chosen or the chosen member left", async () => {
    t = await startTestSandbox({ devToolsLogin: {} });
    expect((await session("devtools-1")).errcode).toBe(40029);
    t.sandbox.state.users.get("teacher_c")!.leftAt = t.clock.now();
    expect(t.sandbox.devTools!.choose("teacher_c")).toBe("成员 teacher_c 不在本企业");
    expect(t.sandbox.devTools!.choose("teacher_a")).toBeUndefined();
    expect((await session("devtools-2")).userid).toBe("teacher_a");
    t.sandbox.state.users.get("teacher_a")!.status = 2;
    expect((await session("devtools-3")).errcode).toBe(40029);
  });

  it("lets the developer pick the person on the sandbox page, by name, and refuses someone who cannot sign in", async () => {
    t = await startTestSandbox({ devToolsLogin: { signInAs: "teacher_a" } });
    const page = await (await fetch(`${t.sandbox.url}/sandbox/devtools-login`)).text();
    expect(page).toContain("现在：开发者工具的登录码以 <strong>张老师</strong>（账号 teacher_a）登录。");
    expect(page).toContain('value="teacher_b" aria-pressed="false">王老师');

    const chosen = await choose("teacher_b");
    expect(chosen.status).toBe(200);
    expect(await chosen.text()).toContain("已更改，下次进入小程序时生效。");
    expect((await session("devtools-3")).userid).toBe("teacher_b");

    const refused = await choose("nobody");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("未更改：成员 nobody 不在本企业");
    expect((await session("devtools-4")).userid).toBe("teacher_b");
  });
});
