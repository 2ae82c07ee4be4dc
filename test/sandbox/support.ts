import http from "node:http";
import type { AddressInfo } from "node:net";
import { constants, createDecipheriv, privateDecrypt } from "node:crypto";
import { decrypt, getSignature } from "@wecom/crypto";
import { TestClock } from "../../src/platform/clock";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/server";
import type { SeedInput } from "../../src/sandbox/state/seed";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";

export type Kind = "agent" | "contact" | "customer" | "archive";

const SECRETS: Record<Kind, string> = {
  agent: SANDBOX_CORP.agentSecret,
  contact: SANDBOX_CORP.contactSecret,
  customer: SANDBOX_CORP.customerSecret,
  archive: SANDBOX_CORP.archiveSecret,
};

export const BASE_SEED: SeedInput = {
  departments: [
    { id: 1, name: "总部", parentId: 0 },
    { id: 2, name: "校区", parentId: 1 },
  ],
  users: [
    { userid: "teacher_a", name: "张老师", departments: [2] },
    { userid: "teacher_b", name: "王老师", departments: [2] },
    { userid: "teacher_c", name: "刘老师", departments: [2] },
    { userid: "hr", name: "人事", departments: [1] },
  ],
  follows: [
    { userid: "teacher_a", externalUserId: "wm_parent_1" },
    { userid: "teacher_a", externalUserId: "wm_parent_2" },
    { userid: "teacher_a", externalUserId: "wm_parent_3" },
  ],
  robots: { "robot-key": "HR bot" },
};

export interface TestSandbox {
  sandbox: Sandbox;
  clock: TestClock;
  api: WeComHttp;
}

export async function startTestSandbox(options: Partial<SandboxOptions> = {}, seed: SeedInput = BASE_SEED): Promise<TestSandbox> {
  const clock = new TestClock();
  const sandbox = await startSandbox({ clock, callbackTimeoutMs: 500, ...options });
  sandbox.state.seed(seed);
  return { sandbox, clock, api: new WeComHttp(sandbox.url) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Plain fetch against the sandbox, the way any WeCom client would call it. */
export class WeComHttp {
  private readonly tokens = new Map<Kind, string>();

  constructor(readonly base: string) {}

  async token(kind: Kind): Promise<string> {
    const cached = this.tokens.get(kind);
    if (cached) return cached;
    const res = await this.rawGet("/cgi-bin/gettoken", { corpid: SANDBOX_CORP.corpId, corpsecret: SECRETS[kind] });
    if (res.errcode !== 0) throw new Error(`gettoken failed: ${JSON.stringify(res)}`);
    this.tokens.set(kind, res.access_token);
    return res.access_token;
  }

  forget(): void {
    this.tokens.clear();
  }

  async rawGet(path: string, query: Record<string, string> = {}): Promise<Json> {
    const res = await fetch(`${this.base}${path}?${new URLSearchParams(query)}`);
    return res.json();
  }

  async rawPost(path: string, body: unknown, query: Record<string, string> = {}): Promise<Json> {
    const res = await fetch(`${this.base}${path}?${new URLSearchParams(query)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return res.json();
  }

  async get(kind: Kind, path: string, query: Record<string, string> = {}): Promise<Json> {
    return this.withFreshToken(kind, (token) => this.rawGet(path, { access_token: token, ...query }));
  }

  async post(kind: Kind, path: string, body: unknown): Promise<Json> {
    return this.withFreshToken(kind, (token) => this.rawPost(path, body, { access_token: token }));
  }

  /** Like any sane client: refetch the token once on 42001 (tests move the clock by days). */
  private async withFreshToken(kind: Kind, call: (token: string) => Promise<Json>): Promise<Json> {
    const res = await call(await this.token(kind));
    if (res.errcode !== 42001) return res;
    this.tokens.delete(kind);
    return call(await this.token(kind));
  }
}

export interface ReceivedCallback {
  query: Record<string, string>;
  body: string;
}

/** A stand-in for our callback endpoint whose answer each test chooses. */
export async function startReceiver(answer: (n: number) => "ok" | "error" | "hang" = () => "ok") {
  const received: ReceivedCallback[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ query: Object.fromEntries(new URL(req.url!, "http://x").searchParams), body });
      const mode = answer(received.length);
      if (mode === "hang") return void hanging.push(res);
      res.statusCode = mode === "ok" ? 200 : 500;
      res.end("");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wecom/callback`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((r) => r.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Verifies and decrypts a received callback with the official package, as our ingress does. */
export function openCallback(cb: ReceivedCallback): { xml: string; receiveId: string } {
  const encrypted = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(cb.body)?.[1];
  if (!encrypted) throw new Error(`no Encrypt in ${cb.body}`);
  const expected = getSignature(SANDBOX_CORP.token, cb.query.timestamp!, cb.query.nonce!, encrypted);
  if (expected !== cb.query.msg_signature) throw new Error("bad signature");
  const { message, id } = decrypt(SANDBOX_CORP.encodingAesKey, encrypted);
  return { xml: message, receiveId: id };
}

/** One field of a decrypted event (CDATA or bare). */
export function field(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Node refuses RSA_PKCS1_PADDING for private decryption (CVE-2023-46809), so
 * decrypt raw and strip 00 02 PS 00 by hand, checking the padding.
 */
export function rsaPkcs1Decrypt(privateKeyPem: string, ciphertext: Buffer): Buffer {
  const raw = privateDecrypt({ key: privateKeyPem, padding: constants.RSA_NO_PADDING }, ciphertext);
  if (raw[0] !== 0 || raw[1] !== 2) throw new Error("bad PKCS#1 v1.5 header");
  const separator = raw.indexOf(0, 2);
  if (separator < 10) throw new Error("bad PKCS#1 v1.5 padding");
  return raw.subarray(separator + 1);
}

export function decryptChatRecord(
  privateKeyPem: string,
  record: { encrypt_random_key: string; encrypt_chat_msg: string },
): Json {
  const randomKey = rsaPkcs1Decrypt(privateKeyPem, Buffer.from(record.encrypt_random_key, "base64"));
  const blob = Buffer.from(record.encrypt_chat_msg, "base64");
  const decipher = createDecipheriv("aes-256-gcm", randomKey, blob.subarray(0, 12));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  const plain = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString("utf8"));
}
