import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
}

export interface ScriptedReply {
  status?: number;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  raw?: string;
  delayMs?: number;
}

export type ScriptedHandler = (req: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>;

const ok = { errcode: 0, errmsg: "ok" };

/**
 * A tiny stand-in for qyapi.weixin.qq.com that answers what each test scripts: one-shot queued
 * replies first, then a per-path handler, then defaults (gettoken issues token-1, token-2, …;
 * other token-taking paths answer 42001 to a token it did not issue or has revoked).
 */
export class ScriptedWeCom {
  readonly requests: ScriptedRequest[] = [];
  readonly validTokens = new Set<string>();
  tokenExpiresIn = 7200;
  inFlight = 0;
  maxInFlight = 0;
  private issued = 0;
  private readonly queued = new Map<string, ScriptedReply[]>();
  private readonly handlers = new Map<string, ScriptedHandler>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Replies used once each, in order, before the handler or default for `path`. */
  enqueue(path: string, ...replies: ScriptedReply[]): void {
    this.queued.set(path, [...(this.queued.get(path) ?? []), ...replies]);
  }

  on(path: string, handler: ScriptedHandler): void {
    this.handlers.set(path, handler);
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  callsTo(path: string): ScriptedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** WeCom revoking every token early. */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  reset(): void {
    this.requests.length = 0;
    this.queued.clear();
    this.handlers.clear();
    this.maxInFlight = 0;
    this.tokenExpiresIn = 7200;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Counted until the connection's exchange ends, so a request the client abandoned stops counting.
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on("close", () => (this.inFlight -= 1));
    const url = new URL(req.url ?? "/", "http://scripted");
    let text = "";
    for await (const chunk of req) text += chunk;
    const request: ScriptedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(request);
    const reply = await this.replyTo(request);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status ?? 200, { "Content-Type": "application/json" });
    res.end(reply.raw ?? JSON.stringify(reply.body ?? ok));
  }

  private async replyTo(req: ScriptedRequest): Promise<ScriptedReply> {
    const queue = this.queued.get(req.path);
    if (queue && queue.length > 0) return queue.shift()!;
    if (req.path === "/cgi-bin/gettoken") return this.handlers.get(req.path)?.(req) ?? this.issueToken();
    if (req.query.access_token !== undefined && !this.validTokens.has(req.query.access_token)) {
      return { body: { errcode: 42001, errmsg: "access_token expired" } };
    }
    return this.handlers.get(req.path)?.(req) ?? { body: ok };
  }

  private issueToken(): ScriptedReply {
    this.issued += 1;
    const token = `token-${this.issued}-${"x".repeat(40)}`;
    this.validTokens.add(token);
    return { body: { ...ok, access_token: token, expires_in: this.tokenExpiresIn } };
  }
}
