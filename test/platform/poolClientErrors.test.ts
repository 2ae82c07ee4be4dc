import type { Database } from "../../src/platform/db/database";
import { pgPool } from "../../src/platform/db/pgPool";
import { keepPoolClientErrorsHandled } from "../../src/platform/db/poolClientErrors";
import { capturedLogger } from "../support/capturedLogger";
import { createTestDatabase } from "../support/testDatabase";

/**
 * A connection ended by PostgreSQL while its client is checked out and between statements (its postmaster killed,
 * an administrator's terminate) reaches the client as an "error" event with no query to fail: without a listener
 * that ended the service (crashRecovery.test, 4 runs of 5 once /readyz was read every 20 ms).
 */
describe("pool clients keep an error listener while checked out", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(3);
  });
  afterAll(() => db.close());

  it("logs a held client's lost connection instead of throwing it, and the pool drops that client when it comes back", async () => {
    const pool = pgPool(db.dataSource);
    const log = capturedLogger();
    keepPoolClientErrorsHandled(pool, log.logger);
    const held = await pool.connect();
    // Held before the guard existed (opened by the DataSource) or after: every client has its listener.
    expect(held.listenerCount("error")).toBeGreaterThanOrEqual(1);
    const pid = (await held.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    const crashes: unknown[] = [];
    const onUncaught = (err: unknown) => crashes.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      await db.dataSource.query("SELECT pg_terminate_backend($1)", [pid]);
      for (let i = 0; i < 100 && !log.lines.some((l) => l.msg === "a database connection was lost"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(crashes).toEqual([]);
      expect(log.lines.find((l) => l.msg === "a database connection was lost")).toMatchObject({ level: 40, err: { code: "57P01" } });
      // The holder's next statement fails; the pool does not lend the broken client again.
      await expect(held.query("SELECT 1")).rejects.toThrow();
      held.release();
      expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
