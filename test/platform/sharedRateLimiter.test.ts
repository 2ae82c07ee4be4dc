import { TestClock } from "../../src/platform/clock";
import { SharedRateLimiter } from "../../src/platform/rateLimit";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "../support/testDatabase";

/**
 * Issue 16: rate limits were counted per process, so two instances sent twice
 * a robot's 20 messages a minute. Two limiters on one database stand for two
 * instances here (each its own object and its own pool connection).
 */
describe("shared rate limits (PostgreSQL)", () => {
  let db: Database;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  const robot = { count: 20, windowMs: 60_000 };
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(() => db.close());

  it("holds 20 a minute across two instances taking at once, and frees each slot one window after its use", async () => {
    const a = new SharedRateLimiter(db.dataSource, clock);
    const b = new SharedRateLimiter(db.dataSource, clock);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).tryTake("robot:one", robot)));
    expect(results.filter((r) => r.taken)).toHaveLength(20);
    const refused = results.filter((r): r is { taken: false; retryAt: Date } => !r.taken);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(r.retryAt.getTime()).toBe(clock.now().getTime() + 60_000);

    clock.advance(59_999);
    expect((await a.tryTake("robot:one", robot)).taken).toBe(false);
    clock.advance(1);
    expect((await b.tryTake("robot:one", robot)).taken).toBe(true);
    // Another robot has its own 20.
    expect((await b.tryTake("robot:two", robot)).taken).toBe(true);
  });

  it("says to look again shortly when every free slot is locked by another taker, even slots never used yet", async () => {
    const a = new SharedRateLimiter(db.dataSource, clock);
    expect((await a.tryTake("robot:contended", { count: 2, windowMs: 60_000 })).taken).toBe(true);
    const runner = db.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      // Another instance is taking both slots at this instant: the used one and the one still free since '-infinity'.
      await runner.query(`SELECT slot FROM rate_limit_slot WHERE limit_key = 'robot:contended' FOR UPDATE`);
      const result = await a.tryTake("robot:contended", { count: 2, windowMs: 60_000 });
      expect(result).toEqual({ taken: false, retryAt: new Date(clock.now().getTime() + 10) });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await a.tryTake("robot:contended", { count: 2, windowMs: 60_000 })).taken).toBe(true);
  });

  it("is a sliding window: 20 at the end of one minute leave none at the start of the next", async () => {
    const a = new SharedRateLimiter(db.dataSource, clock);
    for (let i = 0; i < 20; i++) expect((await a.tryTake("robot:sliding", robot)).taken).toBe(true);
    clock.advance(30_000);
    expect((await a.tryTake("robot:sliding", robot)).taken).toBe(false);
    clock.advance(30_000);
    expect((await a.tryTake("robot:sliding", robot)).taken).toBe(true);
  });

  it("treats WeCom's 45009 as the whole window spent, for every instance", async () => {
    const a = new SharedRateLimiter(db.dataSource, clock);
    const b = new SharedRateLimiter(db.dataSource, clock);
    expect((await a.tryTake("robot:limited", robot)).taken).toBe(true);
    await a.exhaust("robot:limited", robot);
    const refused = await b.tryTake("robot:limited", robot);
    expect(refused).toEqual({ taken: false, retryAt: new Date(clock.now().getTime() + 60_000) });
  });

  it("waits in acquire() until a slot frees, and makes slots again after another instance pruned the key", async () => {
    const a = new SharedRateLimiter(db.dataSource, clock);
    const b = new SharedRateLimiter(db.dataSource, clock);
    const small = { count: 1, windowMs: 1_000 };
    await a.acquire("api:small", small, async () => undefined);
    const slept: number[] = [];
    await a.acquire("api:small", small, async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    });
    expect(slept).toEqual([1_000]);

    clock.advance(25 * 3600_000);
    expect(await b.prune()).toBeGreaterThan(0);
    // `a` made the slots earlier and remembers them; they are gone now.
    expect((await a.tryTake("api:small", small)).taken).toBe(true);
  });

  it("refuses a limit that could never be met", async () => {
    const a = new SharedRateLimiter(db.dataSource, clock);
    await expect(a.tryTake("x", { count: 0, windowMs: 1000 })).rejects.toThrow("invalid rate limit");
  });
});
