import { json } from "../support/http";
import { createDataSource } from "../../ormconfig";
import { silentLogger } from "../../src/platform/logger";
import { startService, type RunningService } from "../../src/service";
import { TcpProxy } from "../support/tcpProxy";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";
import type { Database } from "../../src/platform/db/database";
import { Client } from "pg";

describe("readiness", () => {
  let db: Database;
  let proxy: TcpProxy;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    const proxied = new URL(db.url);
    proxied.port = String(proxy.port);
    const dataSource = createDataSource(proxied.toString(), 2);
    await dataSource.initialize();
    service = await startService(testConfig(), silentLogger(), {
      database: { dataSource, url: proxied.toString(), close: () => dataSource.destroy() },
    });
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service.stop();
    await service.database.close();
    await proxy.cut();
    await db.close();
  });

  it("/healthz is alive", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe("ok");
  });

  it("/readyz follows the database: 200, then 503 while it is unreachable, then 200 without a restart", async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await proxy.cut();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect((await json(down)).database).toBe("down");
    await proxy.restore();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await fetch(`${base}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });

  it("/readyz is 503 while a migration is pending", async () => {
    const latest = await service.services.dataSource.query(
      `SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`,
    );
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`DELETE FROM typeorm_migrations WHERE name = $1`, [latest[0].name]);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect((await json(res)).pendingMigrations).toBe(true);
    await client.query(`INSERT INTO typeorm_migrations (timestamp, name) VALUES ($1, $2)`, [
      Number(String(latest[0].name).match(/(\d{13})$/)?.[1] ?? 0),
      latest[0].name,
    ]);
    await client.end();
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("/metrics exposes process metrics and the request histogram in Prometheus format", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz",status="200"}');
  });
});
