import { performance } from "node:perf_hooks";
import type { DataSource } from "typeorm";
import { TestClock } from "../src/platform/clock";
import { silentLogger } from "../src/platform/logger";
import { resignationReminderSubjects } from "../src/resignation/reminders/resignationReminders";
import { CLAIM_DUE_REMINDERS, sweepReminders } from "../src/schedules/reminders/reminderSweep";
import type { Bench, BenchCheck, BenchReport } from "./benchTypes";
import { alternate, describeRatio } from "./support/alternate";
import { startBenchDatabase, type BenchDatabase } from "./support/benchDatabase";

const DUE_PER_SWEEP = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SMALL = 1_000;
const LARGE = 100_000;
const TARGET_RATIO = 1.5;
const OPENED = new Date("2026-03-02T10:00:00+08:00");
/** Idle reminders are due far in the future; the due ones exactly at the sweep instant. */
const FAR = new Date("2027-01-01T00:00:00+08:00");

/**
 * Adds `count` open cases, each with an unsigned notice and its reminder,
 * all idle (not due). Cases are inserted in bulk with generate_series: the
 * bench measures the sweep, not the fixture.
 */
async function addIdleCases(dataSource: DataSource, count: number): Promise<void> {
  await dataSource.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '集团', NULL, 'hq', '{1}'), (2, '校区', 1, 'campus', '{1,2}')`);
  await dataSource.query(
    `WITH c AS (
       INSERT INTO resignation_case (id, employee_userid, origin, state, notice_date, requested_last_day, earliest_last_day, last_day,
                                     reason_category, department_id, created_at, updated_at)
       SELECT gen_random_uuid(), 'idle_' || i, 'employee', 'notice_pending_signature', '2026-03-02', '2026-04-01', '2026-04-01', '2026-04-01',
              'family', 2, $2, $2
       FROM generate_series(1, $1::int) i
       RETURNING id, employee_userid)
     , n AS (INSERT INTO resignation_notice (case_id, document, document_sha256) SELECT id, '{}', repeat('0', 64) FROM c)
     INSERT INTO reminder (subject_kind, subject_id, recipient_userid, case_id, department_id, opened_at, next_due_at)
     SELECT 'notice_signature', id::text, employee_userid, id, 2, $2, $3 FROM c`,
    [count, OPENED, FAR],
  );
  await dataSource.query(`ANALYZE`);
}

/** DUE_PER_SWEEP reminders fall due at `at`, spread over the table (every n-th row), not clustered at its start. */
async function makeDue(dataSource: DataSource, at: Date, idle: number, round: number): Promise<void> {
  const stride = Math.floor(idle / DUE_PER_SWEEP);
  await dataSource.query(
    `UPDATE reminder SET next_due_at = $1, done_at = NULL
     WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM reminder WHERE subject_kind = 'notice_signature') r
                  WHERE n % $2 = $3 % $2 LIMIT ${DUE_PER_SWEEP})`,
    [at, stride, round + 1000],
  );
}

/** Wall time of one sweep that sends exactly DUE_PER_SWEEP reminders. */
async function timeSweep(dataSource: DataSource, clock: TestClock, idle: number, round: number): Promise<number> {
  await makeDue(dataSource, clock.now(), idle, round);
  const started = performance.now();
  const result = await sweepReminders({ dataSource, clock, logger: silentLogger() }, resignationReminderSubjects);
  const ms = performance.now() - started;
  if (result.reminded !== DUE_PER_SWEEP) throw new Error(`sweep sent ${result.reminded}, expected ${DUE_PER_SWEEP}`);
  return ms;
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/**
 * The sweep's own claim query (CLAIM_DUE_REMINDERS), explained with the
 * due rows in place: every read of `reminder` must be an index scan that
 * touches no more rows than are due. Timing alone cannot tell a dropped index
 * on a warm 100k-row table; the plan can.
 */
async function checkClaimPlan(dataSource: DataSource, clock: TestClock, idle: number): Promise<BenchCheck> {
  await makeDue(dataSource, clock.now(), idle, 999);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const [row] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM_DUE_REMINDERS}`, [clock.now()]);
    await runner.rollbackTransaction();
    const plan = (row["QUERY PLAN"] as Array<{ Plan: PlanNode }>)[0]!.Plan;
    const reads: PlanNode[] = [];
    walk(plan, (n) => {
      if (n["Relation Name"] === "reminder") reads.push(n);
    });
    const describe = reads
      .map((n) => `${n["Node Type"]}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""}: ${n["Actual Rows"]} rows, ${n["Rows Removed by Filter"] ?? 0} filtered out`)
      .join("; ");
    const bounded = reads.every(
      (n) =>
        (n["Node Type"] === "Index Scan" || n["Node Type"] === "Index Only Scan") &&
        (n["Actual Rows"] ?? Infinity) * (n["Actual Loops"] ?? 1) <= DUE_PER_SWEEP &&
        (n["Rows Removed by Filter"] ?? 0) <= DUE_PER_SWEEP,
    );
    return {
      kind: "target",
      name: `claim query on ${idle.toLocaleString()} open cases reads only the ${DUE_PER_SWEEP} due rows through an index`,
      ok: reads.length > 0 && bounded,
      detail: describe || "no read of reminder in the plan",
    };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
    // Leave the table as the sweeps expect: nothing due until the next round makes rows due.
    await dataSource.query(`UPDATE reminder SET next_due_at = $1 WHERE next_due_at <= $2 AND done_at IS NULL`, [FAR, clock.now()]);
  }
}

