import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { loadConfig } from "../src/platform/config";
import { silentLogger } from "../src/platform/logger";
import { startService } from "../src/service";
import type { Bench, BenchReport } from "./benchTypes";
import { driveLoad } from "./driveLoad";
import { contactEventXml, signedContactEvent as signed } from "./signedEvents";
import { startBenchDatabase } from "./support/benchDatabase";
import { storedAndDoneSql } from "./support/inboxCounts";

const INTAKE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SENDERS = 16;
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 30_000);
const TARGET_RATIO = 1.0;
const DRAIN_LIMIT_MS = 5 * 60_000;
/** The backlog's events are numbered apart from the intake's (0…) and the warm-up's (900,000,000…). */
const BACKLOG_ID_OFFSET = 800_000_000;

/**
 * Handled against intake for the events stored after row `afterId` (the
 * window's): intake is all of them, over the span from the first arrival to
 * the last; handled is those whose handling ended by the last arrival plus
 * the pipeline latency (received → handled) measured on the first half of
 * the window, its worst case. Counting both over the same wall-clock span
 * judged a pipeline that keeps up as a miss: the events received in its last
 * moments are still in flight when it closes (the quiet whole run of stop 26
 * read 1,382.1 handled against 1,384.5 stored per second, 0.998, while the
 * drain showed ~4.8× the intake rate of handling capacity). This does not
 * loosen the ≥ 1.0 target: the ratio reaches 1 only when every event of the
 * window was handled within the latency the first half showed; a worker
 * slower than intake builds a backlog, its latency grows through the window,
 * and the last events end after that bound, so the ratio stays below 1.
 */
async function keepingUp(dataSource: DataSource, afterId: string): Promise<{ intake: number; handled: number; spanS: number; latencyMs: number }> {
  const [row] = (await dataSource.query(
    `WITH w AS (SELECT i.received_at, h.handled_at FROM wecom_inbox AS i LEFT JOIN bench_inbox_handled AS h ON h.id = i.id WHERE i.id > $1),
          s AS (SELECT min(received_at) AS t0, max(received_at) AS t1 FROM w),
          l AS (SELECT max(w.handled_at - w.received_at) AS latency FROM w, s WHERE w.received_at < s.t0 + (s.t1 - s.t0) / 2)
     SELECT (SELECT count(*)::int FROM w) AS intake,
            (SELECT count(*)::int FROM w WHERE w.handled_at <= s.t1 + l.latency) AS handled,
            extract(epoch FROM s.t1 - s.t0)::float8 AS span_s, extract(epoch FROM l.latency)::float8 * 1000 AS latency_ms
     FROM s, l`,
    [afterId],
  )) as { intake: number; handled: number; span_s: number; latency_ms: number }[];
  return { intake: row!.intake, handled: row!.handled, spanS: row!.span_s, latencyMs: row!.latency_ms };
}

/**
 * When each event was handled: the inbox keeps no such time (a done event's work row is deleted, migration
 * 1767100000000), so the bench's database records it, for the bench only, when the work row is deleted: one
 * statement-level trigger per "done" statement, inside the handling transaction (its cost, an insert of the batch's
 * ids into a small table, is paid by the handling measured here; the product wrote a handled_at before).
 */
async function recordHandledTimes(dataSource: DataSource): Promise<void> {
  await dataSource.query(`CREATE TABLE bench_inbox_handled (id bigint NOT NULL, handled_at timestamptz NOT NULL)`);
  await dataSource.query(`
    CREATE FUNCTION bench_inbox_handled_record() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO bench_inbox_handled (id, handled_at) SELECT id, clock_timestamp() FROM gone;
      RETURN NULL;
    END
    $$`);
  await dataSource.query(`
    CREATE TRIGGER bench_inbox_handled AFTER DELETE ON wecom_inbox_work
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION bench_inbox_handled_record()`);
}

/**
 * Issue 16: does event handling keep up with intake? One service (built-in
 * sandbox as WeCom, inbox workers on) takes mixed contact events over HTTP
 * from SENDERS connections as fast as it answers, for INTAKE_SECONDS, and
 * handled/intake is the ratio (target ≥ 1.0: no growing backlog at the
 * ingress rate; see keepingUp for how both are counted). Then a
 * 30,000-event backlog is put in the inbox at once and the time to drain it
 * is measured.
 */
