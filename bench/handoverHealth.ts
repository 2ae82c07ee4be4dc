import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { DataSource } from "typeorm";
import { ConversationWordFinder } from "../src/conversations/queries/wordsInConversations";
import { normalizeText } from "../src/conversations/searchIndex/normalizeText";
import { SearchIndexKeys } from "../src/conversations/searchIndex/searchIndexKeys";
import { documentTokens } from "../src/conversations/searchIndex/tokenize";
import { REFUND_WORDS } from "../src/handover/health/handoverHealth";
import { activityStatement, dayWindowStatement, loadHealthRows, refreshHandoverHealth, TRANSFER_OVERLAP_MS, type RefreshReport } from "../src/handover/health/healthStore";
import { summarizeRetention } from "../src/handover/health/retentionSummary";
import { TestClock } from "../src/platform/clock";
import { DataKeyRing } from "../src/platform/dataProtection/keyRing";
import type { Bench, BenchReport } from "./benchTypes";
import { alternate, describeRatio, median } from "./support/alternate";
import { backendCpu } from "./support/backendCpu";
import { startBenchDatabase } from "./support/benchDatabase";

const PARENTS = Number(process.env.HEALTH_BENCH_PARENTS ?? 50_000);
const MESSAGES = Number(process.env.HEALTH_BENCH_MESSAGES ?? 1_000_000);
/** Five rounds: the day's pass is ~20 ms, and with three a single round slowed by a busy neighbour moved the median. */
const ROUNDS = Number(process.env.HEALTH_BENCH_ROUNDS ?? 5);
const LEAVERS = Math.max(1, Math.round(PARENTS / 100));
/** One parent in 500 says a refund word somewhere in the year (parents 7, 507, 1007…: all accepted the transfer). */
const REFUND_EVERY = 500;
const FULL_TARGET_MS = 10_000;
const DAY_TARGET_RATIO = 0.01;
const YEAR_START = Date.parse("2025-03-01T00:00:00+08:00");
const DAY = 86_400_000;

/**
 * The year's archive by bulk SQL: transfers of PARENTS parents from LEAVERS
 * leavers (handed over across the year), MESSAGES successor–parent messages
 * spread over the year (stored when sent, as drains do), each with blind-index
 * tokens that hold no refund word. Bodies are opaque bytes: nothing but a
 * refund-word candidate is ever decrypted, so any attempt to open one fails the
 * run. The refund-word messages are real — sealed and indexed like ingest does.
 */
