import { ensureArchivePartitions, purgeExpiredArchive } from "../../src/conversations/archive/archivePartitions";
import { silentLogger } from "../../src/platform/logger";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "../support/testDatabase";

describe("archive partitions", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const insert = (msgid: string, at: string) =>
    db.dataSource.query(
      `WITH id AS (INSERT INTO archive_msgid (msgid, msg_time, seq) VALUES ($1, $2, 1))
       INSERT INTO archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, msg_time, body_ciphertext, body_key_id)
       VALUES ($1, 1, 1, 'send', 'text', 't', '{wmA}', $2, '\\x00', 'k1')`,
      [msgid, at],
    );
  const partitionOf = async (msgid: string) =>
    (await db.dataSource.query(`SELECT tableoid::regclass::text AS p FROM archive_message WHERE msgid = $1`, [msgid]))[0]?.p;

  it("creates months around now and moves early arrivals out of the default partition", async () => {
    expect(await ensureArchivePartitions(db.dataSource, new Date("2026-03-15T00:00:00Z"))).toEqual([
      "archive_message_2026_02",
      "archive_message_2026_03",
      "archive_message_2026_04",
    ]);
    expect(await ensureArchivePartitions(db.dataSource, new Date("2026-03-15T00:00:00Z"))).toEqual([]);
    await insert("now", "2026-03-02T01:00:00Z");
    await insert("future", "2026-07-10T00:00:00Z");
    expect(await partitionOf("now")).toBe("archive_message_2026_03");
    expect(await partitionOf("future")).toBe("archive_message_default");
    await ensureArchivePartitions(db.dataSource, new Date("2026-07-01T00:00:00Z"));
    expect(await partitionOf("future")).toBe("archive_message_2026_07");
  });

  it("drops whole months past retention and logs what it purged", async () => {
    await db.dataSource.query(`SELECT archive_ensure_month_partition('2023-01-01')`);
    await insert("old1", "2023-01-05T00:00:00Z");
    await insert("old2", "2023-01-25T00:00:00Z");
    await insert("straggler", "2022-06-01T00:00:00Z"); // no partition: default
    const purged = await purgeExpiredArchive(db.dataSource, new Date("2026-03-02T00:00:00Z"), 365, silentLogger());
    expect(purged.map((p) => [p.partitionName, p.rowsPurged])).toEqual([
      ["archive_message_2023_01", 2],
      ["archive_message_default", 1],
    ]);
    expect(await db.dataSource.query(`SELECT to_regclass('archive_message_2023_01') AS t`)).toEqual([{ t: null }]);
    const left = await db.dataSource.query(`SELECT msgid FROM archive_msgid ORDER BY msgid`);
    expect(left.map((r: { msgid: string }) => r.msgid)).toEqual(["future", "now"]);
    const log = await db.dataSource.query(`SELECT partition_name, rows_purged::int FROM archive_purge_log ORDER BY id`);
    expect(log).toEqual([
      { partition_name: "archive_message_2023_01", rows_purged: 2 },
      { partition_name: "archive_message_default", rows_purged: 1 },
    ]);
    expect(await partitionOf("now")).toBe("archive_message_2026_03");
  });
});
