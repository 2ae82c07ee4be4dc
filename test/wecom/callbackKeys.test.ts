import { encrypt, getSignature } from "@wecom/crypto";
import type { Database } from "../../src/platform/db/database";
import { callbackEndpoints } from "../../src/wecom/callback/callbackEndpoints";
import { createWeComIngress } from "../../src/wecom/callback/createWeComIngress";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { capturedLogger } from "../support/capturedLogger";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";
import { externalContactEvent, signedCallback, storedField } from "./callbackSupport";
import { nowSeconds, startIngress, type RunningIngress } from "./inboxHarness";

/**
 * Several callback URLs, each with its own Token/EncodingAESKey (Tencent path/90930 回调配置: each app that
 * receives events — the self-built app, 通讯录同步, 客户联系 — has its own 接收事件服务器 pair).
 */
const contacts = { token: "ContactsToken42", encodingAesKey: "a".repeat(22) + "B".repeat(21) };
const customer = { token: "CustomerToken7", encodingAesKey: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" };
const stranger = { token: "SomebodyElse", encodingAesKey: "Z".repeat(43) };

describe("several callback URLs, each with its own pair", () => {
  let db: Database;
  let ingress: RunningIngress;
  const log = capturedLogger("warn");
  beforeAll(async () => {
    db = await createTestDatabase();
    ingress = await startIngress(db, {
      logger: log.logger,
      credentials: { ...SANDBOX_CORP, extraKeys: JSON.stringify({ contacts, customer }) },
    });
  }, 30_000);
  afterAll(async () => {
    await ingress.close();
    await db.close();
  });

  const now = () => nowSeconds(ingress.clock);
  const postTo = (path: string, pair: { token: string; encodingAesKey: string }, xml: string) => {
    const signed = signedCallback(xml, { timestamp: now(), ...pair });
    return fetch(`${ingress.base}${path}?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
  };
  const rejections = () => log.lines.filter((l) => String(l.msg).startsWith("wecom callback rejected"));

  it("each URL accepts events signed with its own pair and answers its own URL check", async () => {
    expect((await postTo("/wecom/callback/contacts", contacts, externalContactEvent("add_external_contact", now(), { ExternalUserID: "wm_c1" }))).status).toBe(200);
    expect((await postTo("/wecom/callback/customer", customer, externalContactEvent("add_external_contact", now(), { ExternalUserID: "wm_c2" }))).status).toBe(200);
    expect((await postTo("/wecom/callback", SANDBOX_CORP, externalContactEvent("add_external_contact", now(), { ExternalUserID: "wm_c3" }))).status).toBe(200);
    const stored = await db.dataSource.query(`SELECT ${storedField("ExternalUserID")} AS id FROM wecom_inbox ORDER BY id`);
    expect(stored.map((r: { id: string }) => r.id)).toEqual(["wm_c1", "wm_c2", "wm_c3"]);

    const echostr = encrypt(customer.encodingAesKey, "5927384", SANDBOX_CORP.corpId);
    const q = new URLSearchParams({ msg_signature: getSignature(customer.token, now(), "n9", echostr), timestamp: String(now()), nonce: "n9", echostr });
    const res = await fetch(`${ingress.base}/wecom/callback/customer?${q}`);
    expect(await res.text()).toBe("5927384");
  });

  it("a callback signed with another URL's pair is refused, and the log line says which URL it belongs to", async () => {
    const before = rejections().length;
    const res = await postTo("/wecom/callback", contacts, externalContactEvent("add_external_contact", now(), { ExternalUserID: "wm_x" }));
    expect(res.status).toBe(401);
    const [line] = rejections().slice(before);
    expect(line).toMatchObject({ reason: "bad_signature", url: "/wecom/callback", signedFor: "/wecom/callback/contacts" });
    expect(line!.msg).toContain("WECOM_CALLBACK_KEYS.contacts");
    expect(JSON.stringify(line)).not.toContain(contacts.token);
  });

  it("a URL check signed with an unknown pair names the setting to align", async () => {
    const before = rejections().length;
    const echostr = encrypt(stranger.encodingAesKey, "1", SANDBOX_CORP.corpId);
    const q = new URLSearchParams({ msg_signature: getSignature(stranger.token, now(), "n1", echostr), timestamp: String(now()), nonce: "n1", echostr });
    expect((await fetch(`${ingress.base}/wecom/callback/customer?${q}`)).status).toBe(401);
    const [line] = rejections().slice(before);
    expect(line).toMatchObject({ reason: "bad_signature", url: "/wecom/callback/customer" });
    expect(line!.signedFor).toBeUndefined();
    expect(line!.msg).toContain("set WECOM_CALLBACK_KEYS.customer to the Token and EncodingAESKey");
  });

  it("an unknown name is no URL", async () => {
    const res = await postTo("/wecom/callback/archive", contacts, externalContactEvent("add_external_contact", now()));
    expect(res.status).toBe(404);
  });
});

describe("WECOM_CALLBACK_KEYS", () => {
  const primary = { token: "t", encodingAesKey: "k".repeat(43) };
  it("maps each name to /wecom/callback/<name> with the setting that holds it", () => {
    expect(callbackEndpoints(primary, JSON.stringify({ contacts })).map(({ name, path, setting }) => ({ name, path, setting }))).toEqual([
      { name: "app", path: "/wecom/callback", setting: "WECOM_TOKEN / WECOM_ENCODING_AES_KEY" },
      { name: "contacts", path: "/wecom/callback/contacts", setting: "WECOM_CALLBACK_KEYS.contacts" },
    ]);
  });

  it.each([
    ["not JSON", "{contacts:", /must be a JSON object/],
    ["an array", "[]", /must be a JSON object/],
    ["a bad name", JSON.stringify({ "Contacts!": contacts }), /"Contacts!": a name is lower-case/],
    ["the reserved name", JSON.stringify({ app: contacts }), /not "app"/],
    ["a token over 32 characters", JSON.stringify({ c: { ...contacts, token: "x".repeat(33) } }), /"c".token must be/],
    ["a short key", JSON.stringify({ c: { ...contacts, encodingAesKey: "abc" } }), /"c".encodingAesKey must be the 43-character/],
  ])("refuses %s at start, naming the variable", (_name, value, message) => {
    const services = { config: testConfig(), logger: capturedLogger().logger, clock: undefined as never, dataSource: undefined as never, metrics: undefined as never };
    expect(() => callbackEndpoints(primary, value)).toThrow(message);
    expect(() => createWeComIngress(services, { credentials: { ...SANDBOX_CORP, extraKeys: value } })).toThrow(/^WECOM_CALLBACK_KEYS /);
  });
});
