import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { ParentStore, type TimedFollowChange } from "../../src/parents/parentStore";
import type { FollowChange } from "../../src/parents/externalContactTypes";
import { resyncParents, type ParentDirectorySource, type ParentPage } from "../../src/parents/resyncParents";
import { createTestDatabase } from "../support/testDatabase";

describe("parents mirror", () => {
  let db: Database;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const profile = { external_userid: "wmParentA", name: "王妈妈", type: 1 };
  const at = (iso: string) => new Date(iso);

  it("applies add, edit and deletes, and never lets a late event undo a newer one", async () => {
    const store = new ParentStore(db.dataSource.manager);
    await store.apply({ kind: "added_or_edited", profile, follow: { userid: "li", remark: "王同学妈妈", createtime: 1772400000 } }, at("2026-03-01T10:00:00Z"), clock.now());
    await store.apply({ kind: "deleted_by_parent", staffUserid: "li", externalUserid: "wmParentA" }, at("2026-03-01T12:00:00Z"), clock.now());
    // The add is retried by WeCom and arrives late: it must not resurrect the relation.
    await store.apply({ kind: "added_or_edited", profile, follow: { userid: "li" } }, at("2026-03-01T10:00:00Z"), clock.now());
    const [row] = await db.dataSource.query(`SELECT status, remark FROM follow_relation WHERE staff_userid = 'li'`);
    expect(row).toEqual({ status: "deleted_by_parent", remark: "王同学妈妈" });
    await store.apply({ kind: "added_or_edited", profile, follow: { userid: "li", remark: "新备注" } }, at("2026-03-02T08:00:00Z"), clock.now());
    expect(await store.activeParentsOf("li")).toEqual(["wmParentA"]);
    await store.apply({ kind: "deleted_by_staff", staffUserid: "li", externalUserid: "wmParentA", byTransfer: true }, at("2026-03-02T09:00:00Z"), clock.now());
    const [after] = await db.dataSource.query(`SELECT status FROM follow_relation WHERE staff_userid = 'li'`);
    expect(after.status).toBe("transferred_away");
  });

  it("applies a batch of changes in at most four statements, leaving exactly what applying them one by one leaves", async () => {
    // 300 changes on 12 relations (3 teachers × 4 parents), times out of order, some equal: batched for staff b_*, one by one for s_*.
    const changes = (prefix: string): TimedFollowChange[] => {
      let seed = 7; // mulberry32: the same sequence for both prefixes
      const rand = (n: number) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
      };
      return Array.from({ length: 300 }, () => {
        const staff = `${prefix}${rand(3)}`;
        const parent = `wmP${rand(4)}`;
        const eventAt = new Date(Date.UTC(2026, 2, 1, 8, rand(6)));
        const kind = rand(4);
        const change: FollowChange =
          kind === 0 ? { kind: "deleted_by_parent", staffUserid: staff, externalUserid: parent }
          : kind === 1 ? { kind: "deleted_by_staff", staffUserid: staff, externalUserid: parent, byTransfer: rand(2) === 0 }
          : { kind: "added_or_edited", profile: { external_userid: parent, name: `家长${rand(9)}` }, follow: { userid: staff, remark: `备注${rand(9)}`, ...(rand(2) ? { createtime: 1772400000 + rand(5) } : {}), tags: [{ group_name: "班级", tag_name: `${rand(3)}班` }] } };
        return { change, eventAt };
      });
    };
    const rows = async (prefix: string) =>
      (await db.dataSource.query(
        `SELECT substr(staff_userid, 3) AS staff, external_userid, remark, description, tags, add_time, add_way, oper_userid, state, status, last_event_at
           FROM follow_relation WHERE staff_userid LIKE $1 ORDER BY 1, 2`,
        [`${prefix}%`],
      )) as unknown[];
    const one = new ParentStore(db.dataSource.manager);
    for (const c of changes("s_")) await one.apply(c.change, c.eventAt, clock.now());
    const batched = changes("b_");
    // The first 20 make some relations exist before the batch: the batch both updates and inserts.
    await db.dataSource.transaction((m) => new ParentStore(m).applyAll(batched.slice(0, 20), clock.now()));
    const statements = await db.dataSource.transaction(async (m) => {
      const query = jest.spyOn(m, "query");
      await new ParentStore(m).applyAll(batched.slice(20), clock.now());
      return query.mock.calls.map((c) => String(c[0]).trim().split(/\s+/).slice(0, 3).join(" "));
    });
    // Profiles, the relations read and locked, the updates, the inserts: four, whatever the number of events.
    expect(statements).toEqual(["INSERT INTO external_contact", "SELECT f.staff_userid, f.external_userid,", "UPDATE follow_relation AS", "INSERT INTO follow_relation"]);
    expect(await rows("b_")).toEqual(await rows("s_"));
    expect((await rows("b_")).length).toBe(12);
    // Applied again (a redelivered batch), nothing changes.
    await db.dataSource.transaction((m) => new ParentStore(m).applyAll(batched, clock.now()));
    expect(await rows("b_")).toEqual(await rows("s_"));
  });

  it("resyncs in restartable pages: a crash resumes at the saved cursor", async () => {
    const all = Array.from({ length: 250 }, (_, i) => ({
      external_contact: { external_userid: `wmP${String(i).padStart(3, "0")}`, name: `家长${i}` },
      follow_info: { userid: i % 2 === 0 ? "t1" : "t2" },
    }));
    const calls: string[] = [];
    let failOnCursor: string | undefined = "200";
    const source: ParentDirectorySource = {
      async batchGetByUser(_userids, cursor, limit): Promise<ParentPage> {
        calls.push(cursor);
        if (cursor === failOnCursor) {
          failOnCursor = undefined;
          throw new Error("connection reset");
        }
        const start = cursor === "" ? 0 : Number(cursor);
        const end = start + limit;
        return { external_contact_list: all.slice(start, end), next_cursor: end < all.length ? String(end) : "" };
      },
    };
    await expect(resyncParents(db.dataSource, source, ["t1", "t2"], clock, silentLogger())).rejects.toThrow("connection reset");
    const result = await resyncParents(db.dataSource, source, ["t1", "t2"], clock, silentLogger());
    expect(calls).toEqual(["", "100", "200", "200"]);
    expect(result.pages).toBe(1);
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM follow_relation WHERE staff_userid IN ('t1','t2')`);
    expect(count).toBe(250);
    // Finished batches are skipped until the cursors are reset.
    expect((await resyncParents(db.dataSource, source, ["t1", "t2"], clock, silentLogger())).batches).toBe(0);
  });
});
