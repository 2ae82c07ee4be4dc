import { createDataSource } from "../../ormconfig";
import { TestClock } from "../../src/platform/clock";
import {
  MissingSecretError,
  WeComApiError,
  WeComConfigurationError,
} from "../../src/wecom/client/errors";
import { secretFingerprint } from "../../src/wecom/client/tokens/credentials";
import { clientFor, secrets, useScriptedWeCom } from "./support/clientHarness";

const GETTOKEN = "/cgi-bin/gettoken";
const USER_GET = "/cgi-bin/user/get";

describe("WeCom access tokens", () => {
  const env = useScriptedWeCom();
  const { wecom } = env;

  it("100 concurrent calls with no valid token make exactly one gettoken", async () => {
    const { client } = clientFor(env.server, env.db);
    const users = await Promise.all(Array.from({ length: 100 }, (_, i) => client.user.get(`u${i}`)));
    expect(users).toHaveLength(100);
    expect(wecom.count(GETTOKEN)).toBe(1);
    expect(wecom.count(USER_GET)).toBe(100);
  });

  it("100 concurrent calls with an expired token make exactly one gettoken", async () => {
    const { client, clock } = clientFor(env.server, env.db);
    await client.user.get("warm-up");
    clock.advanceHours(3);
    await Promise.all(Array.from({ length: 100 }, (_, i) => client.user.get(`u${i}`)));
    expect(wecom.count(GETTOKEN)).toBe(2);
  });

  it("two instances sharing one database make one gettoken between them", async () => {
    const second = createDataSource(env.db.url, 5);
    await second.initialize();
    try {
      const clock = new TestClock();
      const a = clientFor(env.server, env.db, { clock });
      const b = clientFor(env.server, { ...env.db, dataSource: second }, { clock });
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).client.user.get(`u${i}`)),
      );
      expect(wecom.count(GETTOKEN)).toBe(1);
    } finally {
      await second.destroy();
    }
  });

  it("stores only a fingerprint of the secret, never the secret", async () => {
    const { client } = clientFor(env.server, env.db);
    await client.user.get("u1");
    const rows = await env.db.dataSource.query("SELECT * FROM wecom_access_token");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ corp_id: "ww-test-corp", secret_kind: "agent", secret_fingerprint: secretFingerprint(secrets.agent) });
    expect(JSON.stringify(rows)).not.toContain(secrets.agent);
  });

  it("refreshes early: not before 90% of the token's life, then before it expires", async () => {
    const { client, clock } = clientFor(env.server, env.db);
    await client.user.get("u1");
    clock.advance(6400 * 1000); // 89% of 7200 s
    await client.user.get("u2");
    expect(wecom.count(GETTOKEN)).toBe(1);
    clock.advance(100 * 1000); // 90.2%: still valid for ~700 s, refreshed anyway
    await client.user.get("u3");
    expect(wecom.count(GETTOKEN)).toBe(2);
    const [first, , third] = wecom.callsTo(USER_GET).map((r) => r.query.access_token);
    expect(third).not.toBe(first);
  });

  it("a short-lived token is refreshed 5 minutes before expiry", async () => {
    wecom.tokenExpiresIn = 600;
    const { client, clock } = clientFor(env.server, env.db);
    await client.user.get("u1");
    clock.advance(299 * 1000);
    await client.user.get("u2");
    expect(wecom.count(GETTOKEN)).toBe(1);
    clock.advance(2 * 1000);
    await client.user.get("u3");
    expect(wecom.count(GETTOKEN)).toBe(2);
  });

  it("an early refresh that fails transiently keeps using the still-valid token", async () => {
    const { client, clock } = clientFor(env.server, env.db, { transport: { maxAttempts: 2 } });
    await client.user.get("u1");
    clock.advance(6600 * 1000);
    wecom.enqueue(GETTOKEN, { status: 502 }, { status: 502 });
    await expect(client.user.get("u2")).resolves.toBeDefined();
    expect(wecom.count(GETTOKEN)).toBe(3);
  });

  it.each([40014, 42001])("errcode %i: invalidates, refreshes and retries once", async (errcode) => {
    const { client } = clientFor(env.server, env.db);
    await client.user.get("u1");
    wecom.enqueue(USER_GET, { body: { errcode, errmsg: "invalid token" } });
    const user = await client.user.get("u2");
    expect(user).toBeDefined();
    expect(wecom.count(GETTOKEN)).toBe(2);
    expect(wecom.count(USER_GET)).toBe(3);
    const tokens = wecom.callsTo(USER_GET).map((r) => r.query.access_token);
    expect(tokens[2]).not.toBe(tokens[1]);
  });

  it("a token WeCom revoked early is replaced for every concurrent caller with one gettoken", async () => {
    const { client } = clientFor(env.server, env.db);
    await client.user.get("u1");
    wecom.revokeTokens();
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.user.get(`u${i}`)));
    expect(wecom.count(GETTOKEN)).toBe(2);
  });

  it("does not loop when WeCom keeps rejecting fresh tokens", async () => {
    const { client } = clientFor(env.server, env.db);
    wecom.on(USER_GET, () => ({ body: { errcode: 40014, errmsg: "invalid access_token" } }));
    const err = await client.user.get("u1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComApiError);
    expect((err as WeComApiError).errcode).toBe(40014);
    expect(wecom.count(USER_GET)).toBe(2);
    expect(wecom.count(GETTOKEN)).toBe(2);
  });

  it.each([
    [40001, /invalid secret for agent/],
    [40013, /invalid corpid/],
    [60020, /server IP not in WeCom whitelist/],
  ])("gettoken errcode %i fails loudly with a configuration error and no retry", async (errcode, message) => {
    const { client } = clientFor(env.server, env.db);
    wecom.on(GETTOKEN, () => ({ body: { errcode, errmsg: "from ip: 1.2.3.4" } }));
    const err = await client.user.get("u1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComConfigurationError);
    expect((err as Error).message).toMatch(message);
    expect((err as WeComConfigurationError).errcode).toBe(errcode);
    expect(wecom.count(GETTOKEN)).toBe(1);
    expect(wecom.count(USER_GET)).toBe(0);
  });

  it("60020 on an API call is a configuration error too", async () => {
    const { client } = clientFor(env.server, env.db);
    wecom.enqueue(USER_GET, { body: { errcode: 60020, errmsg: "not allow to access from your ip" } });
    await expect(client.user.get("u1")).rejects.toThrow(/server IP not in WeCom whitelist/);
    expect(wecom.count(USER_GET)).toBe(1);
  });

  it("names the secret kind when the contact secret is wrong", async () => {
    const { client } = clientFor(env.server, env.db);
    wecom.on(GETTOKEN, (req) =>
      req.query.corpsecret === secrets.contact ? { body: { errcode: 40001, errmsg: "invalid credential" } } : { body: { errcode: 0, access_token: "t", expires_in: 7200 } },
    );
    await expect(client.user.update({ userid: "u1", enable: 0 })).rejects.toThrow(/invalid secret for contact: check WECOM_CONTACT_SECRET/);
  });

  it("user/update uses the contact secret", async () => {
    const { client } = clientFor(env.server, env.db);
    await client.user.update({ userid: "u1", enable: 0 });
    expect(wecom.callsTo(GETTOKEN)[0]!.query.corpsecret).toBe(secrets.contact);
    expect(wecom.callsTo("/cgi-bin/user/update")[0]!.body).toEqual({ userid: "u1", enable: 0 });
  });

  it("user/update without a contact secret throws MissingSecretError before any call", async () => {
    const { client } = clientFor(env.server, env.db, { settings: { secrets: { agent: secrets.agent } } });
    const err = await client.user.update({ userid: "u1", enable: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingSecretError);
    expect((err as MissingSecretError).kind).toBe("contact");
    expect(wecom.requests).toHaveLength(0);
  });

  it("customer APIs fall back to the agent secret and share its token", async () => {
    const { client } = clientFor(env.server, env.db, { settings: { secrets: { agent: secrets.agent } } });
    await client.user.get("u1");
    await client.externalContact.list("u1");
    expect(wecom.count(GETTOKEN)).toBe(1);
    expect(wecom.callsTo(GETTOKEN)[0]!.query.corpsecret).toBe(secrets.agent);
  });

  it("each secret kind has its own token", async () => {
    const { client } = clientFor(env.server, env.db);
    await client.user.get("u1");
    await client.externalContact.list("u1");
    await client.msgAudit.getPermitUserList();
    expect(wecom.callsTo(GETTOKEN).map((r) => r.query.corpsecret)).toEqual([secrets.agent, secrets.customer, secrets.archive]);
  });
});