export async function generate(ds: DataSource, keyRing: DataKeyRing, keys: SearchIndexKeys): Promise<{ refundMessages: number }> {
  const refundHashes = REFUND_WORDS.flatMap((w) => keys.hashAll("s1", documentTokens(normalizeText(w))));
  const campuses = 10;
  // Monthly partitions as ingest makes them (the year, the days after it), and the archive's own indexes built once
  // after the bulk insert rather than row by row (the same definitions, read back from the catalogue).
  await ds.query(`SELECT archive_ensure_month_partition(((to_timestamp($1::bigint / 1000.0) AT TIME ZONE 'UTC')::date + make_interval(months => n))::date) FROM generate_series(0, 13) n`, [YEAR_START]);
  const indexes: { name: string; def: string }[] = await ds.query(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.tablename = 'archive_message' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const i of indexes) await ds.query(`DROP INDEX ${i.name}`);
  await ds.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '集团', NULL, 'hq', '{1}')`);
  await ds.query(`INSERT INTO department (id, name, parent_id, kind, path) SELECT 1 + c, '校区' || c, 1, 'campus', ARRAY[1, 1 + c] FROM generate_series(1, $1::int) c`, [campuses]);
  await ds.query(
    `INSERT INTO staff (userid, name, department_ids, main_department, position, hire_date, status)
     SELECT kind || i, kind || i, ARRAY[2 + i % $2], 2 + i % $2, '教师', '2020-01-01', 1
       FROM generate_series(1, $1::int) i, unnest(ARRAY['leaver_', 'succ_']) kind`,
    [LEAVERS, campuses],
  );
  // Parent p: leaver p % LEAVERS, handed over on day p % 300 of the year (so most have reached day 30, many day 90).
  await ds.query(
    `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, takeover_at, requested_at, updated_at)
     SELECT 'leaver_' || (1 + p % $2), 'succ_' || (1 + p % $2), 'wm_' || p, 'resigned', CASE WHEN p % 50 = 0 THEN 'refused' ELSE 'done' END,
            to_timestamp(($3::bigint + (p % 300) * ${DAY}::bigint) / 1000.0), to_timestamp(($3::bigint + (p % 300) * ${DAY}::bigint) / 1000.0),
            to_timestamp(($3::bigint + (p % 300) * ${DAY}::bigint) / 1000.0)
       FROM generate_series(0, $1::int - 1) p`,
    [PARENTS, LEAVERS, YEAR_START],
  );
  // Tokens 1..997 (none equal to a refund word's keyed value): ordinary words.
  const safe = (n: number) => (refundHashes.includes(n) ? n + 1000 : n);
  const tokenBase = [1, 2, 3].map(safe);
  const batch = 250_000;
  for (let from = 0; from < MESSAGES; from += batch) {
    await ds.query(
      `INSERT INTO archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id, msg_time, staff_userid, external_userid,
                                    body_ciphertext, body_key_id, search_tokens, search_key_id, stored_at)
       SELECT 'm' || k, k, 1, 'send', 'text', CASE WHEN k % 2 = 0 THEN 'succ_' || (1 + p % $3) ELSE 'wm_' || p END, '{}', NULL, t,
              'succ_' || (1 + p % $3), 'wm_' || p, '\\x00'::bytea, 'k1', ARRAY[$4::int, $5::int, $6::int, (10 + k % 900)::int], 's1', t + interval '2 minutes'
         FROM (SELECT k, (k * 7919) % $2 AS p, to_timestamp(($7::bigint + ((k * 104729) % (365 * 86400))::bigint * 1000) / 1000.0) AS t
                 FROM generate_series($1::bigint, $8::bigint) k) g`,
      [from + 1, PARENTS, LEAVERS, ...tokenBase, YEAR_START, Math.min(MESSAGES, from + batch)],
    );
  }
  const refund = await insertRealMessages(ds, keyRing, keys, MESSAGES + 1, (i) => (i * REFUND_EVERY + 7 < PARENTS ? i * REFUND_EVERY + 7 : undefined), (p) => YEAR_START + ((p % 300) + 20) * DAY);
  await ds.transaction(async (m) => {
    await m.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    // The catalogue writes a partitioned index as "ON ONLY archive_message" (the parent alone): built on every partition here.
    for (const i of indexes) await m.query(i.def.replace(" ON ONLY ", " ON "));
  });
  await ds.query(`ANALYZE`);
  return { refundMessages: refund };
}

/** Sealed, indexed parent messages with a refund word: parent `parentOf(i)` for i = 0, 1, … until undefined. */
async function insertRealMessages(ds: DataSource, keyRing: DataKeyRing, keys: SearchIndexKeys, firstSeq: number, parentOf: (i: number) => number | undefined, timeOf: (p: number) => number, storedAt?: number): Promise<number> {
  const rows: { msgid: string; seq: number; p: number; t: Date; body: Buffer; tokens: number[] }[] = [];
  for (let i = 0; ; i++) {
    const p = parentOf(i);
    if (p === undefined) break;
    const word = REFUND_WORDS[i % REFUND_WORDS.length]!;
    const content = `老师您好，我们家在考虑${word}的事情`;
    const msgid = `r${firstSeq + i}`;
    const t = timeOf(p);
    const plain = JSON.stringify({ msgid, action: "send", from: `wm_${p}`, tolist: [`succ_${1 + (p % LEAVERS)}`], roomid: "", msgtime: t, msgtype: "text", text: { content } });
    rows.push({ msgid, seq: firstSeq + i, p, t: new Date(t), body: keyRing.seal(plain, msgid).ciphertext, tokens: keys.hashAll("s1", documentTokens(normalizeText(content))) });
  }
  await ds.query(
    `INSERT INTO archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id, msg_time, staff_userid, external_userid,
                                  body_ciphertext, body_key_id, search_tokens, search_key_id, stored_at)
     SELECT r.msgid, r.seq, 1, 'send', 'text', 'wm_' || r.p, '{}', NULL, r.t, 'succ_' || (1 + r.p % $7), 'wm_' || r.p, r.body, 'k1',
            ARRAY(SELECT json_array_elements_text(r.tokens::json)::int), 's1', COALESCE($8::timestamptz, r.t + interval '2 minutes')
       FROM unnest($1::text[], $2::bigint[], $3::int[], $4::timestamptz[], $5::bytea[], $6::text[]) AS r(msgid, seq, p, t, body, tokens)`,
    [rows.map((r) => r.msgid), rows.map((r) => r.seq), rows.map((r) => r.p), rows.map((r) => r.t), rows.map((r) => r.body), rows.map((r) => JSON.stringify(r.tokens)), LEAVERS, storedAt === undefined ? null : new Date(storedAt)],
  );
  return rows.length;
}

/** A day's new messages (MESSAGES / 365) stored at `day`, one of them a refund word from a parent who had none. */
export async function addDay(ds: DataSource, keyRing: DataKeyRing, keys: SearchIndexKeys, day: number, round: number): Promise<number> {
  const perDay = Math.max(1, Math.round(MESSAGES / 365));
  const [{ seq }] = await ds.query(`SELECT max(seq)::bigint AS seq FROM archive_message`);
  const first = Number(seq) + 1;
  await ds.query(
    `INSERT INTO archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id, msg_time, staff_userid, external_userid,
                                  body_ciphertext, body_key_id, search_tokens, search_key_id, stored_at)
     SELECT 'm' || k, k, 1, 'send', 'text', CASE WHEN k % 2 = 0 THEN 'succ_' || (1 + p % $3) ELSE 'wm_' || p END, '{}', NULL, t,
            'succ_' || (1 + p % $3), 'wm_' || p, '\\x00'::bytea, 'k1', ARRAY[(10 + k % 900)::int], 's1', t + interval '2 minutes'
       FROM (SELECT k, (k * 7919) % $2 AS p, to_timestamp(($4::bigint + (k % 86000) * 1000) / 1000.0) AS t FROM generate_series($1::bigint, $5::bigint) k) g`,
    [first, PARENTS, LEAVERS, day, first + perDay - 2],
  );
  // Parent 100 + round: never one of the year's refund parents (7, 507, 1007…).
  await insertRealMessages(ds, keyRing, keys, first + perDay - 1, (i) => (i === 0 ? 100 + round : undefined), () => day + 3600_000, day + 3600_000 + 120_000);
  return perDay;
}

/**
 * The database as a day's messages find it in production, set up outside
 * the timings. There the pass runs every two minutes (handover/module.ts),
 * so a day's messages are read long after the one full pass, not the moment
 * after it as in this bench's rounds:
 * - autovacuum (on, as here: naptime 60 s, threshold 50 + 20 % of the rows)
 *   has vacuumed and analysed the table the full pass left with 50,000 dead
 *   row versions (each parent inserted, then updated);
 * - the pass before (two minutes earlier) has run on the same pooled
 *   connection: its statements' plans are kept (healthStore's
 *   PLANS_FOR_VALUES) and the last hour's transfers, which every pass
 *   re-reads, are in shared buffers;
 * - checkpoints (checkpoint_timeout 5 min) have passed since, so the day's
 *   first change to each page writes a copy of the whole page to the WAL
 *   (data checksums are on), as production's does.
 * Measured with perf on the database backend before this: the day's pass
 * spent about a fifth of its CPU pruning the full pass's dead versions, a
 * tenth reading the re-read transfers' pages from the OS, and another tenth
 * planning — none of which production's day meets — and wrote no page copies.
 */
async function asProductionFindsIt(ds: DataSource, pass: () => Promise<RefreshReport>): Promise<void> {
  await ds.query(`VACUUM (ANALYZE) handover_parent_health`);
  await pass();
  await ds.query(`CHECKPOINT`);
}

/** A parameter of the day's statement written as SQL (EXECUTE takes values, not placeholders). */
function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  const text = v instanceof Date ? v.toISOString() : Array.isArray(v) ? `{${v.join(",")}}` : String(v);
  return `'${text.replace(/'/g, "''")}'`;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(2)} %`;

