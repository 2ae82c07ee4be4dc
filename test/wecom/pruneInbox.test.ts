import type { Database } from "../../src/platform/db/database";
import { pruneInbox } from "../../src/wecom/inbox/pruneInbox";
import { createTestDatabase } from "../support/testDatabase";

describe("inbox retention", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it("prunes handled events past retention and keeps everything still in play", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const day = 86_400_000;
    const rows: [string, string, Date | null][] = [
      ["old-done", "done", new Date(now.getTime() - 40 * day)],
      ["recent-done", "done", new Date(now.getTime() - 5 * day)],
      ["old-dead", "dead", null],
      ["old-pending", "pending", null],
    ];
    for (const [key, status, handledAt] of rows) {
      await db.dataSource.query(
        `INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, next_attempt_at, received_at, handled_at)
         VALUES ($1, 'text', '<xml/>', '{}', $2, $3, $3, $4)`,
        [key, status, new Date(now.getTime() - 60 * day), handledAt],
      );
    }
    expect(await pruneInbox(db.dataSource, now, 30)).toBe(1);
    const left = (await db.dataSource.query(`SELECT dedupe_key FROM wecom_inbox ORDER BY dedupe_key`)).map((r: { dedupe_key: string }) => r.dedupe_key);
    expect(left).toEqual(["old-dead", "old-pending", "recent-done"]);
    expect(await pruneInbox(db.dataSource, now, 30)).toBe(0);
  });
});
