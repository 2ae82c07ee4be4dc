import { TestClock } from "../../src/platform/clock";
import { DomainEventBus } from "../../src/platform/events/domainEventBus";
import { silentLogger } from "../../src/platform/logger";
import { databaseWithOneConnection, readsOfSettledCall, type MeasuredDatabase } from "../support/tableReads";

/**
 * Neither events nor deliveries are pruned, and the bus fans out and claims on every wake (the claim once
 * per delivery). Left to the planner, fan-out bitmap-scanned every entry an event fanned out since the last
 * vacuum left in domain_event_new, and after statistics taken during a burst the claim walked the
 * deliveries' primary key past every delivery ever made (migration 1767020000001). Counted by PostgreSQL's
 * statistics of the bus's one connection: a pass over an empty queue reads no index entry and no row.
 */
describe("the domain event bus's reads", () => {
  let measured: MeasuredDatabase;
  const clock = new TestClock("2026-04-01T18:00:00+08:00");

  beforeAll(async () => {
    measured = await databaseWithOneConnection();
  }, 60_000);
  afterAll(() => measured?.close());

  it("read only their partial indexes, in order, whatever the statistics say", async () => {
    const { db, oneConnection } = measured;
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    // No autovacuum in the middle of the test: the dead entries stay as they are between two vacuums.
    for (const t of ["domain_event", "domain_event_delivery"]) await q(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
    const now = clock.now();
    // A burst: 3,000 events waiting to be fanned out, 6,000 deliveries due, seen by an ANALYZE of the deliveries.
    await q(`INSERT INTO domain_event (name, payload, created_at) SELECT 'resignation.resigned_transfers_due', '{}', $1 FROM generate_series(1, 3000)`, [now]);
    await q(`INSERT INTO domain_event_delivery (event_id, subscriber, next_attempt_at) SELECT id, s, $1 FROM domain_event, unnest(ARRAY['a', 'b']) AS s`, [now]);
    await q(`ANALYZE domain_event_delivery`);
    // Then all of it handled.
    await q(`UPDATE domain_event SET fanned_out_at = $1`, [now]);
    await q(`UPDATE domain_event_delivery SET done_at = $1`, [now]);

    const bus = new DomainEventBus({ dataSource: oneConnection, clock, logger: silentLogger() }, 3_600_000);
    await bus.drain(); // an ordered scan marks the dead entries it meets; a later one skips them
    const { result, before, after } = await readsOfSettledCall(measured, ["domain_event", "domain_event_delivery"], () => bus.drain());
    expect(result).toBe(0);
    expect(after).toEqual(before);
  });
});