/** The CPU of the alternated passes (database + this process) as a report row: per round, and the day's share of the full pass. */
function cpuRow(full: (number | null)[], day: (number | null)[]): BenchReport["rows"][number] {
  if (full.some((x) => x === null) || day.some((x) => x === null) || full.length !== day.length || full.length === 0) {
    return { variant: "CPU of the passes", values: {}, note: "not measured (no /proc/<pid>/schedstat for the database's backends)" };
  }
  const ratios = full.map((f, i) => day[i]! / f!);
  return {
    variant: "CPU of the passes (database + this process)",
    values: { "full ms": median(full as number[]), "day ms": median(day as number[]), ratio: median(ratios) },
    note: `a day's share ${percent(median(ratios))} (${ratios.map(percent).join(" / ")}); ms per round: full ${full.map((x) => Math.round(x!)).join(" / ")}, day ${day.map((x) => x!.toFixed(1)).join(" / ")}; load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
  };
}

const FACTS = `md5(string_agg(concat_ws('|', leaver_userid, external_userid, successor_userid, transfer_status, successor_first_msg_at,
  parent_first_reply_at, parent_last_reply_at, refund_word, refund_at), ',' ORDER BY leaver_userid, external_userid)) AS sum`;

/**
 * The archive partitions a plan (EXPLAIN ANALYZE text) read rows from, each
 * with the index it went through (null: read whole) and the rows it read and
 * left (a whole read's "Rows Removed by Filter"). A scan that found nothing
 * is left out: a day's window looks into every month's partition and finds
 * its rows in the newest.
 */
export function archiveReads(plan: readonly string[]): { partition: string; rows: number; removed: number; index: string | null }[] {
  const reads: { partition: string; rows: number; removed: number; index: string | null }[] = [];
  plan.forEach((line, i) => {
    const scan = /->\s+(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan) (?:using (\S+) )?on (archive_message\w*) .*actual time=\S+ rows=([\d.]+) loops=(\d+)/.exec(line);
    if (!scan) return;
    const rows = Math.round(Number(scan[4]) * Number(scan[5]));
    if (rows === 0) return;
    // The node's own lines, up to the next node: what its filter left, and a bitmap heap scan's index (named on its Bitmap Index Scan).
    const next = plan.findIndex((l, j) => j > i && /->/.test(l) && !/Bitmap Index Scan/.test(l));
    const own = plan.slice(i + 1, next === -1 ? undefined : next);
    const removed = own.map((l) => /Rows Removed by Filter: (\d+)/.exec(l)?.[1]).find((x) => x !== undefined);
    const bitmapIndex = scan[1] === "Bitmap Heap Scan" ? own.map((l) => /Bitmap Index Scan on (\S+)/.exec(l)?.[1]).find((x) => x !== undefined) : undefined;
    reads.push({ partition: scan[3]!, rows, removed: Number(removed ?? 0), index: scan[2] ?? bitmapIndex ?? null });
  });
  return reads;
}

/**
 * Whether a window's archive reads follow the window, not the archive: each
 * partition it takes rows from is read through the stored_at index — or read
 * whole only when that partition holds hardly more than the window (at most
 * WHOLE_READ_LIMIT times the window's rows), as the newest month's partition
 * does in its first days, where the planner rightly prefers a whole read.
 */
const WHOLE_READ_LIMIT = 5;
export function readsFollowWindow(reads: ReturnType<typeof archiveReads>): boolean {
  const windowRows = reads.reduce((n, r) => n + r.rows, 0);
  return reads.length > 0 && reads.every((r) => (r.index !== null ? /stored_at/.test(r.index) : r.rows + r.removed <= WHOLE_READ_LIMIT * windowRows));
}

/**
 * Handover health for PARENTS inherited parents over a year of archive
 * (MESSAGES messages): a full pass from nothing (facts from the transfers and
 * the whole year, refund words through the blind index) must take ≤ 10 s, and
 * a day's new messages ≤ 1% of it — full and daily passes alternate A B A B
 * (alternate.ts), the daily one judged as the median ratio. Correctness: every
 * parent gets facts, every refund word is found exactly once, and the facts
 * after the daily passes equal a full recomputation over the same archive.
 */
export const handoverHealthBench: Bench = {
  name: "handover health (50,000 inherited parents, a year of archive)",
  async run(): Promise<BenchReport> {
    const benchStart = performance.now();
    const db = await startBenchDatabase("handover-health", 4);
    try {
      const ds = db.dataSource;
      const keyRing = new DataKeyRing({ k1: randomBytes(32) }, "k1");
      const keys = new SearchIndexKeys({ s1: randomBytes(32) }, "s1");
      const words = new ConversationWordFinder(keyRing, keys);
      const genStart = performance.now();
      const { refundMessages } = await generate(ds, keyRing, keys);
      const genMs = performance.now() - genStart;
      let day = YEAR_START + 366 * DAY;
      const clock = new TestClock(new Date(day));
      const full: RefreshReport[] = [];
      const daily: RefreshReport[] = [];
      let dayMessages = 0;
      const timed = async <T>(work: () => Promise<T>) => {
        const started = performance.now();
        const value = await work();
        return { ms: performance.now() - started, value };
      };
      // CPU of each measured pass (the database's backends and this process): the work itself, which a loaded
      // machine's queue for a core does not inflate as it does wall time. Reported beside the judged wall times.
      const cpu = backendCpu(ds);
      const fullCpu: (number | null)[] = [];
      const dayCpu: (number | null)[] = [];
      const pass = async (into: (number | null)[]) => {
        const database = await cpu.since();
        const node = process.cpuUsage();
        const r = await timed(() => refreshHandoverHealth({ dataSource: ds, clock, words }));
        const used = process.cpuUsage(node);
        const db = await database();
        into.push(db === null ? null : db + (used.user + used.system) / 1000);
        return r;
      };
      const fullPass = async () => {
        await ds.query(`TRUNCATE handover_parent_health`);
        await ds.query(`DELETE FROM handover_health_cursor`);
        const r = await pass(fullCpu);
        full.push(r.value);
        return r.ms;
      };
      const comparison = await alternate({
        rounds: ROUNDS,
        baseline: () => fullPass(),
        subject: async (round) => {
          await asProductionFindsIt(ds, () => refreshHandoverHealth({ dataSource: ds, clock, words }));
          day += DAY;
          clock.set(new Date(day + 2 * 3600_000));
          dayMessages = await addDay(ds, keyRing, keys, day, round);
          const r = await pass(dayCpu);
          daily.push(r.value);
          return r.ms;
        },
        figure: (ms) => ms,
      });
      const [{ sum: afterDaily }] = await ds.query(`SELECT ${FACTS} FROM handover_parent_health`);
      const recomputeMs = await fullPass();
      const [{ sum: recomputed }] = await ds.query(`SELECT ${FACTS} FROM handover_parent_health`);
      const loaded = await timed(() => loadHealthRows(ds.manager));
      const judged = await timed(async () => summarizeRetention(loaded.value, clock.now(), () => ({ contactWithinDays: 3 })));
      const summary = { ms: loaded.ms + judged.ms, value: judged.value };
      // Where the time goes: the plan of the last day's window (run and rolled back) and of the whole archive's.
      const lastDay = daily[daily.length - 1]!;
      // The day's statement as a pass after the recompute runs it (transfer changes re-read from an hour before the newest).
      const [{ last }]: { last: Date }[] = await ds.query(`SELECT last_transfer_at AS last FROM handover_health_cursor`);
      const dayPass = { transfersAfter: new Date(last.getTime() - TRANSFER_OVERLAP_MS), toTransferAt: last, now: clock.now() };
      // The day's statement as a pass runs it: a plan made without its values, kept by the connection
      // (healthStore's PLANS_FOR_VALUES), so explained as a prepared statement's generic plan.
      const explain = async (analyze: boolean, window: { after: string | null; upTo: string }) => {
        const day = window.after !== null;
        const { sql, params } = day ? dayWindowStatement(window.after!, dayPass, words) : activityStatement(window, "all", "scan");
        const options = `${analyze ? "ANALYZE, BUFFERS, " : ""}COSTS ${process.env.HEALTH_BENCH_PLAN ? "ON" : "OFF"}`;
        const runner = ds.createQueryRunner();
        await runner.startTransaction();
        try {
          let plan: { "QUERY PLAN": string }[];
          if (day) {
            await runner.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
            await runner.query(`PREPARE bench_day_window AS ${sql}`);
            plan = await runner.query(`EXPLAIN (${options}) EXECUTE bench_day_window(${params.map(sqlLiteral).join(", ")})`);
          } else {
            plan = await runner.query(`EXPLAIN (${options}) ${sql}`, params);
          }
          return plan.map((r) => r["QUERY PLAN"]);
        } finally {
          await runner.rollbackTransaction();
          if (day) await runner.query(`DEALLOCATE bench_day_window`); // a prepared statement outlives the transaction
          await runner.release();
        }
      };
      const dayPlan = await explain(true, { after: lastDay.fromStoredAt, upTo: lastDay.toStoredAt! });
      const fullPlan = await explain(false, { after: null, upTo: lastDay.toStoredAt! });
      const dayReads = archiveReads(dayPlan);
      const phases = (r: RefreshReport) => Object.entries(r.phasesMs).map(([k, v]) => `${k} ${Math.round(v)}`).join(", ");
      const fullMs = median(comparison.rounds.map((r) => r.baseline));
      const dayMs = median(comparison.rounds.map((r) => r.subject));
      const firstFull = full[0]!;
      const ms = (values: number[]) => values.map((v) => Math.round(v)).join(" / ");
      return {
        rows: [
          { variant: "generate (bulk SQL)", values: { "s": genMs / 1000 }, note: `${PARENTS.toLocaleString()} parents, ${MESSAGES.toLocaleString()} messages, ${refundMessages} refund-word messages` },
          { variant: "full pass from nothing (baseline)", values: { "median ms": fullMs }, note: `ms per round: ${ms(comparison.rounds.map((r) => r.baseline))}; recompute after the daily passes ${Math.round(recomputeMs)} ms` },
          { variant: `a day's messages (${dayMessages.toLocaleString()})`, values: { "median ms": dayMs, ratio: comparison.median }, note: `ms per round: ${ms(comparison.rounds.map((r) => r.subject))}` },
          cpuRow(fullCpu.slice(0, ROUNDS), dayCpu),
          { variant: "states and retention of every parent", values: { ms: summary.ms }, note: `load ${Math.round(loaded.ms)} ms + rule and figures ${Math.round(judged.ms)} ms; ${summary.value.parents.length.toLocaleString()} parents; 30-day retention ${summary.value.overall.day30.retained}/${summary.value.overall.day30.eligible}` },
          { variant: "phases of the first full pass (ms)", values: {}, note: phases(firstFull) },
          { variant: "phases of the last day's pass (ms)", values: {}, note: phases(lastDay) },
          { variant: "bench total", values: { s: (performance.now() - benchStart) / 1000 } },
        ],
        checks: [
          { kind: "target", name: `full pass + states for ${PARENTS.toLocaleString()} parents ≤ ${FULL_TARGET_MS / 1000} s`, ok: fullMs + summary.ms <= FULL_TARGET_MS, detail: `${Math.round(fullMs)} ms + ${Math.round(summary.ms)} ms` },
          {
            kind: "target",
            name: `a day's messages ≤ ${DAY_TARGET_RATIO * 100}% of the full pass`,
            ok: comparison.median <= DAY_TARGET_RATIO,
            // In percent too: two decimals of a ratio near 0.01 cannot tell 0.8 % from 1.4 %.
            detail: `ratio ${describeRatio(comparison)} = ${percent(comparison.median)} (${percent(comparison.min)}–${percent(comparison.max)}; per round ${comparison.rounds.map((r) => percent(r.ratio)).join(" / ")})`,
          },
          {
            kind: "correctness",
            name: "the full pass gives every parent facts and finds every refund word once",
            ok: firstFull.pairs === PARENTS && firstFull.refundWords === refundMessages && summary.value.parents.length === PARENTS,
            detail: `pairs ${firstFull.pairs}, refund words ${firstFull.refundWords} of ${refundMessages}`,
          },
          {
            kind: "correctness",
            name: "each daily pass reads its day only and finds its one refund word",
            ok: daily.every((d) => d.pairs === 0 && d.backfilled === 0 && d.refundWords === 1 && d.touched > 0),
            detail: daily.map((d) => `touched ${d.touched}, refund ${d.refundWords}`).join("; "),
          },
          { kind: "correctness", name: "facts after the daily passes equal a full recomputation", ok: afterDaily === recomputed, detail: `${afterDaily} vs ${recomputed}` },
          {
            kind: "target",
            name: `a day's window reads the archive through the stored_at index (each partition it takes rows from; or one read whole holding ≤ ${WHOLE_READ_LIMIT}× the window)`,
            ok: readsFollowWindow(dayReads),
            detail: `${dayReads.map((r) => `${r.partition}: ${r.rows} rows ${r.index ? `by ${r.index}` : `read whole (${r.rows + r.removed} rows)`}`).join("; ")}${
              process.env.HEALTH_BENCH_PLAN ? `\n${dayPlan.join("\n")}` : ` | ${dayPlan.filter((l) => /Join|Loop|Aggregate|Execution Time/.test(l) && !/rows=0\.00 loops/.test(l)).map((l) => l.trim()).slice(0, 6).join(" | ")}`
            }`,
          },
        ],
        notes: [
          `plan of the whole archive's window: ${fullPlan.filter((l) => /Scan|Join|Aggregate/.test(l)).map((l) => l.trim()).slice(0, 6).join(" | ")}`,
          `${ROUNDS} rounds alternating a full pass (facts truncated, cursor reset) and a day's pass; HEALTH_BENCH_PARENTS / _MESSAGES / _ROUNDS size it`,
          "refund words: only blind-index candidates are decrypted (the generated bodies cannot be opened, so a broader read fails the run)",
        ],
      };
    } finally {
      await db.stop();
    }
  },
};
