import http from "node:http";
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import Koa from "koa";
import type { Counter } from "prom-client";
import { systemClock } from "../src/platform/clock";
import { loadConfig } from "../src/platform/config";
import { createApp } from "../src/platform/http/createApp";
import { createLogger } from "../src/platform/logger";
import { createMetrics } from "../src/platform/metrics";
import { composeCapabilities } from "../src/compose";
import { openEventCallback } from "../src/wecom/callback/openCallback";
import { readRawBody } from "../src/wecom/callback/readRawBody";
import { CallbackCrypto } from "../src/wecom/crypto/callbackCrypto";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";
import type { Bench, BenchCheck, BenchReport } from "./benchTypes";
import { alternate, describeRatio, median, type Comparison } from "./support/alternate";
import { driveLoad } from "./driveLoad";
import type { DriveResult } from "./loadDriver";
import { startBenchDatabase } from "./support/benchDatabase";
import { storedAndDoneSql, type StoredAndDone } from "./support/inboxCounts";

const CONNECTIONS = 50;
/**
 * Each measured run. Runs alternate baseline and real route and end on a baseline (A B A B … A), judged on the
 * median over every two adjacent runs (alternate.ts says why): eight short rounds rather than four of 4 s, so that
 * the edges of a spell in which the machine ran slower are two outliers among sixteen pairs, not one of four.
 */
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const WARMUP_SECONDS = 2;
/** Pre-generated events per run: more than a run can send at the baseline's rate. */
const EVENTS = 60_000;
const TARGET_RATIO = 0.7;
/** The real route's p99 against the baseline's, per round (an absolute p99 says more about the machine's load than about us). */
const TARGET_P99_RATIO = 3;

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
 * INSERT … ON CONFLICT in the request) in the app with every router of the
 * service, with the inbox worker handling the events alongside through the
 * handlers production registers, against the bare baseline. Both
 * servers stay up; runs alternate baseline and real route and end on a
 * baseline (A B … A), each real run from an empty inbox with its own ids, and
 * the target is judged on the median ratio of each real run to the baseline
 * runs before and after it (p99 on the worst round).
 */
