import { InboxKeepsOnlyTheXml1767200000000 } from "../../migrations/1767200000000-InboxKeepsOnlyTheXml";
import type { Database } from "../../src/platform/db/database";
import { parseEvent } from "../../src/wecom/events/parseEvent";
import { claimSql } from "../../src/wecom/inbox/inboxWorker";
import { createTestDatabase } from "../support/testDatabase";
import { externalContactEvent, textMessage } from "./callbackSupport";

/**
 * The event store keeps the XML as received and no parsed copy (issue 20, migration 1767200000000); its down() gives
 * the copy back, parsed from the XML by the route's parser, with the claim and view that read it.
 */
describe("migration dropping the inbox's parsed copy of each event", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  const t = new Date("2026-03-01T01:00:00Z");
  const columns = async () =>
    ((await db.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'wecom_inbox' ORDER BY ordinal_position`)) as { column_name: string }[]).map(
      (r) => r.column_name,
    );
  const viewColumns = async () =>
    ((await db.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'wecom_inbox_with_status' ORDER BY ordinal_position`)) as { column_name: string }[]).map(
      (r) => r.column_name,
    );

  it("down() parses every stored XML back into the column (an unreadable one into {}), and up() drops it again", async () => {
    const text = textMessage("9001", 1767225600, "王老师您好");
    const contact = externalContactEvent("add_external_contact", 1767225600, { ExternalUserID: "wm_parent_1" });
    await db.dataSource.query(
      `INSERT INTO wecom_inbox (id, dedupe_key, kind, raw_xml, received_at) VALUES
         (201, 'k-text', 'text', $1, $4),
         (202, 'k-contact', 'change_external_contact:add_external_contact', $2, $4),
         (203, 'k-unreadable', 'text', $3, $4)`,
      [text, contact, "<xml/>", t],
    );
    await db.dataSource.query(`INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at) VALUES (202, 'pending', 0, $1)`, [t]);
    expect(await columns()).toEqual(["id", "dedupe_key", "kind", "raw_xml", "received_at"]);
    expect(await viewColumns()).not.toContain("payload");

    const runner = db.dataSource.createQueryRunner();
    const migration = new InboxKeepsOnlyTheXml1767200000000();
    try {
      // In a transaction, as the migration runner does (src/platform/db/migrationLock.ts: transaction "each").
      await runner.startTransaction();
      await migration.down(runner);
      await runner.commitTransaction();
      expect(await columns()).toEqual(["id", "dedupe_key", "kind", "raw_xml", "received_at", "payload"]);
      expect(await viewColumns()).toContain("payload");
      expect(await db.dataSource.query(`SELECT id::int, payload FROM wecom_inbox ORDER BY id`)).toEqual([
        { id: 201, payload: JSON.parse(JSON.stringify(parseEvent(text))) },
        { id: 202, payload: JSON.parse(JSON.stringify(parseEvent(contact))) },
        { id: 203, payload: {} },
      ]);
      expect((await db.dataSource.query(`SELECT payload FROM wecom_inbox WHERE id = 202`))[0].payload).toMatchObject({
        type: "change_external_contact",
        changeType: "add_external_contact",
        externalUserId: "wm_parent_1",
      });
      await expect(db.dataSource.query(`INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at) VALUES ('x', 'text', '', now())`)).rejects.toMatchObject({
        column: "payload",
      });
      // The claim of then: the parsed copy by primary key.
      expect(await db.dataSource.query(`SELECT id, kind, payload, attempts FROM wecom_inbox_claim($1, $2, $3)`, [t, new Date(t.getTime() + 60_000), 10])).toEqual([
        { id: "202", kind: "change_external_contact:add_external_contact", payload: JSON.parse(JSON.stringify(parseEvent(contact))), attempts: 1 },
      ]);
      await db.dataSource.query(`UPDATE wecom_inbox_work SET status = 'pending', locked_until = NULL WHERE id = 202`);

      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
      expect(await columns()).toEqual(["id", "dedupe_key", "kind", "raw_xml", "received_at"]);
      expect(await viewColumns()).not.toContain("payload");
      // The worker's claim: the XML, which it parses.
      expect(await db.dataSource.query(claimSql, [t, new Date(t.getTime() + 60_000), 10])).toEqual([
        { id: "202", kind: "change_external_contact:add_external_contact", raw_xml: contact, attempts: 2 },
      ]);
    } finally {
      await runner.release();
    }
  });
});
