import { json } from "../support/http";
import Router from "@koa/router";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { z } from "zod";
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  NotFoundError,
  RateLimitedError,
} from "../../src/platform/errors";
import { markRoutine } from "../../src/platform/http/accessLog";
import { createApp } from "../../src/platform/http/createApp";
import { publicAccess } from "../../src/platform/http/guard";
import { jsonBody } from "../../src/platform/http/jsonBody";
import { routeChain } from "../../src/platform/http/route";
import { createMetrics } from "../../src/platform/metrics";
import { redactedPaths } from "../../src/platform/logger";

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { logger: pino({ level: "info", redact: { paths: redactedPaths, censor: "[REDACTED]" } }, stream), lines };
}

describe("HTTP platform", () => {
  const { logger, lines } = captureLogger();
  const metrics = createMetrics({ collectProcessMetrics: false });
  const router = new Router();
  const route = routeChain(router);
  const auth = publicAccess("test");
  route.post("/items/:id", {
    auth,
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    body: z.object({ name: z.string().min(1), count: z.coerce.number().int() }),
    bodyParser: jsonBody("1kb"),
    handle: ({ params, body }) => ({ ok: true, input: { ...params, ...body } }),
  });
  router.get("/fail/:kind", (ctx) => {
    const errors: Record<string, Error> = {
      auth: new AuthenticationError(),
      forbidden: new AuthorizationError(),
      missing: new NotFoundError(),
      conflict: new ConflictError("已存在", { id: 1 }),
      slow: new RateLimitedError(undefined, 30),
      boom: new Error("kaboom"),
    };
    const err = errors[ctx.params.kind];
    if (err) throw err;
    ctx.body = {};
  });
  router.get("/log-secret", (ctx) => {
    ctx.state.log.info({ access_token: "TOPSECRET", nested: { secret: "S3" } }, "secret test");
    ctx.body = {};
  });
  router.get("/routine/:outcome", (ctx) => {
    markRoutine(ctx);
    if (ctx.params.outcome === "fail") throw new ConflictError("已存在");
    ctx.body = {};
  });
  const app = createApp({ logger, metrics, routers: [router] });
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("returns 400 with field details for invalid input, naming where each field was", async () => {
    const badId = await fetch(`${base}/items/abc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "a", count: 1 }),
    });
    expect(badId.status).toBe(400);
    expect((await json(badId)).error.details).toEqual([expect.objectContaining({ in: "params", path: "id" })]);
    const res = await fetch(`${base}/items/1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "", count: "x" }),
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe("validation_failed");
    const paths = body.error.details.map((d: { in: string; path: string }) => `${d.in}.${d.path}`).sort();
    expect(paths).toEqual(["body.count", "body.name"]);
  });

  it("passes validated input to the handler", async () => {
    const res = await fetch(`${base}/items/42`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "a", count: "3" }),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).input).toEqual({ id: "42", name: "a", count: 3 });
  });

  it("answers 400 for malformed JSON and 413 for an oversized body", async () => {
    const bad = await fetch(`${base}/items/1`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe("bad_request");
    const big = await fetch(`${base}/items/1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(5000), count: 1 }),
    });
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe("payload_too_large");
  });

  it.each([
    ["auth", 401, "unauthenticated"],
    ["forbidden", 403, "forbidden"],
    ["missing", 404, "not_found"],
    ["conflict", 409, "conflict"],
    ["slow", 429, "rate_limited"],
  ])("maps %s to %i", async (kind, status, code) => {
    const res = await fetch(`${base}/fail/${kind}`);
    expect(res.status).toBe(status);
    expect((await json(res)).error.code).toBe(code);
    if (status === 429) expect(res.headers.get("retry-after")).toBe("30");
  });

  it("answers unknown errors with 500 and the request id, and logs the stack", async () => {
    const res = await fetch(`${base}/fail/boom`, { headers: { "X-Request-Id": "req-abc-123" } });
    expect(res.status).toBe(500);
    const body = await json(res);
    expect(body.error).toEqual({ code: "internal_error", message: "Internal server error", requestId: "req-abc-123" });
    expect(JSON.stringify(body)).not.toContain("kaboom");
    const logged = lines.find((l) => l.msg === "unhandled error");
    expect(logged?.requestId).toBe("req-abc-123");
    expect(JSON.stringify(logged?.err)).toContain("kaboom");
  });

  it("answers unknown routes with the error body", async () => {
    const res = await fetch(`${base}/nowhere`);
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe("not_found");
  });

  it("echoes a given request id and generates one otherwise", async () => {
    const given = await fetch(`${base}/fail/none`, { headers: { "X-Request-Id": "abc-1" } });
    expect(given.headers.get("x-request-id")).toBe("abc-1");
    const generated = await fetch(`${base}/fail/none`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await fetch(`${base}/fail/none`, { headers: { "X-Request-Id": "<script>" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("binds the request id to every line a request writes: its handler's, its refusal and its access line", async () => {
    lines.length = 0;
    await fetch(`${base}/log-secret`, { headers: { "X-Request-Id": "req-lines-1" } });
    await fetch(`${base}/fail/forbidden`, { headers: { "X-Request-Id": "req-lines-2" } });
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ["secret test", "req-lines-1"],
      ["http", "req-lines-1"],
      ["request refused", "req-lines-2"],
      ["http", "req-lines-2"],
    ]);
    expect(lines.filter((l) => l.msg === "http").map((l) => [l.method, l.url, l.status])).toEqual([
      ["GET", "/log-secret", 200],
      ["GET", "/fail/forbidden", 403],
    ]);
  });

  it("writes a routine success's access line at debug (not at info), but a routine route's failure at info", async () => {
    lines.length = 0;
    expect((await fetch(`${base}/routine/ok`)).status).toBe(200);
    expect((await fetch(`${base}/routine/fail`)).status).toBe(409);
    expect(lines.filter((l) => l.msg === "http").map((l) => [l.level, l.url, l.status])).toEqual([[30, "/routine/fail", 409]]);
  });

  it("redacts secrets and tokens in logs", async () => {
    await fetch(`${base}/log-secret?access_token=QUERYSECRET`);
    const text = JSON.stringify(lines);
    expect(text).not.toContain("TOPSECRET");
    expect(text).not.toContain("S3\"");
    expect(text).not.toContain("QUERYSECRET");
  });

  it("records request durations by route template and status", async () => {
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/items\/:id",status="200"\} \d+/);
    // One series per route and status, each counting only its own requests (403: "maps forbidden" and the log-binding test).
    const count = (route: string, status: number) =>
      Number(text.match(new RegExp(`http_request_duration_seconds_count\\{method="GET",route="${route}",status="${status}"\\} (\\d+)`))?.[1]);
    expect([401, 403, 404, 409, 429].map((status) => count("/fail/:kind", status))).toEqual([1, 2, 1, 1, 1]);
    expect(count("unmatched", 404)).toBe(1);
  });
});
