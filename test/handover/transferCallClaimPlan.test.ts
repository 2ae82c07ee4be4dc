import { sendPendingCalls, type PendingCall } from "../../src/handover/transfers/callLedger";
import { databaseWithOneConnection, readsOfSettledCall, type MeasuredDatabase } from "../support/tableReads";

/**
 * Transfer calls are taken one at a time, and every answered call leaves its entry in transfer_call_pending
 * until vacuum. Left to the planner, a table never analyzed was read by a bitmap scan of every such entry on
 * each take (migration 1767020000002). Counted by PostgreSQL's statistics of one connection: once the
 * ordered scan has marked them, looking for a call where none is due reads only the entries still pending.
 */
describe("taking the next pending transfer call", () => {
  let measured: MeasuredDatabase;

  beforeAll(async () => {
    measured = await databaseWithOneConnection();
  }, 60_000);
  afterAll(() => measured?.close());

  it("reads only transfer_call_pending, in id order, after thousands of answered calls", async () => {
    const { db, oneConnection } = measured;
    const q = (sql: string) => db.dataSource.query(sql);
    await q(`ALTER TABLE transfer_call SET (autovacuum_enabled = false)`); // the dead entries stay until a vacuum
    await q(`INSERT INTO transfer_call (endpoint, leaver_userid, successor_userid, ids, created_at)
             SELECT 'customer_on_job', 'li_laoshi', 'wang_laoshi', ARRAY['wm_parent_' || n], now() FROM generate_series(1, 3000) AS n`);
    await q(`UPDATE transfer_call SET state = 'answered', errcode = 0, answered_at = now()`);
    await q(`INSERT INTO transfer_call (endpoint, leaver_userid, successor_userid, ids, created_at) VALUES
             ('group_on_job', 'li_laoshi', 'wang_laoshi', '{wr_group}', now()),
             ('customer_resigned', 'li_laoshi', 'wang_laoshi', '{wm_parent_b}', now()),
             ('customer_on_job', 'li_laoshi', 'wang_laoshi', '{wm_parent_c}', now())`);

    const taken: PendingCall[] = [];
    const send = async (manager: Parameters<Parameters<typeof sendPendingCalls>[2]>[0], call: PendingCall) => {
      taken.push(call);
      await manager.query(`UPDATE transfer_call SET state = 'answered' WHERE id = $1`, [call.id]);
    };
    expect(await sendPendingCalls(oneConnection, ["customer_on_job", "customer_resigned"], send)).toBe(2);
    expect(taken.map((c) => c.ids)).toEqual([["wm_parent_b"], ["wm_parent_c"]]); // in id order, only the endpoints asked for

    await sendPendingCalls(oneConnection, ["customer_on_job", "customer_resigned"], send); // marks the two just answered
    // At most the entries of the three calls queued last (the group call still pending is stepped over),
    // never the 3,000 answered before them; no row read by a scan of the table.
    const { result, before, after } = await readsOfSettledCall(
      measured,
      ["transfer_call"],
      () => sendPendingCalls(oneConnection, ["customer_on_job", "customer_resigned"], send),
      (b, a) => a.heap_rows_scanned === b.heap_rows_scanned && a.index_entries - b.index_entries <= 3,
    );
    expect(result).toBe(0);
    expect(after.heap_rows_scanned).toBe(before.heap_rows_scanned);
    expect(after.index_entries - before.index_entries).toBeGreaterThanOrEqual(1);
    expect(after.index_entries - before.index_entries).toBeLessThanOrEqual(3);
  });
});
