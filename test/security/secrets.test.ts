import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuth } from "../../src/auth/module";
import { SessionTokens } from "../../src/auth/sessionToken";
import { roleRoutes } from "../../src/org/roles/routes";
import { TestClock } from "../../src/platform/clock";
import { ConfigError, loadConfig } from "../../src/platform/config";
import type { Database } from "../../src/platform/db/database";
import { createApp } from "../../src/platform/http/createApp";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { json } from "../support/http";
import { createTestDatabase } from "../support/testDatabase";
import { testConfig } from "../support/testConfig";

const REAL_CORP = {
  WECOM_CORP_ID: "ww_real_corp",
  WECOM_TOKEN: "token",
  WECOM_ENCODING_AES_KEY: "a".repeat(43),
  WECOM_AGENT_ID: "1000002",
  WECOM_AGENT_SECRET: "agent-secret",
};

/** Issue 14 break 4: the fallback session secret was computable from the data folder's path. */
describe("secrets are never derived", () => {
  it.each(["development", "test"])("refuses to start in %s mode with real WeCom settings and no SESSION_SECRET, data keys or search index keys", (mode) => {
    let problems: string[] = [];
    try {
      loadConfig({ NODE_ENV: mode, ...REAL_CORP });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      "SESSION_SECRET is required when WeCom settings (WECOM_CORP_ID) are configured",
      "DATA_ENCRYPTION_KEYS is required when WeCom settings (WECOM_CORP_ID) are configured",
      "SEARCH_INDEX_KEYS is required when WeCom settings (WECOM_CORP_ID) are configured",
    ]);
  });

  describe("a forged HQ-admin token", () => {
    let db: Database;
    let server: Server;
    let base: string;
    let realTokens: SessionTokens;
    const clock = new TestClock("2026-03-02T09:00:00+08:00");
    const dataDir = join(mkdtempSync(join(tmpdir(), "wpg-secret-")), "postgres");

    beforeAll(async () => {
      db = await createTestDatabase();
      await db.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department, status) VALUES ('boss', '集团管理员', '{}', NULL, 1)`);
      await db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('boss', 'hq_admin', NULL, 'seed')`);
      // The sandbox mode (no corp, no SESSION_SECRET): the one mode that may make its own secret.
      const config = testConfig({ EMBEDDED_PG_DIR: dataDir });
      const services = { config, logger: silentLogger(), clock, dataSource: db.dataSource, metrics: createMetrics({ collectProcessMetrics: false }) };
      const auth = createAuth(services);
      realTokens = auth.tokens;
      const app = createApp({ logger: silentLogger(), metrics: services.metrics, routers: [roleRoutes({ dataSource: db.dataSource, clock, auth: auth.console })] });
      server = app.listen(0, "127.0.0.1");
      await new Promise((r) => server.once("listening", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(async () => {
      server.close();
      await db.close();
    });

    const rolesWith = (token: string) => fetch(`${base}/api/admin/roles`, { headers: { Authorization: `Bearer ${token}` } });

    it("signed with the secret the old fallback computed from the data folder is refused", async () => {
      const derived = createHash("sha256").update(`wpg-dev-session:${dataDir}`).digest("hex");
      const forged = new SessionTokens(derived).issue("boss", "console", clock.now(), 3600);
      const res = await rolesWith(forged);
      expect(res.status).toBe(401);
      expect((await json(res)).error.message).toBe("登录信息无效，请重新登录");
    });

    it("while a token signed with the service's own random secret is accepted (the forged one failed on its signature alone)", async () => {
      expect((await rolesWith(realTokens.issue("boss", "console", clock.now(), 3600))).status).toBe(200);
    });

    it("keeps the sandbox secret across restarts and nowhere else", () => {
      const again = createAuth({ config: testConfig({ EMBEDDED_PG_DIR: dataDir }), logger: silentLogger(), clock, dataSource: db.dataSource, metrics: createMetrics({ collectProcessMetrics: false }) });
      const token = realTokens.issue("boss", "console", clock.now(), 3600);
      expect(again.tokens.verify(token, "console", clock.now()).sub).toBe("boss");
      const elsewhere = createAuth({
        config: testConfig({ EMBEDDED_PG_DIR: join(mkdtempSync(join(tmpdir(), "wpg-secret-other-")), "postgres") }),
        logger: silentLogger(),
        clock,
        dataSource: db.dataSource,
        metrics: createMetrics({ collectProcessMetrics: false }),
      });
      expect(() => elsewhere.tokens.verify(token, "console", clock.now())).toThrow(/bad_signature/);
    });
  });
});
