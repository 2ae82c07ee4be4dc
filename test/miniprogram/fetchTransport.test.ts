import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiClient } from "../../miniprogram/services/api";
import { createFetchTransport, memoryStorage } from "../../miniprogram/services/transports/fetch";

// The adapter the server's end-to-end test will use: real HTTP, real JSON, real headers.
describe("fetch transport", () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method: string; url: string; auth?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        res.setHeader("Content-Type", "application/json");
        if (req.url === "/api/mp/login") {
          res.end(JSON.stringify({ token: "tok", expiresAt: "2030-01-01T00:00:00Z", user: { userid: "u", name: "王老师" } }));
        } else if (req.url === "/slow") {
          // Cleared when the client gives up first (the timeout test): a pending 500 ms timer kept the jest worker
          // that ran this file last from exiting, and jest force-exited it at the end of the run.
          const answer = setTimeout(() => res.end("{}"), 500);
          res.on("close", () => clearTimeout(answer));
        } else {
          res.statusCode = 429;
          res.setHeader("Retry-After", "30");
          res.end(JSON.stringify({ error: { code: "rate_limited", message: "请求过多" } }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("drives the client over real HTTP and reads status, JSON and headers", async () => {
    const client = createApiClient({ baseUrl, request: createFetchTransport(), login: async () => "sandbox-code", storage: memoryStorage() });
    await expect(client.getOverview()).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(seen).toEqual([
      { method: "POST", url: "/api/mp/login", auth: undefined, body: '{"code":"sandbox-code"}' },
      { method: "GET", url: "/api/mp/resignation/overview", auth: "Bearer tok", body: "" },
    ]);
  });

  it("reports timeouts and refused connections as transport failures", async () => {
    const transport = createFetchTransport();
    await expect(transport({ method: "GET", url: `${baseUrl}/slow`, header: {}, timeoutMs: 50 })).rejects.toMatchObject({ kind: "timeout" });
    await expect(transport({ method: "GET", url: "http://127.0.0.1:1/", header: {}, timeoutMs: 1000 })).rejects.toMatchObject({ kind: "network" });
  });
});
