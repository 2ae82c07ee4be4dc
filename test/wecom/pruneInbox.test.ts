import type { Database } from "../../src/platform/db/database";
import { pruneInbox } from "../../src/wecom/inbox/pruneInbox";
import { createTestDatabase } from "../support/testDatabase";

describe("inbox retention", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  /** Events stored in this order (ids in arrival order), each with its work row unless done. */
  const store = async (rows: [key: string, status: "done" | "pending" | "dead" | "processing", receivedDaysAgo: number][], now: Date) => {
    for (const [key, status, daysAgo] of rows) {
      const receivedAt = new Date(now.getTime() - daysAgo * 86_400_000);
      const [{ id }] = await db.dataSource.query(
        `INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at) VALUES ($1, 'text', '<xml/>', $2) RETURNING id`,
        [key, receivedAt],
      );
      if (status !== "done") {
        await db.dataSource.query(
          `INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at, locked_until) VALUES ($1, $2, 1, $3, $4)`,
          [id, status, receivedAt, status === "processing" ? now : null],
        );
      }
    }
  };
  const left = async () => (await db.dataSource.query(`SELECT dedupe_key FROM wecom_inbox ORDER BY id`)).map((r: { dedupe_key: string }) => r.dedupe_key);

  it("prunes handled events received before the retention period and keeps everything still in play", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    await store(
      [
        ["old-dead", "dead", 60],
        ["old-done", "done", 40],
        ["old-pending", "pending", 35],
        ["old-processing", "processing", 32],
        ["old-done-2", "done", 31],
        ["recent-done", "done", 5],
        ["recent-pending", "pending", 1],
      ],
      now,
    );
    expect(await pruneInbox(db.dataSource, now, 30)).toBe(2);
    expect(await left()).toEqual(["old-dead", "old-pending", "old-processing", "recent-done", "recent-pending"]);
    expect(await pruneInbox(db.dataSource, now, 30)).toBe(0);
    expect(await pruneInbox(db.dataSource, new Date(now.getTime() + 30 * 86_400_000), 30)).toBe(1);
    expect(await left()).toEqual(["old-dead", "old-pending", "old-processing", "recent-pending"]);
  });
});
