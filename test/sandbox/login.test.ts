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
