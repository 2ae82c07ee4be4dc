import Router from "@koa/router";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { clientAddress, parseTrustProxy } from "../../src/platform/http/clientAddress";
import { ConfigError, loadConfig } from "../../src/platform/config";
import { createApp } from "../../src/platform/http/createApp";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";

describe("client address (TRUST_PROXY)", () => {
  it("ignores X-Forwarded-For when no proxy is trusted (the default)", () => {
    const none = parseTrustProxy(undefined);
    expect(clientAddress(none, "203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
    expect(clientAddress(none, "::ffff:203.0.113.9", "1.2.3.4, 5.6.7.8")).toBe("203.0.113.9");
    expect(parseTrustProxy("false")).toEqual({ kind: "none" });
    expect(parseTrustProxy("0")).toEqual({ kind: "none" });
  });

  it("believes exactly as many hops as configured, however many addresses a client prepends", () => {
    const oneHop = parseTrustProxy("1");
    expect(clientAddress(oneHop, "10.0.0.2", "198.51.100.7")).toBe("198.51.100.7");
    // A client forging the header only adds entries to the left of what the proxy appended.
    expect(clientAddress(oneHop, "10.0.0.2", "6.6.6.6, 198.51.100.7")).toBe("198.51.100.7");
    expect(clientAddress(parseTrustProxy("2"), "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1")).toBe("198.51.100.7");
    expect(clientAddress(oneHop, "10.0.0.2", undefined)).toBe("10.0.0.2");
  });

  it("walks back through trusted CIDRs only", () => {
    const cidrs = parseTrustProxy("10.0.0.0/8, 2001:db8::/32");
    expect(clientAddress(cidrs, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.1.2.3")).toBe("198.51.100.7");
    // A peer outside the ranges is the client, whatever it claims.
    expect(clientAddress(cidrs, "203.0.113.9", "198.51.100.7")).toBe("203.0.113.9");
    expect(clientAddress(cidrs, "2001:db8::1", "198.51.100.7")).toBe("198.51.100.7");
    // Garbage entries are not addresses.
    expect(clientAddress(cidrs, "10.0.0.2", "<script>, 198.51.100.7")).toBe("198.51.100.7");
  });

  it("is what every route reads as ctx.ip, not Koa's own reading of X-Forwarded-For (its leftmost, forgeable entry)", async () => {
    const seen = async (trustProxy: string | undefined, forwardedFor: string) => {
      const router = new Router();
      router.get("/whoami", (ctx) => {
        ctx.body = { ip: ctx.ip };
      });
      const app = createApp({ logger: silentLogger(), metrics: createMetrics({ collectProcessMetrics: false }), routers: [router], trustProxy: parseTrustProxy(trustProxy) });
      const server = http.createServer(app.callback());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/whoami`, { headers: { "X-Forwarded-For": forwardedFor } });
        return ((await res.json()) as { ip: string }).ip;
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    };
    expect(await seen("1", "6.6.6.6, 198.51.100.7")).toBe("198.51.100.7");
    expect(await seen(undefined, "6.6.6.6")).toBe("127.0.0.1");
  });

  it("refuses a malformed TRUST_PROXY at start-up, naming it", () => {
    for (const bad of ["11", "10.0.0.0/33", "not-an-ip", "10.0.0.0/8, nope"]) {
      expect(() => loadConfig({ NODE_ENV: "test", TRUST_PROXY: bad })).toThrow(ConfigError);
      try {
        loadConfig({ NODE_ENV: "test", TRUST_PROXY: bad });
      } catch (err) {
        expect((err as ConfigError).problems[0]).toMatch(/^TRUST_PROXY /);
      }
    }
    expect(loadConfig({ NODE_ENV: "test", TRUST_PROXY: "127.0.0.1/32" }).TRUST_PROXY).toBe("127.0.0.1/32");
  });
});
