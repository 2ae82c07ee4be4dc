import Router from "@koa/router";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { AuthenticationError } from "../../src/platform/errors";
import { publicAccess, type Guard } from "../../src/platform/http/guard";
import { createApp } from "../../src/platform/http/createApp";
import { jsonBody } from "../../src/platform/http/jsonBody";
import { routeChain, routeDescription } from "../../src/platform/http/route";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { json } from "../support/http";

/** {a: {a: … {}}}, `depth` objects deep. */
const nested = (depth: number): object => (depth === 0 ? {} : { a: nested(depth - 1) });

/** The route chain on its own: auth → validate (params, query, body apart) → load → handler. */
describe("route chain", () => {
  const seen: unknown[] = [];
  const token: Guard<{ userid: string }> = {
    kind: "test token",
    resolve: async (ctx) => {
      if (ctx.get("Authorization") !== "Bearer ok") throw new AuthenticationError();
      return { userid: "u1" };
    },
  };
  const router = new Router({ prefix: "/things/:thing" });
  const route = routeChain(router);
  route.put("/parts/:part", {
    auth: token,
    params: z.object({ thing: z.string().max(64), part: z.coerce.number().int() }),
    query: z.object({ dry: z.enum(["yes", "no"]).default("no") }),
    body: z.object({ label: z.string().max(100), thing: z.string().optional() }),
    bodyParser: jsonBody("8kb"),
    load: async ({ actor, params }) => ({ owner: actor.userid, thing: params.thing }),
    handle: ({ resource, params, query, body }) => {
      seen.push({ resource, params, query, body });
      return { resource, part: params.part, dry: query.dry, label: body.label };
    },
  });
  route.post("/poke", { auth: publicAccess("test"), handle: () => undefined });
  const app = createApp({ logger: silentLogger(), metrics: createMetrics({ collectProcessMetrics: false }), routers: [router] });
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const put = (path: string, body: unknown, auth = "Bearer ok") =>
    fetch(`${base}${path}`, { method: "PUT", headers: { Authorization: auth, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("hands the handler typed input from each location and the resource load returned", async () => {
    const res = await put("/things/t1/parts/7?dry=yes", { label: "新标签" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ resource: { owner: "u1", thing: "t1" }, part: 7, dry: "yes", label: "新标签" });
  });

  it("refuses a body that names a path parameter (nothing in a body replaces the URL's resource)", async () => {
    seen.length = 0;
    const res = await put("/things/t1/parts/7", { label: "x", thing: "t2" });
    expect(res.status).toBe(400);
    expect((await json(res)).error.details).toEqual([{ in: "body", path: "thing", message: "请求体不能包含路径参数 thing" }]);
    expect(seen).toEqual([]);
  });

  it("authenticates before reading the body", async () => {
    const res = await put("/things/t1/parts/7", "x".repeat(20_000), "Bearer nope");
    expect(res.status).toBe(401);
  });

  it.each([
    ["a NUL in a path parameter", "/things/t%001/parts/7", { label: "x" }, { in: "params", path: "thing", message: "包含不允许的控制字符" }],
    ["a NUL in the query", "/things/t1/parts/7?dry=%00", { label: "x" }, { in: "query", path: "dry", message: "包含不允许的控制字符" }],
    ["a NUL in the body", "/things/t1/parts/7", { label: "a\u0000b" }, { in: "body", path: "label", message: "包含不允许的控制字符" }],
    ["an escape character in the body", "/things/t1/parts/7", { label: "a\u001bb" }, { in: "body", path: "label", message: "包含不允许的控制字符" }],
    ["a C1 control in the body", "/things/t1/parts/7", { label: "a\u0085b" }, { in: "body", path: "label", message: "包含不允许的控制字符" }],
    ["a control character in a body key", "/things/t1/parts/7", { label: "x", ["k\u0000"]: 1 }, { in: "body", path: "(key)", message: "字段名包含不允许的控制字符" }],
    ["a 5,000-character body field", "/things/t1/parts/7", { label: "x".repeat(5000) }, { in: "body", path: "label", message: "过长（最多 2000 个字符）" }],
    ["a 5,000-character path parameter", `/things/${"x".repeat(5000)}/parts/7`, { label: "x" }, { in: "params", path: "thing", message: "过长（最多 128 个字符）" }],
    ["a 300-character body key", "/things/t1/parts/7", { label: "x", ["k".repeat(300)]: 1 }, { in: "body", path: "(key)", message: "字段名过长" }],
    ["a body nested 40 deep", "/things/t1/parts/7", { label: "x", deep: nested(40) }, { in: "body", path: `deep.${Array(32).fill("a").join(".")}`, message: "嵌套层级过深" }],
    ["a NUL deep in an array in the body", "/things/t1/parts/7", { label: "x", list: ["ok", { note: "a\u0000" }] }, { in: "body", path: "list.1.note", message: "包含不允许的控制字符" }],
  ])("answers %s with 400 naming the field", async (_name, path, body, problem) => {
    const res = await put(path, body);
    expect(res.status).toBe(400);
    const error = (await json(res)).error;
    expect(error.code).toBe("validation_failed");
    expect(error.details).toEqual([problem]);
    expect(error.message).toContain(problem.message);
  });

  it("keeps line breaks and tabs, which are text", async () => {
    const res = await put("/things/t1/parts/7", { label: "第一行\n第二行\t完" });
    expect(res.status).toBe(200);
    expect((await json(res)).label).toBe("第一行\n第二行\t完");
  });

  it("answers 204 when the handler returns nothing", async () => {
    expect((await fetch(`${base}/things/t1/poke`, { method: "POST" })).status).toBe(204);
  });

  it("describes each route it builds (for the route walk)", () => {
    const layer = router.stack.find((l) => l.path === "/things/:thing/parts/:part")!;
    expect(layer.stack).toHaveLength(1);
    expect(routeDescription(layer.stack[0])).toEqual({ auth: "test token", params: true, query: true, body: true, load: true, transaction: false });
  });
});
