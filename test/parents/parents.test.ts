import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { ParentStore } from "../../src/parents/parentStore";
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
