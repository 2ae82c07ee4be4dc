import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { startTestSandbox, type TestSandbox } from "./support";

describe("sandbox access tokens and secret permissions", () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.sandbox.stop());

  it("issues a 7200 s token per secret and hands the same one out while valid", async () => {
    const q = { corpid: SANDBOX_CORP.corpId, corpsecret: SANDBOX_CORP.agentSecret };
    const first = await t.api.rawGet("/cgi-bin/gettoken", q);
    expect(first).toMatchObject({ errcode: 0, errmsg: "ok", expires_in: 7200 });
    t.clock.advance(600_000);
    const again = await t.api.rawGet("/cgi-bin/gettoken", q);
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(6600);
    const contact = await t.api.rawGet("/cgi-bin/gettoken", { ...q, corpsecret: SANDBOX_CORP.contactSecret });
    expect(contact.access_token).not.toBe(first.access_token);
  });

  it("refuses a bad corpid (40013) and a bad secret (40001)", async () => {
    expect((await t.api.rawGet("/cgi-bin/gettoken", { corpid: "wrong", corpsecret: SANDBOX_CORP.agentSecret })).errcode).toBe(40013);
    expect((await t.api.rawGet("/cgi-bin/gettoken", { corpid: SANDBOX_CORP.corpId, corpsecret: "nope" })).errcode).toBe(40001);
  });

  it("answers 41001 without a token, 40014 for an unknown one, 42001 once expired", async () => {
    expect((await t.api.rawGet("/cgi-bin/user/get", { userid: "teacher_a" })).errcode).toBe(41001);
    expect((await t.api.rawGet("/cgi-bin/user/get", { userid: "teacher_a", access_token: "forged" })).errcode).toBe(40014);
    const token = await t.api.token("agent");
    expect((await t.api.rawGet("/cgi-bin/user/get", { userid: "teacher_a", access_token: token })).errcode).toBe(0);
    t.clock.advance(7200_000);
    const expired = await t.api.rawGet("/cgi-bin/user/get", { userid: "teacher_a", access_token: token });
    expect(expired.errcode).toBe(42001);
    expect(expired.errmsg).toContain("more info at https://open.work.weixin.qq.com/devtool/query?e=42001");
    t.api.forget();
    expect((await t.api.get("agent", "/cgi-bin/user/get", { userid: "teacher_a" })).errcode).toBe(0);
  });

  it("expires every token early on demand, as WeCom may", async () => {
    const token = await t.api.token("customer");
    t.sandbox.faults.expireAllTokens();
    expect((await t.api.rawGet("/cgi-bin/externalcontact/list", { userid: "teacher_a", access_token: token })).errcode).toBe(42001);
  });

  it("lets each secret call only its own APIs (48002 otherwise)", async () => {
    const enable = { userid: "teacher_b", enable: 0 };
    expect((await t.api.post("agent", "/cgi-bin/user/update", enable)).errcode).toBe(48002);
    expect((await t.api.post("customer", "/cgi-bin/user/update", enable)).errcode).toBe(48002);
    expect((await t.api.post("contact", "/cgi-bin/user/update", enable)).errcode).toBe(0);
    expect(t.sandbox.state.users.get("teacher_b")!.status).toBe(2);

    expect((await t.api.get("contact", "/cgi-bin/externalcontact/list", { userid: "teacher_a" })).errcode).toBe(48002);
    expect((await t.api.get("customer", "/cgi-bin/externalcontact/list", { userid: "teacher_a" })).errcode).toBe(0);
    expect((await t.api.get("agent", "/cgi-bin/externalcontact/list", { userid: "teacher_a" })).errcode).toBe(0);

    expect((await t.api.post("agent", "/cgi-bin/msgaudit/get_permit_user_list", {})).errcode).toBe(48002);
    expect((await t.api.post("archive", "/cgi-bin/msgaudit/get_permit_user_list", {})).errcode).toBe(0);
    expect((await t.api.post("archive", "/cgi-bin/message/send", {})).errcode).toBe(48002);
  });

  it("answers malformed JSON with 47001 and records every call with the token redacted", async () => {
    const token = await t.api.token("agent");
    const res = await t.api.rawPost("/cgi-bin/message/send", "{not json", { access_token: token });
    expect(res.errcode).toBe(47001);
    const [call] = t.sandbox.calls.callsTo("/cgi-bin/message/send");
    expect(call).toMatchObject({ method: "POST", errcode: 47001, query: { access_token: "[REDACTED]" } });
    expect(t.sandbox.calls.callsTo("/cgi-bin/gettoken")[0]!.query.corpsecret).toBe("[REDACTED]");
  });

  it("injects faults: errcodes, HTTP failures and latency, for the given number of calls", async () => {
    t.sandbox.faults.inject({ path: "/cgi-bin/user/get", errcode: -1, times: 1 });
    t.sandbox.faults.inject({ path: "/cgi-bin/user/get", httpStatus: 502, times: 1 });
    expect((await t.api.get("agent", "/cgi-bin/user/get", { userid: "teacher_a" })).errcode).toBe(-1);
    const token = await t.api.token("agent");
    const gateway = await fetch(`${t.sandbox.url}/cgi-bin/user/get?access_token=${token}&userid=teacher_a`);
    expect(gateway.status).toBe(502);
    expect((await t.api.get("agent", "/cgi-bin/user/get", { userid: "teacher_a" })).errcode).toBe(0);
    t.sandbox.faults.inject({ path: "/cgi-bin/user/get", latencyMs: 300, times: 1 });
    const started = performance.now();
    expect((await t.api.get("agent", "/cgi-bin/user/get", { userid: "teacher_a" })).errcode).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});
