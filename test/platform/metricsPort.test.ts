import { silentLogger } from "../../src/platform/logger";
import { startService, type RunningService } from "../../src/service";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";
import type { Database } from "../../src/platform/db/database";

describe("/metrics on its own internal port", () => {
  let db: Database;
  let service: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startService(testConfig({ METRICS_PORT: "0", WORKERS_ENABLED: "false" }), silentLogger(), { database: db });
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
  });

  it("serves /metrics only on METRICS_PORT, never on the public port", async () => {
    expect(service.metricsPort).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${service.port}/metrics`)).status).toBe(404);
    const metrics = await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("wecom_callback_events_total");
    expect((await fetch(`http://127.0.0.1:${service.metricsPort}/readyz`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${service.port}/healthz`)).status).toBe(200);
  });
});
