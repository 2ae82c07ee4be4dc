import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Auth } from "../../src/auth";
import { consoleLoginRoutes } from "../../src/console/auth/loginRoutes";
import { systemClock } from "../../src/platform/clock";
import { parseTrustProxy } from "../../src/platform/http/clientAddress";
import { createApp } from "../../src/platform/http/createApp";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import type { WeComClient } from "../../src/wecom";

const PUBLIC = "https://guard.example.edu.cn";
const weCom = { corpId: "ww123", agentId: 1000002, oauthBase: "https://open.weixin.qq.com", webLoginBase: "https://login.work.weixin.qq.com" };

/**
 * An https PUBLIC_BASE_URL makes the login cookies Secure. Reached over plain http (directly, or through a
 * proxy whose X-Forwarded-Proto is not trusted), /console/login used to answer 500 ("Cannot send secure
 * cookie over unencrypted connection"). Only /console/login is exercised: no WeCom call happens before it.
 */
describe("console login with an https PUBLIC_BASE_URL reached over http", () => {
  let server: http.Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function start(trustProxy: string | undefined): Promise<string> {
    const router = consoleLoginRoutes({ auth: {} as Auth, client: {} as WeComClient, clock: systemClock, logger: silentLogger(), publicBaseUrl: PUBLIC, weCom });
    const app = createApp({ logger: silentLogger(), metrics: createMetrics(), routers: [router], trustProxy: parseTrustProxy(trustProxy) });
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("answers a Chinese page with the https address and what ops should set, not a 500", async () => {
    const base = await start(undefined);
    for (const headers of [{}, { "X-Forwarded-Proto": "https" }] as Array<Record<string, string>>) {
      const res = await fetch(`${base}/console/login?next=%2Fconsole%2Fcases`, { redirect: "manual", headers });
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
      const page = await res.text();
      expect(page).toContain("控制台只能通过 https 登录，请改用 https://guard.example.edu.cn/console/login 打开。");
      expect(page).toContain("请让代理转发 X-Forwarded-Proto，并设置 TRUST_PROXY 信任该代理");
      expect(page).toContain('<a href="https://guard.example.edu.cn/console/login">用 https 打开登录页</a>');
    }
    // The callback is refused the same way (it too sets a Secure cookie), before any WeCom call.
    expect((await fetch(`${base}/console/oauth/callback?code=c&state=s`, { redirect: "manual" })).status).toBe(400);
  });

  it("signs in normally behind a trusted TLS proxy: Secure cookie, redirect to WeCom", async () => {
    const base = await start("127.0.0.1");
    const res = await fetch(`${base}/console/login`, { redirect: "manual", headers: { "X-Forwarded-Proto": "https" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^https:\/\/login\.work\.weixin\.qq\.com\/wwlogin\/sso\/login\?/);
    expect(res.headers.get("set-cookie")).toMatch(/^wpg_oauth=[^;]+; path=\/; expires=[^;]+; samesite=lax; secure; httponly$/);
  });
});
