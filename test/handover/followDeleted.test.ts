import type { Database } from "../../src/platform/db/database";
import { recordFollowDeleted, recordFollowsDeleted } from "../../src/handover/health/healthStore";
import { createTestDatabase } from "../support/testDatabase";

describe("a parent deleting their successor (del_follow_user), many events in one statement", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const T = Date.parse("2026-03-02T02:00:00Z");
  const h = (hours: number) => new Date(T + hours * 3_600_000);
  /** The same parent handed to s1 twice (from two leavers, two hours apart), another parent already marked lost. */
  const seed = async (prefix: string) => {
    await db.dataSource.query(
      `INSERT INTO handover_parent_health (leaver_userid, external_userid, successor_userid, handed_over_at, transfer_status, follow_deleted_at, updated_at)
       VALUES ($1 || 'L1', 'p1', $1 || 's1', $2, 'accepted', NULL, $2), ($1 || 'L2', 'p1', $1 || 's1', $3, 'accepted', NULL, $3),
              ($1 || 'L1', 'p2', $1 || 's1', $2, 'accepted', $4, $2), ($1 || 'L1', 'p3', $1 || 's2', $2, 'accepted', NULL, $2)`,
      [prefix, h(0), h(2), h(0.5)],
    );
  };
  const events = (prefix: string) => [
    { successorUserid: `${prefix}s1`, externalUserid: "p1", at: h(1) }, // only the first handover's row was handed over by then
    { successorUserid: `${prefix}s1`, externalUserid: "p2", at: h(1) }, // already marked: stays as it was
    { successorUserid: `${prefix}s1`, externalUserid: "p1", at: h(3) }, // the second handover's row takes this one
    { successorUserid: `${prefix}s1`, externalUserid: "p1", at: h(4) }, // both marked by now: nothing
    { successorUserid: `${prefix}s2`, externalUserid: "p3", at: h(-1) }, // before the handover: not this row's loss
  ];
  const rows = async (prefix: string) =>
    db.dataSource.query(
      `SELECT substr(leaver_userid, 3) AS leaver, external_userid, follow_deleted_at, updated_at FROM handover_parent_health WHERE leaver_userid LIKE $1 ORDER BY 1, 2`,
      [`${prefix}%`],
    );

  it("marks each inherited parent with the first event that applies to it, as one statement per event would", async () => {
    await seed("o_");
    for (const e of events("o_")) await recordFollowDeleted(db.dataSource.manager, e.successorUserid, e.externalUserid, e.at);
    await seed("b_");
    await recordFollowsDeleted(db.dataSource.manager, events("b_"));
    expect(await rows("b_")).toEqual(await rows("o_"));
    expect((await rows("b_")).map((r: { follow_deleted_at: Date | null }) => r.follow_deleted_at)).toEqual([h(1), h(0.5), null, h(3)]);
  });
});
