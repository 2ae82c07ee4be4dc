import http from "node:http";
import { encrypt, getSignature } from "@wecom/crypto";
import type { Database } from "../../src/platform/db/database";
import type { WeComEvent } from "../../src/wecom/events/types";
import { parseEvent } from "../../src/wecom/events/parseEvent";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { json } from "../support/http";
import { createTestDatabase } from "../support/testDatabase";
import { eventXml, externalContactEvent, signedCallback, textMessage } from "./callbackSupport";
import { metricValue, nowSeconds, post, startIngress, startIngressBehindProxy, type RunningIngress } from "./inboxHarness";

describe("WeCom callback endpoint", () => {
  let db: Database;
  let ingress: RunningIngress;
  const handled: WeComEvent[] = [];
  const inboxRows = async () => Number((await db.dataSource.query(`SELECT count(*) AS n FROM wecom_inbox`))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    ingress = await startIngress(db);
    ingress.dispatcher.register("text", async (e) => void handled.push(e));
    ingress.dispatcher.register("change_external_contact", async (e) => void handled.push(e));
    ingress.dispatcher.register("template_card_event", async (e) => void handled.push(e));
  });
  afterAll(async () => {
    await ingress.close();
    await db.close();
  });
  beforeEach(async () => {
    handled.length = 0;
    await db.dataSource.query(`TRUNCATE wecom_inbox, wecom_inbox_work`);
  });

  const now = () => nowSeconds(ingress.clock);

  it("answers the URL check with the bare plaintext", async () => {
    const echostr = encrypt(SANDBOX_CORP.encodingAesKey, "8732458923475", SANDBOX_CORP.corpId);
    const signature = getSignature(SANDBOX_CORP.token, now(), "n1", echostr);
    const query = new URLSearchParams({ msg_signature: signature, timestamp: String(now()), nonce: "n1", echostr });
    const res = await fetch(`${ingress.base}/wecom/callback?${query}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("8732458923475");
    query.set("nonce", "n2");
    expect((await fetch(`${ingress.base}/wecom/callback?${query}`)).status).toBe(401);
  });

  it("passes the official vectors over HTTP with the official credentials", async () => {
    const official = await startIngress(db, {
      credentials: { token: "QDG6eK", encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", corpId: "wx5823bf96d3bd56c7" },
    });
    try {
      official.clock.set(new Date(1409659589_000));
      const echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
      const q = new URLSearchParams({ msg_signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", timestamp: "1409659589", nonce: "263014780", echostr });
      const res = await fetch(`${official.base}/wecom/callback?${q}`);
      expect(await res.text()).toBe("1616140317555161061");

      official.clock.set(new Date(1409659813_000));
      const encrypted =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
      const posted = await post(official.base, {
        query: new URLSearchParams({ msg_signature: "477715d11cdb4164915debcba66cb864d751f3e6", timestamp: "1409659813", nonce: "1372623149" }).toString(),
        body: `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
      });
      expect(posted.status).toBe(200);
      const [row] = await db.dataSource.query(`SELECT kind, raw_xml FROM wecom_inbox`);
      expect(row.kind).toBe("text");
      expect(parseEvent(row.raw_xml)).toMatchObject({ type: "text", msgId: "4561255354251345929" });
    } finally {
      await official.close();
    }
  });

  it("stores an event before answering an empty 200, and handles it in the worker", async () => {
    const res = await post(ingress.base, signedCallback(textMessage("100001", now()), { timestamp: now() }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const [row] = await db.dataSource.query(`SELECT status, kind, raw_xml, attempts FROM wecom_inbox_with_status`);
    expect(row).toMatchObject({ status: "pending", kind: "text", attempts: 0 });
    expect(row.raw_xml).toContain("<MsgId><![CDATA[100001]]></MsgId>");
    await ingress.worker.drain();
    expect(handled).toHaveLength(1);
    expect((await db.dataSource.query(`SELECT status FROM wecom_inbox_with_status`))[0].status).toBe("done");
  });

  it.each([
    ["tampered signature", 401, (s: { query: string; body: string }) => ({ ...s, query: s.query.replace(/msg_signature=[0-9a-f]/, "msg_signature=x") })],
    ["missing signature", 400, (s: { query: string; body: string }) => ({ ...s, query: s.query.replace(/msg_signature=[^&]*&/, "") })],
    ["malformed envelope", 400, (s: { query: string; body: string }) => ({ ...s, body: s.body.slice(0, 60) })],
    ["non-XML envelope", 400, (s: { query: string; body: string }) => ({ ...s, body: "hello" })],
  ])("refuses a %s with %i and stores nothing", async (_name, status, mangle) => {
    const before = await metricValue(ingress, "wecom_callback_events_total", '{outcome="rejected"}');
    const res = await post(ingress.base, mangle(signedCallback(textMessage("200", now()), { timestamp: now() })));
    expect(res.status).toBe(status);
    expect((await json(res)).error.code).toMatch(/callback_rejected|validation_failed/);
    expect(await inboxRows()).toBe(0);
    expect(await metricValue(ingress, "wecom_callback_events_total", '{outcome="rejected"}')).toBe(before + 1);
  });

  it("refuses another corp's callback (receive id) with 403", async () => {
    const res = await post(ingress.base, signedCallback(textMessage("201", now()), { timestamp: now(), receiveId: "wwOtherCorp" }));
    expect(res.status).toBe(403);
    expect(await inboxRows()).toBe(0);
  });

  it("refuses timestamps outside the window either way", async () => {
    const window = ingress.services.config.WECOM_CALLBACK_WINDOW_SECONDS;
    for (const ts of [now() - window - 1, now() + window + 1]) {
      const res = await post(ingress.base, signedCallback(textMessage(`202${ts}`, ts), { timestamp: ts }));
      expect(res.status).toBe(400);
      expect((await json(res)).error.details.reason).toBe("stale_timestamp");
    }
    expect((await post(ingress.base, signedCallback(textMessage("203", now()), { timestamp: now() - window + 5 }))).status).toBe(200);
  });

  it("refuses a correctly signed but malformed inner XML with 400", async () => {
    const res = await post(ingress.base, signedCallback("<xml><MsgType>text</MsgType></xml>", { timestamp: now() }));
    expect(res.status).toBe(400);
    expect((await json(res)).error.details.reason).toBe("malformed_xml");
    expect(await inboxRows()).toBe(0);
  });

  it("refuses an oversized body with 413, declared or streamed", async () => {
    const max = ingress.services.config.WECOM_CALLBACK_MAX_BYTES;
    const signed = signedCallback(textMessage("204", now()), { timestamp: now() });
    const declared = await post(ingress.base, { ...signed, body: signed.body + " ".repeat(max) });
    expect(declared.status).toBe(413);

    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${ingress.base}/wecom/callback?${signed.query}`, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 8; i++) req.write("x".repeat(max / 4));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(await inboxRows()).toBe(0);
  });

  it("stores and handles an event delivered three times exactly once, answering 200 each time", async () => {
    const duplicatesBefore = await metricValue(ingress, "wecom_callback_events_total", '{outcome="duplicate"}');
    const signed = signedCallback(externalContactEvent("add_external_contact", now(), { WelcomeCode: "W1" }), { timestamp: now() });
    for (let i = 0; i < 3; i++) expect((await post(ingress.base, signed)).status).toBe(200);
    // WeCom re-encrypts a redelivery with a fresh random prefix and nonce; it is still the same event.
    const reencrypted = signedCallback(externalContactEvent("add_external_contact", now(), { WelcomeCode: "W1" }), { timestamp: now() });
    expect((await post(ingress.base, reencrypted)).status).toBe(200);
    expect(await inboxRows()).toBe(1);
    await ingress.worker.drain();
    await ingress.worker.drain();
    expect(handled).toHaveLength(1);
    // Four deliveries of one event: one accepted, exactly three counted as duplicates.
    expect((await metricValue(ingress, "wecom_callback_events_total", '{outcome="duplicate"}')) - duplicatesBefore).toBe(3);
  });

  it("keeps two different events from the same sender in the same second", async () => {
    const t = now();
    await post(ingress.base, signedCallback(externalContactEvent("add_external_contact", t, { ExternalUserID: "wmA", WelcomeCode: "A" }), { timestamp: t }));
    await post(ingress.base, signedCallback(externalContactEvent("add_external_contact", t, { ExternalUserID: "wmB", WelcomeCode: "B" }), { timestamp: t }));
    expect(await inboxRows()).toBe(2);
    await ingress.worker.drain();
    expect(handled.map((e) => e.type === "change_external_contact" && e.externalUserId).sort()).toEqual(["wmA", "wmB"]);
  });

  it("accepts template_card_event with the misspelled OpitonIds", async () => {
    const xml = eventXml(
      { FromUserName: "teacher_li", CreateTime: now(), MsgType: "event", Event: "template_card_event", EventKey: "approve", TaskId: "resign-42", CardType: "vote_interaction", ResponseCode: "rc-1", AgentID: 1000002 },
      "<SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OpitonIds><OpitonId>yes</OpitonId></OpitonIds></SelectedItem></SelectedItems>",
    );
    expect((await post(ingress.base, signedCallback(xml, { timestamp: now() }))).status).toBe(200);
    await ingress.worker.drain();
    expect(handled[0]).toMatchObject({ type: "template_card_event", taskId: "resign-42", selectedItems: [{ questionKey: "q", optionIds: ["yes"] }] });
  });

  it("answers 503 while the database is down, then accepts WeCom's retry", async () => {
    const { ingress: viaProxy, proxy, close } = await startIngressBehindProxy(db, ingress.clock, 2);
    try {
      const signed = signedCallback(textMessage("300", now()), { timestamp: now() });
      await proxy.cut();
      const down = await post(viaProxy.base, signed);
      expect(down.status).toBe(503);
      expect(await inboxRows()).toBe(0);
      await proxy.restore();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await post(viaProxy.base, signed)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(await inboxRows()).toBe(1);
    } finally {
      await close();
    }
  });
});
