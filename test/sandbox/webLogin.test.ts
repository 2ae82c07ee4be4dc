import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { startTestSandbox, type TestSandbox } from "./support";

/**
 * WeCom's two browser login pages as the sandbox serves them: the desktop Web login (path/98152,
 * login.work.weixin.qq.com/wwlogin/sso/login) and the in-client OAuth (path/91022, connect/oauth2/authorize).
 * Each refuses what the pages document as refused — a redirect_uri outside the trusted domains (exact host and
 * port, document/15232), a wrong appid or agentid, a missing agentid for CorpApp, an OAuth state outside
 * a-zA-Z0-9 or over 128 bytes — and comes back with `?code&state`, or only `?state` when declined (path/91019).
 */
describe("sandbox WeCom login pages", () => {
  let t: TestSandbox;
  const back = "http://hr.example.edu.cn:8443/console/oauth/callback";
  beforeEach(async () => {
    t = await startTestSandbox({ trustedDomains: ["hr.example.edu.cn:8443"] });
  });
  afterEach(() => t.sandbox.stop());

  const webLogin = (over: Record<string, string | undefined> = {}) => {
    const q = { login_type: "CorpApp", appid: SANDBOX_CORP.corpId, agentid: String(SANDBOX_CORP.agentId), redirect_uri: back, state: "Abc123", ...over };
    return new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  };
  const authorize = (over: Record<string, string | undefined> = {}) => {
    const q = { appid: SANDBOX_CORP.corpId, redirect_uri: back, response_type: "code", scope: "snsapi_base", state: "Abc123", ...over };
    return new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  };
  const open = async (path: string) => {
    const res = await fetch(`${t.sandbox.url}${path}`);
    return { status: res.status, text: await res.text() };
  };
  const confirm = (path: string, query: string, form: Record<string, string>) =>
    fetch(`${t.sandbox.url}/wwlogin/sso/sandbox-confirm?${query}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ flow: path.startsWith("/wwlogin") ? "web" : "oauth", ...form }).toString(),
    });

  it("shows the Web login for a well-formed CorpApp link and comes back with a code getuserinfo accepts once", async () => {
    const page = await open(`/wwlogin/sso/login?${webLogin()}`);
    expect(page.text).toContain("企业微信扫码登录");
    const res = await confirm("/wwlogin/sso/login", webLogin(), { userid: "hr", decision: "allow" });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("location")!);
    expect(`${to.origin}${to.pathname}`).toBe(back);
    expect(to.searchParams.get("state")).toBe("Abc123");
    const code = to.searchParams.get("code")!;
    expect(await t.api.get("agent", "/cgi-bin/auth/getuserinfo", { code })).toMatchObject({ errcode: 0, userid: "hr" });
    expect((await t.api.get("agent", "/cgi-bin/auth/getuserinfo", { code })).errcode).toBe(40029);
  });

  it("comes back with the state and no code when the member declines", async () => {
    const res = await confirm("/wwlogin/sso/login", webLogin(), { userid: "hr", decision: "deny" });
    const to = new URL(res.headers.get("location")!);
    expect([...to.searchParams.keys()]).toEqual(["state"]);
    expect(to.searchParams.get("state")).toBe("Abc123");
  });

  it("refuses a Web login link WeCom refuses, naming the wrong parameter", async () => {
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ redirect_uri: "http://hr.example.edu.cn/console/oauth/callback" }, "不是该应用的可信域名"],
      [{ redirect_uri: "https://evil.example.com/console/oauth/callback" }, "不是该应用的可信域名"],
      [{ redirect_uri: undefined }, "缺少 redirect_uri"],
      [{ appid: "wwother" }, "appid 不是本企业的 CorpID"],
      [{ agentid: undefined }, "必须填写 agentid"],
      [{ agentid: "1000099" }, "agentid 不是本企业的应用"],
      [{ login_type: "corpapp" }, "login_type 只能是 CorpApp 或 ServiceApp"],
      [{ login_type: "ServiceApp" }, "SuiteID"],
    ];
    for (const [over, reason] of cases) {
      const page = await open(`/wwlogin/sso/login?${webLogin(over)}`);
      expect(page.text).toContain("该链接无法访问");
      expect(page.text).toContain(reason);
      // A forged confirm is checked again: no code for a refused link.
      const res = await confirm("/wwlogin/sso/login", webLogin(over), { userid: "hr", decision: "allow" });
      expect(res.status).toBe(200);
    }
  });

  it("in-client OAuth: state only in a-zA-Z0-9 up to 128 bytes, response_type=code, a known scope", async () => {
    expect((await open(`/connect/oauth2/authorize?${authorize()}`)).text).toContain("企业微信内授权");
    expect((await open(`/connect/oauth2/authorize?${authorize({ state: "A".repeat(128) })}`)).text).not.toContain("该链接无法访问");
    for (const [over, reason] of [
      [{ state: "abc-_" }, "a-zA-Z0-9"],
      [{ state: "A".repeat(129) }, "128"],
      [{ response_type: "token" }, "response_type"],
      [{ scope: "snsapi_userinfo" }, "scope"],
      [{ scope: "snsapi_privateinfo" }, "必须填写 agentid"],
      [{ redirect_uri: "http://127.0.0.1:1/cb" }, "可信域名"],
    ] as Array<[Record<string, string>, string]>) {
      const page = await open(`/connect/oauth2/authorize?${authorize(over)}`);
      expect(page.text).toContain("该链接无法访问");
      expect(page.text).toContain(reason);
    }
    const res = await confirm("/connect/oauth2/authorize", authorize(), { userid: "teacher_a", decision: "allow" });
    expect(new URL(res.headers.get("location")!).searchParams.get("code")).toEqual(expect.any(String));
  });

  it("refuses a member who left or is unknown (无权限), and trusts the callback URL's host", async () => {
    await t.sandbox.actors.memberLeaves("teacher_b");
    for (const userid of ["teacher_b", "nobody"]) {
      const res = await confirm("/wwlogin/sso/login", webLogin(), { userid, decision: "allow" });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("无权限登录该应用");
    }
    t.sandbox.callbacks.setUrl("http://127.0.0.1:4100/wecom/callback");
    expect((await open(`/wwlogin/sso/login?${webLogin({ redirect_uri: "http://127.0.0.1:4100/console/oauth/callback" })}`)).text).not.toContain("该链接无法访问");
    expect((await open(`/wwlogin/sso/login?${webLogin({ redirect_uri: "http://127.0.0.1:4101/console/oauth/callback" })}`)).text).toContain("该链接无法访问");
  });
});