async function run(): Promise<BenchReport> {
  const db = await startBenchDatabase("inbox-keeps-up", 20);
  await recordHandledTimes(db.dataSource);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-inbox-"));
  const config = loadConfig({
    NODE_ENV: "development",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    SANDBOX_PORT: "0",
    SCHEDULES_ENABLED: "false",
    WORKERS_ENABLED: "true",
    EMBEDDED_PG_DIR: path.join(scratch, "pg"),
    DATABASE_POOL_SIZE: "20",
  });
  const service = await startService(config, silentLogger(), { database: { dataSource: db.dataSource, url: db.url, close: async () => undefined } });
  const base = `http://127.0.0.1:${service.port}`;
  /** Work rows (events not done) in the given states. */
  const count = async (where: string) => Number((await db.dataSource.query(`SELECT count(*)::int AS n FROM wecom_inbox_work WHERE ${where}`))[0].n);
  try {
    // Warm-up: the first events fetch the access token and warm the handlers; the window starts once they are handled.
    const warm = Array.from({ length: 40 }, (_, i) => signed(900_000_000 + i, Math.floor(Date.now() / 1000)));
    await Promise.all(warm.map((s) => fetch(`${base}/wecom/callback?${s.query}`, { method: "POST", body: s.body, headers: { "content-type": "text/xml" } }).then((r) => r.arrayBuffer())));
    while ((await count("status IN ('pending', 'processing')")) > 0) await new Promise((r) => setTimeout(r, 100));

    // Intake vs handling, same window. The senders run in their own process (as WeCom is outside ours), so their
    // encryption and HTTP client do not take the service's event loop from its handlers.
    const [before] = await db.dataSource.query(storedAndDoneSql);
    const timeline: string[] = [];
    const sampler = setInterval(() => {
      void db.dataSource
        .query(storedAndDoneSql)
        .then(([c]: { rows: number; done: number }[]) => timeline.push(`${c!.rows - before.rows}/${c!.done - before.done}`));
    }, 1000);
    // The driver encrypts its events before it sends (nothing arrives meanwhile): rates are over its sending time.
    const drive = await driveLoad({ url: `${base}/wecom/callback`, connections: SENDERS, durationSeconds: INTAKE_SECONDS, events: 40_000, idOffset: 0, kind: "contact" });
    clearInterval(sampler);
    // The window's events are all handled (or dead) before they are counted: the handled span runs past the intake's.
    while ((await count("status IN ('pending', 'processing')")) > 0) await new Promise((r) => setTimeout(r, 200));
    const window = await keepingUp(db.dataSource, before.last_id);
    // The drain below is timed as a whole, not per event: the recording trigger would only add its own inserts to it.
    await db.dataSource.query(`ALTER TABLE wecom_inbox_work DISABLE TRIGGER bench_inbox_handled`);
    const intakeRate = window.intake / window.spanS;
    // Events handled on time per second of the intake span: equal to intake only when all were.
    const handledRate = window.handled / window.spanS;
    const ratio = window.handled / window.intake;

    // A 30,000-event backlog at once (a mass transfer's worth).
    const now = Math.floor(Date.now() / 1000);
    // Stored as the route stores them: the XML as received (the worker parses what it claims).
    const backlog = Array.from({ length: BACKLOG }, (_, i) => contactEventXml(BACKLOG_ID_OFFSET + i, now));
    const d0 = Date.now();
    await db.dataSource.query(
      `WITH e AS (
         INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at)
         SELECT 'drain-' || i, k, x, now()
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(k, x, i) ORDER BY i
         RETURNING id)
       INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at) SELECT id, 'pending', 0, now() FROM e`,
      [backlog.map((b) => b.kind), backlog.map((b) => b.xml)],
    );
    let left = BACKLOG;
    while (left > 0 && Date.now() - d0 < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 500));
      // Everything before the backlog was handled (or is dead) by now: what is still to do is the backlog's.
      left = await count(`status IN ('pending', 'processing')`);
    }
    const drainS = (Date.now() - d0) / 1000;
    const dead = await count(`status = 'dead'`);
    return {
      rows: [
        { variant: "intake (callbacks accepted)", values: { "events/s": intakeRate } },
        { variant: "handling (by the last arrival + that latency)", values: { "events/s": handledRate, ratio }, note: `${window.handled} of ${window.intake} events received in ${window.spanS.toFixed(2)} s handled within the first half's worst latency, ${Math.round(window.latencyMs)} ms` },
        { variant: `drain ${BACKLOG} backlog`, values: { s: drainS, "events/s": (BACKLOG - left) / drainS }, ...(left > 0 ? { note: `${left} left after ${DRAIN_LIMIT_MS / 60000} min` } : {}) },
      ],
      checks: [
        { name: "handling keeps up with intake", ok: ratio >= TARGET_RATIO, detail: `handled/intake ${ratio.toFixed(3)} (target ≥ ${TARGET_RATIO})`, kind: "target" },
        { name: "backlog drained", ok: left === 0, detail: `${BACKLOG - left}/${BACKLOG} in ${drainS.toFixed(1)} s`, kind: "correctness" },
        { name: "no dead letters", ok: dead === 0, detail: `${dead} dead`, kind: "correctness" },
        { name: "every callback answered 200", ok: drive.non2xx + drive.errors === 0, detail: `non2xx ${drive.non2xx}, errors ${drive.errors}`, kind: "correctness" },
      ],
      notes: [
        `stored/handled at each second of the window: ${timeline.join(" ")}; ${drive.non2xx + drive.errors} requests not answered 200`,
        `${SENDERS} senders for ${INTAKE_SECONDS} s; INBOX_WORKER_CONCURRENCY ${config.INBOX_WORKER_CONCURRENCY}; machine load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
      ],
    };
  } finally {
    await service.stop();
    await db.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export const inboxKeepsUpBench: Bench = { name: "inbox-keeps-up", run };
