import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Router from "@koa/router";
import Koa from "koa";
import type { Counter } from "prom-client";
import { createDataSource } from "../ormconfig";
import { systemClock } from "../src/platform/clock";
import { loadConfig } from "../src/platform/config";
import { startEmbeddedPostgres } from "../src/platform/db/embeddedPostgres";
import { createApp } from "../src/platform/http/createApp";
import { silentLogger } from "../src/platform/logger";
import { createMetrics } from "../src/platform/metrics";
import { createWeComIngress } from "../src/wecom/callback/createWeComIngress";
import { openEventCallback } from "../src/wecom/callback/openCallback";
import { readRawBody } from "../src/wecom/callback/readRawBody";
import { CallbackCrypto } from "../src/wecom/crypto/callbackCrypto";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";
import type { Bench, BenchReport } from "./benchTypes";
import { driveLoad } from "./driveLoad";
import type { DriveResult } from "./loadDriver";

const CONNECTIONS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const EVENTS = 150_000;
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 50;

function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The ceiling: bare Koa doing only what no callback can skip (read, verify, decrypt, parse). */
function baselineApp(): Koa {
  const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
  const router = new Router();
  router.post("/wecom/callback", async (ctx) => {
    const body = await readRawBody(ctx.req, 64 * 1024);
    openEventCallback(ctx.query, body.toString("utf8"), { crypto, windowSeconds: 600, nowMs: Date.now() });
    ctx.status = 200;
    ctx.body = "";
  });
  const app = new Koa();
  app.use(router.routes());
  return app;
}

const drive = (url: string, seconds: number, idOffset: number) =>
  driveLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, events: EVENTS, idOffset });

/**
 * Callback ingress throughput: the real route (verify, decrypt, parse, one
 * INSERT … ON CONFLICT in the request, worker running) against the bare
 * baseline, in one run on one machine so the ratio is meaningful.
 */
export const callbackIngressBench: Bench = {
  name: "callback ingress",
  async run(): Promise<BenchReport> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "wpg-bench-pg-"));
    const pg = await startEmbeddedPostgres({ dataDir, port: 54000 + Math.floor(Math.random() * 1000), persistent: false });
    const config = loadConfig({ NODE_ENV: "development", LOG_LEVEL: "silent" });
    const dataSource = createDataSource(pg.url, config.DATABASE_POOL_SIZE);
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: "each" });

      const baseline = await listen(baselineApp().callback());
      await drive(baseline.url, WARMUP_SECONDS, 50_000_000);
      const bare = await drive(baseline.url, DURATION_SECONDS, 0);
      await close(baseline.server);

      const logger = silentLogger();
      const metrics = createMetrics({ collectProcessMetrics: false });
      const ingress = createWeComIngress({ config, logger, clock: systemClock, dataSource, metrics });
      const app = createApp({ logger, metrics, routers: ingress.routers });
      const real = await listen(app.callback());
      await drive(real.url, WARMUP_SECONDS, 60_000_000);
      await dataSource.query(`TRUNCATE wecom_inbox`);
      const accepted = metrics.registry.getSingleMetric("wecom_callback_events_total") as Counter<"outcome">;
      accepted.reset();
      ingress.worker.start();
      const stored = await drive(real.url, DURATION_SECONDS, 0);
      await close(real.server);
      await ingress.worker.stop();
      const handledLeft = await ingress.worker.drain();

      const [{ rows, done }] = await dataSource.query(
        `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'done')::int AS done FROM wecom_inbox`,
      );
      const counted = (await accepted.get()).values;
      const byOutcome = (o: string) => counted.find((v) => v.labels.outcome === o)?.value ?? 0;
      return report(bare, stored, { rows, done, handledLeft, accepted: byOutcome("accepted"), duplicate: byOutcome("duplicate") });
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

interface InboxCounts {
  rows: number;
  done: number;
  handledLeft: number;
  accepted: number;
  duplicate: number;
}

function report(bare: DriveResult, stored: DriveResult, inbox: InboxCounts): BenchReport {
  const ratio = stored.requestsPerSecond / bare.requestsPerSecond;
  return {
    rows: [
      { variant: "baseline: verify+decrypt+parse", requestsPerSecond: bare.requestsPerSecond, p50Ms: bare.p50Ms, p99Ms: bare.p99Ms },
      {
        variant: "real route: + inbox INSERT, worker on",
        requestsPerSecond: stored.requestsPerSecond,
        p50Ms: stored.p50Ms,
        p99Ms: stored.p99Ms,
        note: `ratio ${ratio.toFixed(2)}; ${stored.sent} sent, ${stored.uniqueSent} distinct, ${inbox.duplicate} duplicates answered 200`,
      },
    ],
    checks: [
      {
        kind: "target",
        name: `ratio >= ${TARGET_RATIO} with p99 < ${TARGET_P99_MS} ms`,
        ok: ratio >= TARGET_RATIO && stored.p99Ms < TARGET_P99_MS,
        detail: `ratio ${ratio.toFixed(2)}, p99 ${stored.p99Ms} ms`,
      },
      {
        kind: "correctness",
        name: "every request answered 200",
        ok: stored.non2xx === 0 && stored.errors === 0 && bare.non2xx === 0 && bare.errors === 0,
        detail: `real non2xx ${stored.non2xx}, errors ${stored.errors}; baseline non2xx ${bare.non2xx}, errors ${bare.errors}`,
      },
      {
        kind: "correctness",
        name: "inbox rows == unique events acknowledged",
        // Requests still in flight when the load stopped may or may not have reached the server.
        ok: inbox.rows === inbox.accepted && inbox.rows <= stored.uniqueSent && inbox.rows >= stored.uniqueSent - CONNECTIONS,
        detail: `rows ${inbox.rows}, accepted ${inbox.accepted}, distinct sent ${stored.uniqueSent}`,
      },
      {
        kind: "correctness",
        name: "worker handled every stored event",
        ok: inbox.done === inbox.rows,
        detail: `done ${inbox.done} of ${inbox.rows} (${inbox.handledLeft} after the load stopped)`,
      },
    ],
  };
}
