import { InboxWorkTable1767100000000 } from "../../migrations/1767100000000-InboxWorkTable";
import { InboxTakeOnStart1767100000001 } from "../../migrations/1767100000001-InboxTakeOnStart";
import { InboxWritesJoinInLinearTime1767100000002 } from "../../migrations/1767100000002-InboxWritesJoinInLinearTime";
import { InboxKeepsOnlyTheXml1767200000000 } from "../../migrations/1767200000000-InboxKeepsOnlyTheXml";
import type { Database } from "../../src/platform/db/database";
import { claimSql, doneSql, failedSql, handBackSql, takeSql } from "../../src/wecom/inbox/inboxWorker";
import { createTestDatabase } from "../support/testDatabase";

/**
 * The move of the inbox's work state into its own table (issue 20) keeps every event and the state of every one not
 * done, and its down() gives back the old columns, indexes, CHECK and functions with the same rows.
 */
describe("migration of the inbox's work state to wecom_inbox_work", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  const t = (iso: string) => new Date(`2026-03-01T${iso}Z`);
  const columns = async (table: string) =>
    ((await db.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])) as { column_name: string }[]).map(
      (r) => r.column_name,
    );
  const indexes = async (table: string) =>
    ((await db.dataSource.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname`, [table])) as { indexname: string; indexdef: string }[]).map(
      (r) => `${r.indexname}: ${r.indexdef.replace(/^.* USING /, "")}`,
    );

  it("moves every row not done with its state, and down() restores the old shape with the same rows", async () => {
    const runner = db.dataSource.createQueryRunner();
    // In a transaction each, as the migration runner does (src/platform/db/migrationLock.ts: transaction "each"), with
    // the migrations after it (1767100000001 and …002, its worker functions; 1767200000000, which drops the parsed
    // copy of each event) undone first and redone after it.
    const migration = {
      async up(q: typeof runner) {
        for (const m of [new InboxWorkTable1767100000000(), new InboxTakeOnStart1767100000001(), new InboxWritesJoinInLinearTime1767100000002(), new InboxKeepsOnlyTheXml1767200000000()]) {
          await q.startTransaction();
          await m.up(q);
          await q.commitTransaction();
        }
      },
      async down(q: typeof runner) {
        for (const m of [new InboxKeepsOnlyTheXml1767200000000(), new InboxWritesJoinInLinearTime1767100000002(), new InboxTakeOnStart1767100000001(), new InboxWorkTable1767100000000()]) {
          await q.startTransaction();
          await m.down(q);
          await q.commitTransaction();
        }
      },
    };
    try {
      await migration.down(runner);
      expect(await columns("wecom_inbox")).toEqual([
        "id", "dedupe_key", "kind", "raw_xml", "received_at", "payload", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "handled_at",
      ]);
      // One row in every state, as the previous code left them.
      await db.dataSource.query(
        `INSERT INTO wecom_inbox (id, dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, locked_until, last_error, received_at, handled_at) VALUES
         (101, 'k-done', 'text', '<xml>done</xml>', '{"type":"text","msgId":"1"}', 'done', 1, $1, NULL, NULL, $1, $2),
         (102, 'k-pending', 'text', '<xml>pending</xml>', '{"type":"text","msgId":"2"}', 'pending', 2, $3, NULL, 'WeCom busy', $1, NULL),
         (103, 'k-processing', 'change_external_contact:add_external_contact', '<xml>processing</xml>', '{"type":"change_external_contact"}', 'processing', 1, $1, $4, NULL, $1, NULL),
         (104, 'k-dead', 'text', '<xml>dead</xml>', '{"type":"text","msgId":"4"}', 'dead', 8, $3, NULL, 'cannot parse', $1, NULL)`,
        [t("01:00:00"), t("01:00:05"), t("02:00:00"), t("01:01:00")],
      );

      await migration.up(runner);
      expect(await columns("wecom_inbox")).toEqual(["id", "dedupe_key", "kind", "raw_xml", "received_at"]);
      expect(await indexes("wecom_inbox")).toEqual(["wecom_inbox_dedupe_key_key: btree (dedupe_key)", "wecom_inbox_pkey: btree (id)"]);
      expect(await indexes("wecom_inbox_work")).toEqual([
        "wecom_inbox_work_dead_idx: btree (id) WHERE (status = 'dead'::text)",
        "wecom_inbox_work_pending_idx: btree (next_attempt_at) WHERE (status = 'pending'::text)",
        "wecom_inbox_work_pkey: btree (id)",
        "wecom_inbox_work_processing_idx: btree (locked_until) WHERE (locked_until IS NOT NULL)",
      ]);
      expect(await db.dataSource.query(`SELECT id::int, dedupe_key, kind, raw_xml, received_at FROM wecom_inbox ORDER BY id`)).toEqual([
        { id: 101, dedupe_key: "k-done", kind: "text", raw_xml: "<xml>done</xml>", received_at: t("01:00:00") },
        { id: 102, dedupe_key: "k-pending", kind: "text", raw_xml: "<xml>pending</xml>", received_at: t("01:00:00") },
        { id: 103, dedupe_key: "k-processing", kind: "change_external_contact:add_external_contact", raw_xml: "<xml>processing</xml>", received_at: t("01:00:00") },
        { id: 104, dedupe_key: "k-dead", kind: "text", raw_xml: "<xml>dead</xml>", received_at: t("01:00:00") },
      ]);
      expect(await db.dataSource.query(`SELECT id::int, status, attempts, next_attempt_at, locked_until, last_error FROM wecom_inbox_work ORDER BY id`)).toEqual([
        { id: 102, status: "pending", attempts: 2, next_attempt_at: t("02:00:00"), locked_until: null, last_error: "WeCom busy" },
        { id: 103, status: "processing", attempts: 1, next_attempt_at: t("01:00:00"), locked_until: t("01:01:00"), last_error: null },
        { id: 104, status: "dead", attempts: 8, next_attempt_at: t("02:00:00"), locked_until: null, last_error: "cannot parse" },
      ]);
      expect(await db.dataSource.query(`SELECT id::int, status FROM wecom_inbox_with_status ORDER BY id`)).toEqual([
        { id: 101, status: "done" },
        { id: 102, status: "pending" },
        { id: 103, status: "processing" },
        { id: 104, status: "dead" },
      ]);
      // The new functions on the moved rows: the expired lease first, then the pending row once due; never the dead one.
      const claim = (at: string) => db.dataSource.query(claimSql, [t(at), t("03:00:00"), 10]);
      expect(await claim("01:30:00")).toEqual([{ id: "103", kind: "change_external_contact:add_external_contact", raw_xml: "<xml>processing</xml>", attempts: 2 }]);
      expect(await claim("02:00:00")).toEqual([{ id: "102", kind: "text", raw_xml: "<xml>pending</xml>", attempts: 3 }]);
      expect(await db.dataSource.query(failedSql, [103, 2, 8, t("04:00:00"), "busy again"])).toEqual([{ status: "pending" }]);
      expect(await db.dataSource.query(handBackSql, [[102], [3]])).toEqual([{ handed_back: 1 }]);
      expect(await claim("02:00:00")).toEqual([{ id: "102", kind: "text", raw_xml: "<xml>pending</xml>", attempts: 3 }]);
      // Taken in a transaction that rolls back (a handler failed): still there, still in hand; taken again and kept.
      await runner.startTransaction();
      expect(await runner.query(takeSql, [[102, 103, 104], [3, 2, 8]])).toEqual([{ id: "102" }]);
      await runner.rollbackTransaction();
      expect(await db.dataSource.query(takeSql, [[102, 104], [3, 8]])).toEqual([{ id: "102" }]);
      expect(await db.dataSource.query(doneSql, [[102, 104], [3, 8]])).toEqual([{ done: 0 }]);
      expect(await db.dataSource.query(`SELECT id::int, status, attempts, last_error FROM wecom_inbox_with_status ORDER BY id`)).toEqual([
        { id: 101, status: "done", attempts: null, last_error: null },
        { id: 102, status: "done", attempts: null, last_error: null },
        { id: 103, status: "pending", attempts: 2, last_error: "busy again" },
        { id: 104, status: "dead", attempts: 8, last_error: "cannot parse" },
      ]);
      // And one row in hand, to go back down with every state.
      expect(await claim("04:00:00")).toEqual([{ id: "103", kind: "change_external_contact:add_external_contact", raw_xml: "<xml>processing</xml>", attempts: 3 }]);

      await migration.down(runner);
      expect(await columns("wecom_inbox")).toEqual([
        "id", "dedupe_key", "kind", "raw_xml", "received_at", "payload", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "handled_at",
      ]);
      expect(await indexes("wecom_inbox")).toEqual([
        "wecom_inbox_dead_idx: btree (id) WHERE (status = 'dead'::text)",
        "wecom_inbox_dedupe_key_key: btree (dedupe_key)",
        "wecom_inbox_done_idx: btree (handled_at) WHERE (status = 'done'::text)",
        "wecom_inbox_pending_idx: btree (next_attempt_at) WHERE (status = 'pending'::text)",
        "wecom_inbox_pkey: btree (id)",
        "wecom_inbox_processing_idx: btree (locked_until) WHERE (locked_until IS NOT NULL)",
      ]);
      expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('wecom_inbox_work', 'wecom_inbox_with_status')`)).toEqual([{ n: 0 }]);
      // Done events: handled when received (when is not kept), due then; the rest as the work rows had them.
      expect(await db.dataSource.query(`SELECT id::int, status, attempts, next_attempt_at, locked_until, last_error, handled_at FROM wecom_inbox ORDER BY id`)).toEqual([
        { id: 101, status: "done", attempts: 0, next_attempt_at: t("01:00:00"), locked_until: null, last_error: null, handled_at: t("01:00:00") },
        { id: 102, status: "done", attempts: 0, next_attempt_at: t("01:00:00"), locked_until: null, last_error: null, handled_at: t("01:00:00") },
        { id: 103, status: "processing", attempts: 3, next_attempt_at: t("04:00:00"), locked_until: t("03:00:00"), last_error: "busy again", handled_at: null },
        { id: 104, status: "dead", attempts: 8, next_attempt_at: t("02:00:00"), locked_until: null, last_error: "cannot parse", handled_at: null },
      ]);
      // The old CHECK and the old functions are back (the done function took a handled time then).
      await expect(
        db.dataSource.query(`INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, next_attempt_at, received_at) VALUES ('x', 'text', '', '{}', 'processing', now(), now())`),
      ).rejects.toMatchObject({ constraint: "wecom_inbox_leased_while_processing" });
      await expect(
        db.dataSource.query(`INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, next_attempt_at, received_at) VALUES ('x', 'text', '', '{}', 'gone', now(), now())`),
      ).rejects.toMatchObject({ constraint: "wecom_inbox_status_check" });
      expect(await db.dataSource.query(`SELECT wecom_inbox_done($1, $2, $3) AS done`, [[103], [3], t("05:00:00")])).toEqual([{ done: 1 }]);
      await db.dataSource.query(`UPDATE wecom_inbox SET status = 'pending', attempts = 1, next_attempt_at = $1 WHERE id = 103`, [t("05:00:00")]);
      // The claim of then returned the parsed copy, put back by 1767200000000's down() from the XML ("<xml>processing</xml>"
      // does not parse: {}, as an unknown event; inboxXmlOnlyMigration.test.ts has the real XML).
      expect(await db.dataSource.query(`SELECT id, kind, payload, attempts FROM wecom_inbox_claim($1, $2, $3)`, [t("05:00:00"), t("06:00:00"), 10])).toEqual([
        { id: "103", kind: "change_external_contact:add_external_contact", payload: {}, attempts: 2 },
      ]);

      // Up again, for the rest of this database's life (and a second up on rows that went down and back).
      await migration.up(runner);
      expect(await db.dataSource.query(`SELECT id::int, status, attempts FROM wecom_inbox_with_status ORDER BY id`)).toEqual([
        { id: 101, status: "done", attempts: null },
        { id: 102, status: "done", attempts: null },
        { id: 103, status: "processing", attempts: 2 },
        { id: 104, status: "dead", attempts: 8 },
      ]);
    } finally {
      await runner.release();
    }
  });
});
