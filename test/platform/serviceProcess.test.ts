import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { buildIfChanged, freePort, processesMatching, spawnBuiltService, waitForHttp } from "../support/processes";

// What `npm start` runs: the compiled service (built once, only when a source changed).
const spawnService = (env: Record<string, string>) => spawnBuiltService(env);

/**
 * The two-command promise, as a test: the service starts its own embedded
 * PostgreSQL, keeps data across restarts, and leaves no process behind on
 * SIGTERM.
 */
describe("service process", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "wpg-svc-"));
  // PostgreSQL runs as its own user when we are root: it must reach its data directory.
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  beforeAll(() => buildIfChanged(), 10 * 60_000);

  it("starts on embedded PostgreSQL, persists rows across restarts, and exits cleanly on SIGTERM", async () => {
    const pgPort = await freePort();
    const env = {
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      LOG_PRETTY: "false",
      EMBEDDED_PG_DIR: path.join(dataDir, "pg"),
      EMBEDDED_PG_PORT: String(pgPort),
      WORKERS_ENABLED: "false",
      SCHEDULES_ENABLED: "false",
    };

    const first = spawnService({ ...env, PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) });
    const port1 = Number(/"port":(\d+)/.exec(await waitForLog(first, /service listening/))?.[1]);
    const health = await waitForHttp(`http://127.0.0.1:${port1}/healthz`, 5_000);
    expect(health.status).toBe(200);
    expect(first.output()).toContain("SANDBOX");

    const client = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres` });
    await client.connect();
    await client.query(`INSERT INTO app_setting (key, value) VALUES ('restart-probe', '"kept"')`);
    // The service reaches its own server over the unix socket (no client address), never over loopback TCP.
    const { rows: service } = await client.query<{ over: string }>(
      `SELECT DISTINCT CASE WHEN client_addr IS NULL THEN 'socket' ELSE host(client_addr) END AS over
       FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    expect(service).toEqual([{ over: "socket" }]);
    await client.end();

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(processesMatching(path.join(dataDir, "pg"))).toEqual([]);

    const second = spawnService({ ...env, PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) });
    await waitForLog(second, /service listening/);
    const again = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres` });
    await again.connect();
    const { rows } = await again.query(`SELECT value FROM app_setting WHERE key = 'restart-probe'`);
    await again.end();
    expect(rows).toEqual([{ value: "kept" }]);

    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(processesMatching(path.join(dataDir, "pg"))).toEqual([]);
  }, 120_000);

  it("refuses to start with a clear error naming each bad variable", async () => {
    const bad = spawnService({ PORT: "not-a-port", LOG_LEVEL: "shouting" });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain("PORT");
    expect(bad.output()).toContain("LOG_LEVEL");
  }, 60_000);
});

async function waitForLog(service: ReturnType<typeof spawnService>, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = service.output().split("\n").find((l) => pattern.test(l));
    if (line) return line;
    if (service.child.exitCode !== null) throw new Error(`service exited early:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}:\n${service.output()}`);
}
