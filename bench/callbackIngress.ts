import http from "node:http";
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import Koa from "koa";
import type { Counter } from "prom-client";
import { systemClock } from "../src/platform/clock";
import { loadConfig } from "../src/platform/config";
import { createApp } from "../src/platform/http/createApp";
import { silentLogger } from "../src/platform/logger";
import { createMetrics } from "../src/platform/metrics";
import { createWeComIngress } from "../src/wecom/callback/createWeComIngress";
import { openEventCallback } from "../src/wecom/callback/openCallback";
import { readRawBody } from "../src/wecom/callback/readRawBody";
import { CallbackCrypto } from "../src/wecom/crypto/callbackCrypto";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";
import type { Bench, BenchCheck, BenchReport } from "./benchTypes";
import { driveLoad } from "./driveLoad";
import type { DriveResult } from "./loadDriver";
import { startBenchDatabase } from "./support/benchDatabase";

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
    const config = loadConfig({ NODE_ENV: "development", LOG_LEVEL: "silent" });
    const db = await startBenchDatabase("callback", config.DATABASE_POOL_SIZE);
    const { dataSource } = db;
    try {

      const baseline = await listen(baselineApp().callback());
      await drive(baseline.url, WARMUP_SECONDS, 50_000_000);
      const bare = await drive(baseline.url, DURATION_SECONDS, 0);
      await close(baseline.server);

      const logger = silentLogger();
      const metrics = createMetrics({ collectProcessMetrics: false });
      const ingress = createWeComIngress({ config, logger, clock: systemClock, dataSource, metrics });
      const app = createApp({ logger, metrics, routers: ingress.routers });
      const real = await listen(app.callback());
      const outcomes = metrics.registry.getSingleMetric("wecom_callback_events_total") as Counter<"outcome">;
      await drive(real.url, WARMUP_SECONDS, 60_000_000);

      /** One measured run from an empty inbox; the worker either competes for the pool or runs afterwards. */
      const measure = async (workerOn: boolean, idOffset: number) => {
        await dataSource.query(`TRUNCATE wecom_inbox`);
        outcomes.reset();
        if (workerOn) ingress.worker.start();
        const result = await drive(real.url, DURATION_SECONDS, idOffset);
        await ingress.worker.stop();
        const handledLeft = await ingress.worker.drain();
        const [{ rows, done }] = await dataSource.query(
          `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'done')::int AS done FROM wecom_inbox`,
        );
        const counted = (await outcomes.get()).values;
        const byOutcome = (o: string) => counted.find((v) => v.labels.outcome === o)?.value ?? 0;
        return { result, inbox: { rows, done, handledLeft, accepted: byOutcome("accepted"), duplicate: byOutcome("duplicate") } };
      };
      const routeOnly = await measure(false, 0);
      const withWorker = await measure(true, 1_000_000);
      await close(real.server);
      return report(bare, routeOnly, withWorker);
    } finally {
      await db.stop();
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

interface Measured {
  result: DriveResult;
  inbox: InboxCounts;
}

function inboxChecks(label: string, { result, inbox }: Measured): BenchCheck[] {
  return [
    {
      kind: "correctness",
      name: `${label}: every request answered 200`,
      ok: result.non2xx === 0 && result.errors === 0,
      detail: `non2xx ${result.non2xx}, errors ${result.errors}`,
    },
    {
      kind: "correctness",
      name: `${label}: inbox rows == unique events acknowledged`,
      // Requests still in flight when the load stopped may or may not have reached the server.
      ok: inbox.rows === inbox.accepted && inbox.rows <= result.uniqueSent && inbox.rows >= result.uniqueSent - CONNECTIONS,
      detail: `rows ${inbox.rows}, accepted ${inbox.accepted}, duplicates ${inbox.duplicate}, distinct sent ${result.uniqueSent}`,
    },
    {
      kind: "correctness",
      name: `${label}: worker handled every stored event`,
      ok: inbox.done === inbox.rows,
      detail: `done ${inbox.done} of ${inbox.rows} (${inbox.handledLeft} after the load stopped)`,
    },
  ];
}

function report(bare: DriveResult, routeOnly: Measured, withWorker: Measured): BenchReport {
  const ratio = routeOnly.result.requestsPerSecond / bare.requestsPerSecond;
  const row = (variant: string, r: DriveResult, note?: string) => ({
    variant,
    values: { "req/s": Math.round(r.requestsPerSecond), "p50 ms": r.p50Ms, "p99 ms": r.p99Ms },
    note,
  });
  return {
    rows: [
      row("baseline: verify+decrypt+parse", bare),
      row("real route: + inbox INSERT", routeOnly.result, `ratio ${ratio.toFixed(2)}`),
      row("real route, worker draining alongside", withWorker.result, `ratio ${(withWorker.result.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}`),
    ],
    checks: [
      {
        kind: "target",
        name: `ratio >= ${TARGET_RATIO} with p99 < ${TARGET_P99_MS} ms`,
        ok: ratio >= TARGET_RATIO && routeOnly.result.p99Ms < TARGET_P99_MS,
        detail: `ratio ${ratio.toFixed(2)}, p99 ${routeOnly.result.p99Ms} ms`,
      },
      {
        kind: "correctness",
        name: "baseline: every request answered 200",
        ok: bare.non2xx === 0 && bare.errors === 0,
        detail: `non2xx ${bare.non2xx}, errors ${bare.errors}`,
      },
      ...inboxChecks("route only", routeOnly),
      ...inboxChecks("worker on", withWorker),
    ],
  };
}