export const callbackIngressBench: Bench = {
  name: "callback ingress",
  async run(): Promise<BenchReport> {
    // The built-in sandbox stands in for WeCom; it is never started (none of the bench's texts makes a handler call WeCom).
    const config = loadConfig({ NODE_ENV: "development", LOG_LEVEL: "info", SANDBOX_PORT: "0" });
    const db = await startBenchDatabase("callback", config.DATABASE_POOL_SIZE);
    const { dataSource } = db;
    const servers: http.Server[] = [];
    try {
      const baseline = await listen(baselineApp().callback());
      servers.push(baseline.server);

      // Production's log level, written to nowhere: the real route pays for the lines the service would write.
      const logger = createLogger({ level: "info", pretty: false, destination: "/dev/null" });
      const metrics = createMetrics({ collectProcessMetrics: false });
      // The service's capabilities as composed in production: every router of the app, and the inbox handlers every
      // capability registers (a text goes to the bot's handler, which wants only texts that say something about leaving).
      // Of their background work only the inbox worker runs, started and stopped by each round.
      const capabilities = await composeCapabilities({ config, logger, clock: systemClock, dataSource, metrics });
      const ingress = capabilities.wecom.ingress!;
      const app = createApp({ logger, metrics, routers: capabilities.routers });
      // Requests still being handled when the load generator stops are counted before the inbox is: wait for them.
      // On a loaded machine a request's bytes can still sit unread in a socket when the count reaches 0 (it then
      // stored a row that the outcome counter, read a moment later, had not counted yet): wait for a quiet spell too.
      const handle = app.callback();
      let inFlight = 0;
      let lastActivity = Date.now();
      const real = await listen((req, res) => {
        inFlight++;
        lastActivity = Date.now();
        void Promise.resolve(handle(req, res)).finally(() => {
          inFlight--;
          lastActivity = Date.now();
        });
      });
      const QUIET_MS = 500;
      const settled = async () => {
        while (inFlight > 0 || Date.now() - lastActivity < QUIET_MS) await new Promise((r) => setTimeout(r, 20));
      };
      servers.push(real.server);
      const outcomes = metrics.registry.getSingleMetric("wecom_callback_events_total") as Counter<"outcome">;

      /** One measured run from an empty inbox with the worker handling alongside; counts checked after it drains. */
      const measure = async (idOffset: number, seconds: number): Promise<Measured> => {
        await dataSource.query(`TRUNCATE wecom_inbox, wecom_inbox_work`);
        outcomes.reset();
        ingress.worker.start();
        const result = await drive(real.url, seconds, idOffset);
        await settled();
        await ingress.worker.stop();
        const handledLeft = await ingress.worker.drain();
        const [{ rows, done }] = (await dataSource.query(storedAndDoneSql)) as StoredAndDone[];
        const counted = (await outcomes.get()).values;
        const byOutcome = (o: string) => counted.find((v) => v.labels.outcome === o)?.value ?? 0;
        return { result, inbox: { rows, done, handledLeft, accepted: byOutcome("accepted"), duplicate: byOutcome("duplicate") } };
      };

      const comparison = await alternate<DriveResult | Measured>({
        rounds: ROUNDS,
        warmupRounds: 1,
        baseline: (round) => drive(baseline.url, round < 0 ? WARMUP_SECONDS : DURATION_SECONDS, 10_000_000 * (round + 2)),
        subject: (round) => measure(10_000_000 * (round + 2) + 5_000_000, round < 0 ? WARMUP_SECONDS : DURATION_SECONDS),
        figure: (r) => ("inbox" in r ? r.result : r).requestsPerSecond,
        closingBaseline: true,
      });
      return report(comparison as Comparison<DriveResult | Measured>);
    } finally {
      for (const server of servers) await close(server);
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

/** Passing per-round checks fold into one line; a failing one is listed on its own. */
function collapse(checks: BenchCheck[]): BenchCheck[] {
  const failed = checks.filter((c) => !c.ok);
  const passed = checks.length - failed.length;
  return [
    ...(passed > 0 ? [{ kind: "correctness" as const, name: "every round: all answered 200, inbox rows == unique events acknowledged, all handled", ok: true, detail: `${passed} checks` }] : []),
    ...failed,
  ];
}

function report(comparison: Comparison<DriveResult | Measured>): BenchReport {
  const rounds = comparison.rounds.map((r) => ({ bare: r.baseline as DriveResult, real: r.subject as Measured, ratio: r.ratio }));
  const closing = comparison.closingBaseline as DriveResult | undefined;
  const bareRuns = [...rounds.map((r) => r.bare), ...(closing ? [closing] : [])];
  const worstP99 = Math.max(...rounds.map((r) => r.real.result.p99Ms));
  const p99Ratios = rounds.map((r) => r.real.result.p99Ms / Math.max(1, r.bare.p99Ms));
  const p99Ratio = median(p99Ratios);
  const list = (values: number[]) => values.map((v) => Math.round(v)).join(" / ");
  return {
    rows: [
      {
        variant: "baseline: verify+decrypt+parse",
        values: { "req/s": Math.round(median(bareRuns.map((r) => r.requestsPerSecond))), "p99 ms": Math.max(...bareRuns.map((r) => r.p99Ms)) },
        note: `req/s per run ${list(bareRuns.map((r) => r.requestsPerSecond))}`,
      },
      {
        variant: "real route + inbox INSERT, worker handling",
        values: { "req/s": Math.round(median(rounds.map((r) => r.real.result.requestsPerSecond))), "p99 ms": worstP99, ratio: comparison.median },
        note: `req/s per run ${list(rounds.map((r) => r.real.result.requestsPerSecond))}; p99 per run ${list(rounds.map((r) => r.real.result.p99Ms))}`,
      },
    ],
    checks: [
      {
        kind: "target",
        name: `throughput ratio >= ${TARGET_RATIO}, worker handling`,
        ok: comparison.median >= TARGET_RATIO,
        detail: `ratio ${describeRatio(comparison)}`,
      },
      {
        kind: "target",
        name: `p99 within ${TARGET_P99_RATIO}× the baseline's p99`,
        ok: p99Ratio <= TARGET_P99_RATIO,
        detail: `median ${p99Ratio.toFixed(2)} (${Math.min(...p99Ratios).toFixed(2)}–${Math.max(...p99Ratios).toFixed(2)}), worst real p99 ${worstP99} ms`,
      },
      ...collapse([
        ...rounds.map((r, i): BenchCheck => ({
          kind: "correctness",
          name: `round ${i + 1} baseline: every request answered 200`,
          ok: r.bare.non2xx === 0 && r.bare.errors === 0,
          detail: `non2xx ${r.bare.non2xx}, errors ${r.bare.errors}`,
        })),
        ...(closing
          ? [{ kind: "correctness" as const, name: "closing baseline: every request answered 200", ok: closing.non2xx === 0 && closing.errors === 0, detail: `non2xx ${closing.non2xx}, errors ${closing.errors}` }]
          : []),
        ...rounds.flatMap((r, i) => inboxChecks(`round ${i + 1} real route`, r.real)),
      ]),
    ],
    notes: [`${ROUNDS} rounds of ${DURATION_SECONDS} s each way and a closing baseline (A B … A) after a ${WARMUP_SECONDS} s warm-up pair, ${CONNECTIONS} connections, 1 in 20 requests a redelivery; the real route is the service's app (every router, the inbox handlers production registers; its texts are chatter no handler wants) and logs at info (to /dev/null) as production does`],
  };
}
