import { claimDueMedia } from "../../src/conversations/media/mediaRows";
import { databaseWithOneConnection, readsOfSettledCall, type MeasuredDatabase } from "../support/tableReads";

/**
 * Every fetched media file leaves archive_media_due, its entry staying until vacuum. Left to the planner, a
 * table never analyzed was claimed from by a bitmap scan of every such entry, on every claim (migration
 * 1767020000004). Counted by PostgreSQL's statistics of one connection: once the ordered scan has marked
 * them, a claim over an empty queue reads no index entry and no row.
 */
describe("claiming due media", () => {
  let measured: MeasuredDatabase;

  beforeAll(async () => {
    measured = await databaseWithOneConnection();
  }, 60_000);
  afterAll(() => measured?.close());

  it("reads only archive_media_due after thousands of files left it, and claims only what is due", async () => {
    const { db, oneConnection } = measured;
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    await q(`ALTER TABLE archive_media SET (autovacuum_enabled = false)`); // the dead entries stay until a vacuum
    const now = new Date("2026-03-02T01:00:00Z");
    const row = `INSERT INTO archive_media (msgid, sdkfileid, msg_time, msgtype, expected_size, next_attempt_at, created_at)`;
    await q(`${row} SELECT 'old_' || n, 'f', $1, 'image', 10, $1, $1 FROM generate_series(1, 3000) AS n`, [now]);
    await q(`UPDATE archive_media SET status = 'dead', attempts = 5`); // they left the queue
    await q(`${row} VALUES ('later', 'f', $1, 'image', 20, $2, $1), ('sooner', 'f', $1, 'image', 30, $1, $1), ('not_yet', 'f', $1, 'image', 40, $3, $1)`, [
      now,
      new Date(now.getTime() + 1_000),
      new Date(now.getTime() + 3_600_000),
    ]);

    const claimAt = new Date(now.getTime() + 60_000);
    const claimed = await claimDueMedia(oneConnection, claimAt, 10, 600_000);
    expect(claimed.map((m) => [m.msgid, m.expectedSize]).sort()).toEqual([["later", 20], ["sooner", 30]]);
    expect(await q(`SELECT msgid, next_attempt_at FROM archive_media WHERE msgid IN ('later', 'sooner') ORDER BY msgid`)).toEqual([
      { msgid: "later", next_attempt_at: new Date(claimAt.getTime() + 600_000) },
      { msgid: "sooner", next_attempt_at: new Date(claimAt.getTime() + 600_000) },
    ]);

    await q(`UPDATE archive_media SET status = 'dead' WHERE msgid IN ('later', 'sooner')`);
    await claimDueMedia(oneConnection, claimAt, 10, 600_000); // an ordered scan marks the dead entries it meets
    const { result, before, after } = await readsOfSettledCall(measured, ["archive_media"], () => claimDueMedia(oneConnection, claimAt, 10, 600_000));
    expect(result).toEqual([]);
    expect(after).toEqual(before);
  });
});
