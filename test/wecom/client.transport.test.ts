import { RESEND_SUPPRESSED } from "../../src/wecom/client/api/messageApi";
import { WeComApiError, WeComOutcomeUnknownError, WeComTransportError } from "../../src/wecom/client/errors";
import { clientFor, secrets, useScriptedWeCom } from "./support/clientHarness";

const GETTOKEN = "/cgi-bin/gettoken";
const SEND = "/cgi-bin/message/send";
const to = { touser: ["zhangsan"] };

describe("WeCom transport", () => {
  const env = useScriptedWeCom();
  const { wecom } = env;

  it.each([
    ["errcode -1", { body: { errcode: -1, errmsg: "system busy" } }],
    ["errcode 45009", { body: { errcode: 45009, errmsg: "api freq out of limit" } }],
    ["errcode 45033", { body: { errcode: 45033, errmsg: "api concurrent out of limit" } }],
    ["HTTP 502", { status: 502, raw: "<html>bad gateway</html>" }],
    ["HTTP 503", { status: 503, raw: "" }],
  ])("retries %s with growing jittered backoff, then succeeds (a send WeCom deduplicates)", async (_name, reply) => {
    const { client, time } = clientFor(env.server, env.db);
    wecom.enqueue(SEND, reply, reply);
    wecom.on(SEND, () => ({ body: { errcode: 0, errmsg: "ok", msgid: "m1" } }));
    const result = await client.message.sendText(to, "你好", RESEND_SUPPRESSED);
    expect(result.msgid).toBe("m1");
    expect(wecom.count(SEND)).toBe(3);
    // random() = 0.5 of min(cap, 200·2^n): 100 then 200 ms.
    expect(time.sleeps).toEqual([100, 200]);
  });

  it("retries a timeout, then succeeds", async () => {
    const { client } = clientFor(env.server, env.db, { transport: { timeoutMs: 400 } });
    await client.user.get("warm-up");
    wecom.enqueue("/cgi-bin/user/get", { delayMs: 1200 });
    await expect(client.user.get("u1")).resolves.toBeDefined();
    expect(wecom.count("/cgi-bin/user/get")).toBe(3);
  });

  it("gives up after the attempt budget with WeComApiError carrying the errcode", async () => {
    const { client, time } = clientFor(env.server, env.db, { transport: { maxAttempts: 4 } });
    wecom.on(SEND, () => ({ body: { errcode: 45009, errmsg: "api freq out of limit" } }));
    const err = await client.message.sendText(to, "你好").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComApiError);
    expect(err).toMatchObject({ errcode: 45009, endpoint: SEND });
    expect(wecom.count(SEND)).toBe(4);
    expect(time.sleeps).toEqual([100, 200, 400]);
  });

  it("caps backoff", async () => {
    const { client, time } = clientFor(env.server, env.db, { transport: { maxAttempts: 6, backoff: { baseMs: 1000, capMs: 3000 } } });
    wecom.on(SEND, () => ({ body: { errcode: -1, errmsg: "busy" } }));
    await expect(client.message.sendText(to, "x")).rejects.toThrow(WeComApiError);
    expect(time.sleeps).toEqual([500, 1000, 1500, 1500, 1500]);
  });

  it("gives up on an unreachable server with a transport error, after retrying even a robot message (nothing was sent)", async () => {
    const { client, time } = clientFor({ url: "http://127.0.0.1:9", wecom }, env.db, { transport: { maxAttempts: 2 } });
    const err = await client.robot.sendText("hi").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComTransportError);
    expect(err).not.toBeInstanceOf(WeComOutcomeUnknownError);
    expect((err as WeComTransportError).reason).toBe("not_sent");
    expect(time.sleeps).toHaveLength(1);
  });

  describe("calls that must not run twice", () => {
    it.each([
      ["HTTP 502", { status: 502, raw: "<html>bad gateway</html>" }],
      ["HTTP 504", { status: 504, raw: "" }],
    ])("message/send without WeCom's duplicate check: %s is not repeated, the outcome is unknown", async (_name, reply) => {
      const { client, time } = clientFor(env.server, env.db);
      wecom.enqueue(SEND, reply);
      const err = await client.message.sendText(to, "进度").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeComOutcomeUnknownError);
      expect(err).toMatchObject({ reason: "http_status", outcomeUnknown: true, endpoint: SEND });
      expect(wecom.count(SEND)).toBe(1);
      expect(time.sleeps).toEqual([]);
    });

    it("add_msg_template after a timeout: sent once, outcome unknown", async () => {
      const { client } = clientFor(env.server, env.db, { transport: { timeoutMs: 300 } });
      const path = "/cgi-bin/externalcontact/add_msg_template";
      await client.user.get("warm-up");
      wecom.enqueue(path, { delayMs: 900 });
      const err = await client.msgTemplate.addMsgTemplate({ sender: "t1", external_userid: ["wm1"], text: { content: "您好" } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WeComOutcomeUnknownError);
      expect(err).toMatchObject({ reason: "timeout" });
      expect(wecom.count(path)).toBe(1);
    });

    it("add_msg_template answered -1 (WeCom busy: not done) is retried", async () => {
      const { client } = clientFor(env.server, env.db);
      const path = "/cgi-bin/externalcontact/add_msg_template";
      wecom.enqueue(path, { body: { errcode: -1, errmsg: "system busy" } });
      wecom.on(path, () => ({ body: { errcode: 0, errmsg: "ok", msgid: "t1", fail_list: [] } }));
      await expect(client.msgTemplate.addMsgTemplate({ sender: "t1", external_userid: ["wm1"], text: { content: "您好" } })).resolves.toMatchObject({ msgid: "t1" });
      expect(wecom.count(path)).toBe(2);
    });

    it("a read sent as POST (groupchat/list) is repeated after a 502", async () => {
      const { client } = clientFor(env.server, env.db);
      const path = "/cgi-bin/externalcontact/groupchat/list";
      wecom.enqueue(path, { status: 502, raw: "" });
      wecom.on(path, () => ({ body: { errcode: 0, errmsg: "ok", group_chat_list: [] } }));
      await expect(client.groupChat.list({ limit: 10 })).resolves.toMatchObject({ group_chat_list: [] });
      expect(wecom.count(path)).toBe(2);
    });
  });

  it("does not retry a business error", async () => {
    const { client, time } = clientFor(env.server, env.db);
    wecom.on(SEND, () => ({ body: { errcode: 81013, errmsg: "user & party & tag all invalid" } }));
    await expect(client.message.sendText(to, "x")).rejects.toMatchObject({ errcode: 81013 });
    expect(wecom.count(SEND)).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  it("rejects a reply that is not WeCom JSON without retrying", async () => {
    const { client } = clientFor(env.server, env.db);
    wecom.on(SEND, () => ({ raw: "<html>captive portal</html>" }));
    await expect(client.message.sendText(to, "x")).rejects.toMatchObject({ reason: "malformed" });
    expect(wecom.count(SEND)).toBe(1);
  });

  it("spaces calls by the family's token bucket", async () => {
    const { client, time } = clientFor(env.server, env.db, { transport: { rateLimits: { message: { perSecond: 5, burst: 2 } } } });
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.message.sendText(to, `m${i}`)));
    expect(time.sleeps).toEqual([200, 200, 200, 200]);
    expect(time.current).toBe(800);
  });

  it("limits families independently", async () => {
    const { client, time } = clientFor(env.server, env.db, { transport: { rateLimits: { message: { perSecond: 1, burst: 1 } } } });
    await client.message.sendText(to, "a");
    await client.user.get("u1");
    await client.externalContact.list("u1");
    expect(time.sleeps).toEqual([]);
  });

  it("paces each group robot on its own: WeCom's 20 posts a minute are per robot (path/91770)", async () => {
    const { client, time } = clientFor(env.server, env.db, { transport: { rateLimits: { webhook: { perSecond: 1, burst: 1 } } } });
    wecom.on("/cgi-bin/webhook/send", () => ({ body: { errcode: 0, errmsg: "ok" } }));
    await client.robot.sendMarkdown("校区一", "robot-campus-1");
    await client.robot.sendMarkdown("校区二", "robot-campus-2");
    expect(time.sleeps).toEqual([]);
    await client.robot.sendMarkdown("校区一又一条", "robot-campus-1");
    expect(time.sleeps).toEqual([1000]);
    expect(wecom.count("/cgi-bin/webhook/send")).toBe(3);
  });

  it("bounds concurrent requests", async () => {
    const { client } = clientFor(env.server, env.db, { transport: { maxConcurrency: 3 } });
    await client.user.get("warm-up");
    wecom.maxInFlight = 0;
    wecom.on("/cgi-bin/user/get", () => ({ delayMs: 40 }));
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.user.get(`u${i}`)));
    expect(wecom.maxInFlight).toBe(3);
  });

  it("counts and times every call by endpoint and errcode", async () => {
    const { client, metrics } = clientFor(env.server, env.db);
    wecom.enqueue(SEND, { body: { errcode: -1, errmsg: "busy" } });
    await client.message.sendText(to, "x");
    const text = await metrics.registry.metrics();
    expect(text).toContain('wecom_api_requests_total{endpoint="/cgi-bin/message/send",errcode="-1"} 1');
    expect(text).toContain('wecom_api_requests_total{endpoint="/cgi-bin/message/send",errcode="0"} 1');
    expect(text).toContain('wecom_api_requests_total{endpoint="/cgi-bin/gettoken",errcode="0"} 1');
    expect(text).toMatch(/wecom_api_request_duration_seconds_count\{endpoint="\/cgi-bin\/message\/send"\} 2/);
  });

  it("logs every call with endpoint, errcode and latency, and never a secret, token, key or code", async () => {
    const { client, logs } = clientFor(env.server, env.db);
    wecom.enqueue(SEND, { body: { errcode: 42001, errmsg: "expired" } });
    await client.message.sendText(to, "x");
    await client.robot.sendMarkdown("**hi**");
    await client.user.update({ userid: "u1", enable: 1 });
    await client.oauth.getUserInfo("oauth-code-DO-NOT-LOG");
    await client.miniProgram.jscode2session("js-code-DO-NOT-LOG");
    wecom.on(GETTOKEN, () => ({ body: { errcode: 40001, errmsg: "invalid credential" } }));
    await client.msgAudit.getPermitUserList().catch(() => undefined);

    const lines = logs.map((l) => JSON.parse(l));
    const calls = lines.filter((l) => l.endpoint);
    expect(calls.length).toBeGreaterThanOrEqual(8);
    for (const call of calls) {
      expect(call).toEqual(expect.objectContaining({ endpoint: expect.any(String), errcode: expect.any(String), latencyMs: expect.any(Number) }));
    }
    const all = logs.join("\n");
    for (const secret of [...Object.values(secrets), "robot-key-DO-NOT-LOG", "oauth-code-DO-NOT-LOG", "js-code-DO-NOT-LOG"]) {
      expect(all).not.toContain(secret);
    }
    for (const token of wecom.requests.map((r) => r.query.access_token).filter(Boolean)) {
      expect(all).not.toContain(token);
    }
    expect(all).toContain("access_token=[REDACTED]");
  });
});
