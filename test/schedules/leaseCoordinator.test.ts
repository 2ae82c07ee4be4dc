import type { Database } from "../../src/platform/db/database";
import { PostgresLeaseCoordinator } from "../../src/schedules/leaseCoordinator";
import { silentLogger } from "../../src/platform/logger";
import { Scheduler } from "../../src/schedules/scheduler";
import { createTestDatabase } from "../support/testDatabase";

describe("PostgreSQL run coordinator for node-cron", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it("elects exactly one of many instances per slot", async () => {
    const instances = Array.from({ length: 8 }, (_, i) => new PostgresLeaseCoordinator(db.dataSource, `instance-${i}`));
    const results = await Promise.all(instances.map((c) => c.shouldRun("reminders:2026-03-02T01:00:00.000Z", 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("never reruns a completed slot, but takes over a lease whose holder died", async () => {
    const a = new PostgresLeaseCoordinator(db.dataSource, "a");
    const b = new PostgresLeaseCoordinator(db.dataSource, "b");
    expect(await a.shouldRun("job:slot-1", 60_000)).toBe(true);
    await a.onComplete("job:slot-1");
    await db.dataSource.query(`UPDATE schedule_lease SET expires_at = now() - interval '1 hour'`);
    expect(await b.shouldRun("job:slot-1", 60_000)).toBe(false);

    expect(await a.shouldRun("job:slot-2", 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await b.shouldRun("job:slot-2", 60_000)).toBe(true);
  });

  it("runs a start-up job once across instances started together, not once per instance", async () => {
    let runs = 0;
    const job = { name: "directory-sync", cron: "0 0 */6 * * *", runOnStart: true, run: async () => void (runs += 1) };
    const schedulers = Array.from({ length: 3 }, () => new Scheduler(db.dataSource, silentLogger(), [job]));
    for (const s of schedulers) s.start();
    await new Promise((r) => setTimeout(r, 1_500));
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(runs).toBe(1);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM schedule_lease WHERE slot_key LIKE 'startup:directory-sync:%' AND completed_at IS NOT NULL`);
    expect(n).toBe(1);
  });
});
