import { decrypt, encrypt, getSignature } from "@wecom/crypto";
import { CallbackCrypto, replyEnvelope } from "../../src/wecom/crypto/callbackCrypto";
import { CallbackRejected } from "../../src/wecom/crypto/callbackRejected";
import { openEventCallback, openUrlVerification } from "../../src/wecom/callback/openCallback";
import { parseXml } from "../../src/wecom/events/parseEvent";

/** Tencent's official sample (wecom-api.md §1). */
const official = {
  token: "QDG6eK",
  key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  corpId: "wx5823bf96d3bd56c7",
};
const officialCrypto = () => new CallbackCrypto(official.token, official.key, official.corpId);
const guardAt = (seconds: number) => ({ crypto: officialCrypto(), windowSeconds: 600, nowMs: seconds * 1000 });

function rejection(work: () => unknown): string {
  try {
    work();
  } catch (err) {
    if (err instanceof CallbackRejected) return err.reason;
    throw err;
  }
  throw new Error("expected a CallbackRejected");
}

describe("CallbackCrypto", () => {
  it("passes the official URL-check vector through the GET path", () => {
    const plain = openUrlVerification(
      {
        msg_signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
        timestamp: "1409659589",
        nonce: "263014780",
        echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
      },
      guardAt(1409659589),
    );
    expect(plain).toBe("1616140317555161061");
  });

  it("passes the official message vector through the POST path (pad byte 30, 19-digit MsgId kept exact)", () => {
    const encrypted =
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    const opened = openEventCallback(
      { msg_signature: "477715d11cdb4164915debcba66cb864d751f3e6", timestamp: "1409659813", nonce: "1372623149" },
      `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
      guardAt(1409659813),
    );
    expect(opened.rawXml).toBe(
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
    );
    expect(opened.event).toEqual({
      type: "text",
      corpId: "wx5823bf96d3bd56c7",
      from: "mycreate",
      createTime: 1409659813,
      agentId: "218",
      msgId: "4561255354251345929",
      content: "hello",
    });
    expect(opened.kind).toBe("text");
    expect(opened.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("verifies and decrypts what the official @wecom/crypto package encrypts and signs", () => {
    const message = "<xml><Content><![CDATA[家长您好 👋]]></Content></xml>";
    const cipher = encrypt(official.key, message, official.corpId);
    const signature = getSignature(official.token, "1700000000", "abc", cipher);
    const ours = officialCrypto();
    expect(() => ours.verifySignature(signature, "1700000000", "abc", cipher)).not.toThrow();
    expect(ours.decrypt(cipher)).toBe(message);
  });

  it("encrypts a passive reply the official package decrypts and whose signature it reproduces", () => {
    const reply = officialCrypto().encryptReply("<xml><Content>收到</Content></xml>", "1700000001", "nonce1");
    expect(decrypt(official.key, reply.encrypt)).toMatchObject({ message: "<xml><Content>收到</Content></xml>", id: official.corpId });
    expect(getSignature(official.token, "1700000001", "nonce1", reply.encrypt)).toBe(reply.signature);
    const envelope = parseXml(replyEnvelope(reply)).xml as Record<string, string>;
    expect(envelope).toEqual({ Encrypt: reply.encrypt, MsgSignature: reply.signature, TimeStamp: "1700000001", Nonce: "nonce1" });
  });

  it("refuses a tampered signature, including one differing only in length", () => {
    const cipher = encrypt(official.key, "x", official.corpId);
    const good = getSignature(official.token, "1", "2", cipher);
    const flipped = good.slice(0, -1) + (good.endsWith("0") ? "1" : "0");
    expect(rejection(() => officialCrypto().verifySignature(flipped, "1", "2", cipher))).toBe("bad_signature");
    expect(rejection(() => officialCrypto().verifySignature(good + "0", "1", "2", cipher))).toBe("bad_signature");
    expect(rejection(() => officialCrypto().verifySignature(good, "1", "3", cipher))).toBe("bad_signature");
  });

  it("refuses another corp's message (receive id mismatch)", () => {
    const cipher = encrypt(official.key, "<xml/>", "wwSomeoneElse");
    expect(rejection(() => officialCrypto().decrypt(cipher))).toBe("foreign_corp");
  });

  it("refuses bad PKCS#7 padding and truncated ciphertext", () => {
    // Flip the last ciphertext block's predecessor so the pad byte changes.
    const cipher = Buffer.from(encrypt(official.key, "<xml/>", official.corpId), "base64");
    cipher[cipher.length - 17]! ^= 0x55;
    expect(rejection(() => officialCrypto().decrypt(cipher.toString("base64")))).toBe("bad_padding");
    const truncated = Buffer.from(encrypt(official.key, "<xml/>", official.corpId), "base64").subarray(0, 16);
    expect(rejection(() => officialCrypto().decrypt(truncated.toString("base64")))).toBe("bad_padding");
    expect(rejection(() => officialCrypto().decrypt("not base64!"))).toBe("malformed_xml");
  });

  it("keeps secrets out of error messages", () => {
    const err = new CallbackRejected("bad_signature");
    expect(err.message).not.toContain(official.token);
    expect(err.status).toBe(401);
    expect(JSON.stringify(err.details)).toBe('{"reason":"bad_signature"}');
  });
});
