import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { signedCallback } from "../../bench/signedEvents";
import { buildIfChanged, freePort, processesMatching, spawnBuiltService, type SpawnedService } from "../support/processes";

/**
 * Issue 14, items 6 and 7, written as the attack: the service is killed with
 * -9 mid-stream of callbacks (its embedded PostgreSQL is left running), then
 * started again as `npm start` would; the embedded PostgreSQL is killed under
 * the running service; the service is stopped with 30,000 events waiting.
 */
describe("crash-safe embedded PostgreSQL", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "wpg-crash-"));
  chmodSync(root, 0o755);
  const pgdir = path.join(root, "pg");
  let pgPort: number;
  let env: Record<string, string>;
  const started: Array<ReturnType<typeof spawnBuiltService>> = [];
  const stopAll = async () => {
    for (const s of started.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.killGroup("SIGTERM");
        await s.exited;
      }
    }
  };
  afterEach(stopAll);

  beforeAll(async () => {
    buildIfChanged();
    pgPort = await freePort();
    env = {
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      LOG_PRETTY: "false",
      EMBEDDED_PG_DIR: pgdir,
      EMBEDDED_PG_PORT: String(pgPort),
      SCHEDULES_ENABLED: "false",
      WORKERS_ENABLED: "false",
    };
  });

  afterAll(async () => {
    await stopAll();
    // Whatever a failed assertion left behind: the postmaster of this folder.
    const pid = postmasterPid();
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (extra: Record<string, string> = {}, npm = false) => {
    const port = await freePort();
    const service = spawnBuiltService({ ...env, PORT: String(port), SANDBOX_PORT: String(await freePort()), ...extra }, { npm });
    started.push(service);
    return { service, base: `http://127.0.0.1:${port}` };
  };

  function postmasterPid(): number | undefined {
    try {
      return Number(readFileSync(path.join(pgdir, "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      return undefined;
    }
  }

  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  it("after kill -9 mid-stream of callbacks, a plain start is ready within 10 s and every acknowledged callback is kept", async () => {
    const first = await start();
    await waitForReady(first.base, first.service, 90_000);

    // Stream callbacks from 8 senders; kill the service with -9 while they run.
    const acknowledged: number[] = [];
    let next = 0;
    let streaming = true;
    const sender = async () => {
      while (streaming) {
        const id = next++;
        const signed = signedCallback(id, Math.floor(Date.now() / 1000));
        try {
          const res = await fetch(`${first.base}/wecom/callback?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
          if (res.status === 200) acknowledged.push(id);
        } catch {
          /* the service is gone: not acknowledged */
        }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    while (acknowledged.length < 200) await sleep(20);
    first.service.killGroup("SIGKILL");
    await first.service.exited;
    streaming = false;
    await Promise.all(senders);
    // The postmaster outlives the service: that is the state that used to block every start.
    expect(postmasterPid()).toBeGreaterThan(0);
    expect(processesMatching(pgdir).length).toBeGreaterThan(0);

    const t0 = Date.now();
    const second = await start({}, true);
    const bound = loadScaledBound(10_000);
    await waitForReady(second.base, second.service, bound);
    const readyMs = Date.now() - t0;
    process.stdout.write(`kill -9 recovery: \`npm start\` ready ${readyMs} ms after start (bound ${bound} ms)\n`);
    expect(second.service.output()).toContain("left by a killed service");

    const kept = await query<{ msgid: string }>(`SELECT payload->>'msgId' AS msgid FROM wecom_inbox`);
    const keptIds = new Set(kept.map((r) => r.msgid));
    const lost = acknowledged.filter((id) => !keptIds.has(String(7_000_000_000_000_000_000n + BigInt(id))));
    expect(lost).toEqual([]);
    second.service.killGroup("SIGTERM");
    await second.service.exited;
    await waitUntil(() => processesMatching(pgdir).length === 0, 10_000);
  }, 180_000);

  it("when the embedded PostgreSQL is killed, the service answers callbacks with 200 again within 10 s by itself, and says why meanwhile", async () => {
    const s = await start();
    await waitForReady(s.base, s.service, 90_000);
    process.kill(postmasterPid()!, "SIGKILL");
    const killedAt = Date.now();

    let sawReason = false;
    let status = 0;
    let id = 1_000_000;
    const bound = loadScaledBound(10_000);
    while (Date.now() - killedAt < bound) {
      const ready = await fetch(`${s.base}/readyz`).then((r) => r.json() as Promise<{ error?: string }>);
      if (ready.error?.includes("embedded PostgreSQL is restarting")) sawReason = true;
      const signed = signedCallback(id++, Math.floor(Date.now() / 1000));
      status = (await fetch(`${s.base}/wecom/callback?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } })).status;
      if (status === 200) break;
      await sleep(100);
    }
    process.stdout.write(`embedded PostgreSQL kill recovery: callbacks 200 again after ${Date.now() - killedAt} ms\n`);
    expect(status).toBe(200);
    expect(sawReason).toBe(true);
    expect(s.service.output()).toContain("embedded PostgreSQL went down (killed by SIGKILL");
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
    s.service.child.kill("SIGTERM");
    expect(await s.service.exited).toBe(0);
  }, 180_000);

  it("stops inside its deadline with 30,000 events waiting, handing back what it had claimed", async () => {
    const s = await start({ WORKERS_ENABLED: "true", SHUTDOWN_TIMEOUT_MS: "10000" });
    await waitForReady(s.base, s.service, 90_000);
    await query(`
      INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, received_at)
      SELECT 'backlog-' || g, 'change_external_contact:add_external_contact', '<xml/>',
             jsonb_build_object('type', 'change_external_contact', 'changeType', 'add_external_contact', 'corpId', 'wwsandbox0000000001',
                                'from', 'sys', 'userId', 'teacher_' || (g % 50), 'externalUserId', 'wm_backlog_' || g, 'createTime', 1767225600),
             'pending', 0, now(), now()
      FROM generate_series(1, 30000) AS g`);
    // Let the workers get going on the backlog.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM wecom_inbox WHERE dedupe_key LIKE 'backlog-%' AND status <> 'pending'`);
      if (n >= 20) break;
      await sleep(100);
    }
    const t0 = Date.now();
    s.service.child.kill("SIGTERM");
    const code = await s.service.exited;
    const stopMs = Date.now() - t0;
    process.stdout.write(`shutdown with 30,000 waiting: ${stopMs} ms\n`);
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(10_000);
    expect(processesMatching(pgdir)).toEqual([]);

    // Start the database again (a service with workers off) to look at the rows: nothing is left claimed.
    const look = await start();
    await waitForReady(look.base, look.service, 90_000);
    const rows = await query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM wecom_inbox WHERE dedupe_key LIKE 'backlog-%' GROUP BY status ORDER BY status`,
    );
    expect(rows.find((r) => r.status === "processing")).toBeUndefined();
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(30_000);
    expect(rows.find((r) => r.status === "pending")!.n).toBeGreaterThan(20_000);
    look.service.child.kill("SIGTERM");
    expect(await look.service.exited).toBe(0);
  }, 240_000);
});

async function waitForReady(base: string, service: SpawnedService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`service exited early:\n${service.output()}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(50);
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${service.output().slice(-3000)}`);
}

/**
 * The 10 s target holds on a machine doing only this; the shared CI machine
 * can be many times oversubscribed (every process start then takes several
 * times longer). The bound grows with the 1-minute load per core, never
 * below the target, and the test prints it, so a relaxed bound is visible.
 */
function loadScaledBound(targetMs: number): number {
  const perCore = os.loadavg()[0]! / os.cpus().length;
  const bound = Math.min(Math.round(targetMs * Math.max(1, perCore)), 6 * targetMs);
  if (bound > targetMs) process.stdout.write(`LOADED MACHINE (load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores): bound ${bound} ms instead of ${targetMs} ms\n`);
  return bound;
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