/**
 * The reminder sweep's cost must follow the due work, not the number of open
 * cases: the same 100 due reminders among 1,000 and among 100,000 idle cases
 * (two databases side by side), swept alternately A B A B, compared as the
 * median of the per-round ratios (target ≤ 1.5×), and the claim query's plan
 * asserted on the large one.
 */
export const reminderSweepBench: Bench = {
  name: "reminder sweep (100 due among idle cases)",
  async run(): Promise<BenchReport> {
    const dbs: BenchDatabase[] = [];
    try {
      const small = await startBenchDatabase("reminders-small", 4);
      dbs.push(small);
      const large = await startBenchDatabase("reminders-large", 4);
      dbs.push(large);
      await addIdleCases(small.dataSource, SMALL);
      await addIdleCases(large.dataSource, LARGE);
      const clock = new TestClock("2026-03-05T10:00:00+08:00");
      const planCheck = await checkClaimPlan(large.dataSource, clock, LARGE);
      const comparison = await alternate({
        rounds: ROUNDS,
        warmupRounds: 1,
        baseline: async (round) => {
          // One instant per round, shared by both sides: each round's due rows are fresh and nothing else is due.
          clock.advanceHours(1);
          return timeSweep(small.dataSource, clock, SMALL, round);
        },
        subject: (round) => timeSweep(large.dataSource, clock, LARGE, round),
        figure: (ms) => ms,
      });
      const ms = (pick: (r: { baseline: number; subject: number }) => number) =>
        comparison.rounds.map(pick).map((v) => Math.round(v)).join(" / ");
      return {
        rows: [
          { variant: `${SMALL.toLocaleString()} idle cases (baseline)`, values: {}, note: `sweep ms per round: ${ms((r) => r.baseline)}` },
          { variant: `${LARGE.toLocaleString()} idle cases`, values: { ratio: comparison.median }, note: `sweep ms per round: ${ms((r) => r.subject)}` },
        ],
        checks: [
          {
            name: `100k idle cases within ${TARGET_RATIO}× of 1k`,
            ok: comparison.median <= TARGET_RATIO,
            detail: `ratio ${describeRatio(comparison)}`,
            kind: "target",
          },
          planCheck,
        ],
        notes: [`${ROUNDS} rounds after one warm-up, alternating 1k and 100k; each sweep sends ${DUE_PER_SWEEP} reminders (message queued + dossier entry)`],
      };
    } finally {
      for (const db of dbs) await db.stop();
    }
  },
};
