import { performance } from "node:perf_hooks";
import type { DataSource } from "typeorm";
import { TestClock } from "../src/platform/clock";
import { silentLogger } from "../src/platform/logger";
import { resignationReminderSubjects } from "../src/resignation/reminders/resignationReminders";
import { sweepReminders } from "../src/schedules/reminders/reminderSweep";
import type { Bench, BenchReport } from "./benchTypes";
import { startBenchDatabase } from "./support/benchDatabase";

const DUE_PER_SWEEP = 100;
const RUNS = 5;
const SMALL = 1_000;
const LARGE = 100_000;
const OPENED = new Date("2026-03-02T10:00:00+08:00");
/** Idle reminders are due far in the future; the due ones exactly at the sweep instant. */
const FAR = new Date("2027-01-01T00:00:00+08:00");

/**
 * Adds `count` open cases, each with an unsigned notice and its reminder,
 * all idle (not due). Cases are inserted in bulk with generate_series: the
 * bench measures the sweep, not the fixture.
 */
async function addIdleCases(dataSource: DataSource, from: number, count: number): Promise<void> {
  await dataSource.query(
    `WITH c AS (
       INSERT INTO resignation_case (id, employee_userid, origin, state, notice_date, requested_last_day, earliest_last_day, last_day,
                                     reason_category, department_id, created_at, updated_at)
       SELECT gen_random_uuid(), 'idle_' || i, 'employee', 'notice_pending_signature', '2026-03-02', '2026-04-01', '2026-04-01', '2026-04-01',
              'family', 2, $3, $3
       FROM generate_series($1::int, $1::int + $2::int - 1) i
       RETURNING id, employee_userid)
     , n AS (INSERT INTO resignation_notice (case_id, document, document_sha256) SELECT id, '{}', repeat('0', 64) FROM c)
     INSERT INTO reminder (subject_kind, subject_id, recipient_userid, case_id, department_id, opened_at, next_due_at)
     SELECT 'notice_signature', id::text, employee_userid, id, 2, $3, $4 FROM c`,
    [from, count, OPENED, FAR],
  );
}

async function makeDue(dataSource: DataSource, at: Date): Promise<void> {
  await dataSource.query(
    `UPDATE reminder SET next_due_at = $1, done_at = NULL
     WHERE id IN (SELECT id FROM reminder WHERE subject_kind = 'notice_signature' ORDER BY id LIMIT ${DUE_PER_SWEEP})`,
    [at],
  );
}

/** Median wall time of a sweep that sends DUE_PER_SWEEP reminders among all the idle ones. */
async function timeSweeps(dataSource: DataSource, clock: TestClock): Promise<number> {
  const samples: number[] = [];
  // The first sweep warms caches and the JIT; it is not measured.
  for (let run = -1; run < RUNS; run++) {
    clock.advanceHours(1);
    await makeDue(dataSource, clock.now());
    const started = performance.now();
    const result = await sweepReminders({ dataSource, clock, logger: silentLogger() }, resignationReminderSubjects);
    if (run >= 0) samples.push(performance.now() - started);
    if (result.reminded !== DUE_PER_SWEEP) throw new Error(`sweep sent ${result.reminded}, expected ${DUE_PER_SWEEP}`);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/**
 * The reminder sweep's cost must follow the due work, not the number of open
 * cases: the same 100 due reminders among 1,000 and among 100,000 idle cases,
 * in one run, compared as a ratio (target ≤ 1.5×).
 */
export const reminderSweepBench: Bench = {
  name: "reminder sweep (100 due among idle cases)",
  async run(): Promise<BenchReport> {
    const db = await startBenchDatabase("reminders", 4);
    try {
      const { dataSource } = db;
      await dataSource.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '集团', NULL, 'hq', '{1}'), (2, '校区', 1, 'campus', '{1,2}')`);
      const clock = new TestClock("2026-03-05T10:00:00+08:00");
      await addIdleCases(dataSource, 0, SMALL);
      await dataSource.query(`ANALYZE`);
      const small = await timeSweeps(dataSource, clock);
      await addIdleCases(dataSource, SMALL, LARGE - SMALL);
      await dataSource.query(`ANALYZE`);
      const large = await timeSweeps(dataSource, clock);
      const ratio = large / small;
      return {
        rows: [
          { variant: `${SMALL.toLocaleString()} idle cases`, values: { "sweep ms": Math.round(small) } },
          { variant: `${LARGE.toLocaleString()} idle cases`, values: { "sweep ms": Math.round(large), ratio } },
        ],
        checks: [{ name: "100k idle cases within 1.5× of 1k", ok: ratio <= 1.5, detail: `ratio ${ratio.toFixed(2)}`, kind: "target" }],
        notes: [`median of ${RUNS} sweeps, each sending ${DUE_PER_SWEEP} reminders (message queued + dossier entry)`],
      };
    } finally {
      await db.stop();
    }
  },
};
