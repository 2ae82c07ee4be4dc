import { TestClock } from "../../src/platform/clock";
import { queueDueCustomerTransfers } from "../../src/handover/transfers/customerTransfers";
import { databaseWithOneConnection, readsOfSettledCall, type MeasuredDatabase } from "../support/tableReads";
import { handoverObjects } from "./harness";

/**
 * The lifecycle asks which transfer group is due next every 2 minutes, and customer_transfer keeps every
 * transfer ever made. After statistics taken while thousands waited to be queued, the question walked the
 * primary key past all of them on every pass (migration 1767020000003). Counted by PostgreSQL's statistics
 * of one connection: once the queue is empty, asking again reads no index entry and no row.
 */
describe("the next due customer transfer group", () => {
  let measured: MeasuredDatabase;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");

  beforeAll(async () => {
    measured = await databaseWithOneConnection();
  }, 60_000);
  afterAll(() => measured?.close());

  it("is read through customer_transfer_due alone, whatever the statistics say", async () => {
    const { db, oneConnection } = measured;
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    await q(`ALTER TABLE customer_transfer SET (autovacuum_enabled = false)`); // the dead entries stay until a vacuum
    const now = clock.now();
    await q(
      `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, requested_at, updated_at)
       SELECT 'li_laoshi', 'wang_laoshi', 'wm_parent_' || n, 'on_job', 'requested', $1, $1 FROM generate_series(1, 3000) AS n`,
      [now],
    );
    await q(`ANALYZE customer_transfer`); // the statistics see 3,000 transfers waiting to be queued
    const [{ id: callId }] = await q(
      `INSERT INTO transfer_call (endpoint, leaver_userid, successor_userid, ids, state, created_at) VALUES ('customer_on_job', 'li_laoshi', 'wang_laoshi', '{}', 'answered', $1) RETURNING id`,
      [now],
    );
    await q(`UPDATE customer_transfer SET call_id = $1, status = 'done'`, [callId]); // then all were queued and done

    // Nothing is due, so nothing reaches WeCom: the client's address is never used.
    const { deps } = handoverObjects(oneConnection, clock, "http://127.0.0.1:9");
    expect(await queueDueCustomerTransfers(deps)).toBe(0); // an ordered scan marks the dead entries it meets
    const { result, before, after } = await readsOfSettledCall(measured, ["customer_transfer"], () => queueDueCustomerTransfers(deps));
    expect(result).toBe(0);
    expect(after).toEqual(before);
  });
});
