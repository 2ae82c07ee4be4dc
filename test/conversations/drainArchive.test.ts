import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ArchiveFanout, type ArchivedChat } from "../../src/conversations/archive/archiveFanout";
import { recordRoomConsent, recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { drainArchive, ArchiveDrainer, type ArchiveIngestDeps } from "../../src/conversations/archive/drainArchive";
import { InlineRandomKeyDecryptor } from "../../src/wecom/archive/randomKeyDecryptor";
import { readArchivedMessages } from "../../src/conversations/archive/readArchivedMessages";
import { reencryptArchiveBodies } from "../../src/conversations/archive/reencryptArchive";
import { replayDeadLetters } from "../../src/conversations/archive/replayDeadLetters";
import { SandboxFeedSource } from "../../src/wecom/archive/sandboxFeedSource";
import type { ChatDataRecord } from "../../src/wecom/archive/archiveSource";
import { TestClock } from "../../src/platform/clock";
import { DataKeyRing } from "../../src/platform/dataProtection/keyRing";
import { silentLogger } from "../../src/platform/logger";
import type { Database } from "../../src/platform/db/database";
import { createTestDatabase } from "../support/testDatabase";
import { agree, chatRecord, MemoryArchiveSource, recall, rsaPair, text } from "./support/archiveFixtures";

const CORP = "ww-test";
const T0 = Date.parse("2026-03-02T09:00:00+08:00");
const pair = rsaPair();
const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe("archive drain", () => {
  let db: Database;
  const clock = new TestClock();

  beforeAll(async () => {
    db = await createTestDatabase();
    const at = new Date(T0 - 86_400_000);
    await recordSingleConsent(
      db.dataSource.manager,
      ["t_zhang", "t_li"].flatMap((staff) =>
        ["wmA", "wmB"].map((ext) => ({ staffUserid: staff, externalUserid: ext, status: "agree" as const, changedAt: at, source: "check_single_agree" as const })),
      ),
      at,
    );
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE archive_message, archive_msgid, archive_cursor, archive_dead_letter`);
  });

  function deps(source: ArchiveIngestDeps["source"], keyRing = new DataKeyRing({ k1 }, "k1"), fanout = new ArchiveFanout(silentLogger())): ArchiveIngestDeps {
    return {
      dataSource: db.dataSource,
      source,
      randomKeys: new InlineRandomKeyDecryptor(new Map([[1, pair.privateKey]])),
      keyRing,
      fanout,
      clock,
      logger: silentLogger(),
      corpId: CORP,
    };
  }

  const chats = (n: number, from = 1) =>
    Array.from({ length: n }, (_, i) => chatRecord(from + i, text(`m${from + i}`, "t_zhang", ["wmA"], `第${from + i}条`, { at: T0 + (from + i) * 1000 }), pair.publicKey));

  const counts = async () => {
    const [row] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM archive_message)::int AS rows, (SELECT count(DISTINCT msgid) FROM archive_message)::int AS unique_ids,
              (SELECT last_seq FROM archive_cursor WHERE corp_id = $1)::int AS cursor`,
      [CORP],
    );
    return row as { rows: number; unique_ids: number; cursor: number };
  };

  it("drains page by page until empty and fans out each stored message once, in order", async () => {
    const fanout = new ArchiveFanout(silentLogger());
    const seen: ArchivedChat[] = [];
    fanout.subscribe((c) => void seen.push(c));
    const source = new MemoryArchiveSource(chats(25));
    const report = await drainArchive(deps(source, undefined, fanout), { pageSize: 10 });
    expect(report).toMatchObject({ status: "drained", pages: 3, stored: 25, fromSeq: 0, toSeq: 25, deadLettered: 0 });
    expect(await counts()).toEqual({ rows: 25, unique_ids: 25, cursor: 25 });
    expect(seen.map((c) => c.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(seen[0]).toMatchObject({ staffUserid: "t_zhang", externalUserid: "wmA", roomId: null });
    expect((await drainArchive(deps(source), { pageSize: 10 })).pages).toBe(0);
  });

  it("after a crash mid-drain, a restart leaves no gap and no duplicate", async () => {
    const source = new MemoryArchiveSource(chats(25));
    source.failOnCall = 3;
    await expect(drainArchive(deps(source), { pageSize: 10 })).rejects.toThrow("simulated crash");
    expect(await counts()).toEqual({ rows: 20, unique_ids: 20, cursor: 20 });
    source.failOnCall = undefined;
    await drainArchive(deps(source), { pageSize: 10 });
    expect(await counts()).toEqual({ rows: 25, unique_ids: 25, cursor: 25 });
    // WeCom resending (or a cursor reset) must not duplicate anything.
    await db.dataSource.query(`UPDATE archive_cursor SET last_seq = 0`);
    const replay = await drainArchive(deps(source), { pageSize: 10 });
    expect(replay).toMatchObject({ stored: 0, duplicates: 25 });
    expect(await counts()).toEqual({ rows: 25, unique_ids: 25, cursor: 25 });
  });

  it("stops between pages at maxPages and continues from the cursor", async () => {
    const source = new MemoryArchiveSource(chats(25));
    expect(await drainArchive(deps(source), { pageSize: 10, maxPages: 1 })).toMatchObject({ status: "page_limit", stored: 10 });
    expect(await drainArchive(deps(source), { pageSize: 10 })).toMatchObject({ status: "drained", stored: 15, fromSeq: 10 });
  });

  it("dead-letters unknown key versions, bad RSA and bad ciphertext without passing a good message", async () => {
    const records = chats(6);
    records[1] = chatRecord(2, text("m2", "t_zhang", ["wmA"], "v9"), pair.publicKey, 9);
    records[2] = { ...records[2]!, encrypt_random_key: randomBytes(256).toString("base64") };
    const tampered = Buffer.from(records[3]!.encrypt_chat_msg, "base64");
    tampered[20]! ^= 0xff;
    records[3] = { ...records[3]!, encrypt_chat_msg: tampered.toString("base64") };
    const report = await drainArchive(deps(new MemoryArchiveSource(records)), { pageSize: 4 });
    expect(report).toMatchObject({ stored: 3, deadLettered: 3 });
    const dead = await db.dataSource.query(`SELECT seq::int, msgid, publickey_ver, reason, chatdata FROM archive_dead_letter ORDER BY seq`);
    expect(dead.map((d: { seq: number; reason: string }) => [d.seq, d.reason])).toEqual([
      [2, "unknown publickey_ver 9"],
      [3, expect.stringMatching(/RSA decryption failed/)],
      [4, expect.stringMatching(/DecryptData failed with 10006/)],
    ]);
    expect(dead[0].chatdata).toEqual(records[1]);
    const stored = await db.dataSource.query(`SELECT seq::int FROM archive_message ORDER BY seq`);
    expect(stored.map((r: { seq: number }) => r.seq)).toEqual([1, 5, 6]);
    expect((await counts()).cursor).toBe(6);
  });

  it("replays parked records once their key version is configured", async () => {
    const newKey = rsaPair();
    const records = [...chats(2), chatRecord(3, text("m3-v2", "t_zhang", ["wmA"], "新密钥版本"), newKey.publicKey, 2), ...chats(1, 4)];
    expect(await drainArchive(deps(new MemoryArchiveSource(records)))).toMatchObject({ stored: 3, deadLettered: 1, toSeq: 4 });
    const withNewKey = { ...deps(new MemoryArchiveSource([])), randomKeys: new InlineRandomKeyDecryptor(new Map([[1, pair.privateKey], [2, newKey.privateKey]])) };
    expect(await replayDeadLetters(withNewKey)).toEqual({ status: "done", retried: 1, resolved: 1, stored: 1 });
    expect(await replayDeadLetters(withNewKey)).toEqual({ status: "done", retried: 0, resolved: 0, stored: 0 });
    const [dead] = await db.dataSource.query(`SELECT resolved_at FROM archive_dead_letter WHERE seq = 3`);
    expect(dead.resolved_at).toEqual(clock.now());
    expect((await counts()).rows).toBe(4);
  });

  it("marks a recalled message and keeps its content as evidence", async () => {
    const keyRing = new DataKeyRing({ k1 }, "k1");
    const source = new MemoryArchiveSource([
      chatRecord(1, text("orig", "t_zhang", ["wmA"], "我下个月要离职了", { at: T0 }), pair.publicKey),
      chatRecord(2, recall("rec", "t_zhang", ["wmA"], "orig", T0 + 30_000), pair.publicKey),
    ]);
    await drainArchive(deps(source, keyRing), { pageSize: 1 });
    const [orig] = await db.dataSource.query(`SELECT recalled_at, recalled_by_msgid FROM archive_message WHERE msgid = 'orig'`);
    expect(orig).toEqual({ recalled_at: new Date(T0 + 30_000), recalled_by_msgid: "rec" });
    const read = await readArchivedMessages(db.dataSource, keyRing, { externalUserid: "wmA", from: new Date(T0 - 1), to: new Date(T0 + 60_000) });
    expect(read.map((r) => [r.message.msgid, r.message.content, r.recalledAt])).toEqual([
      ["orig", { msgtype: "text", content: "我下个月要离职了" }, new Date(T0 + 30_000)],
      ["rec", { msgtype: "revoke", preMsgid: "orig" }, null],
    ]);
  });

  it("stores neither internal chats nor pairs without consent, and follows agree records in the stream", async () => {
    await recordRoomConsent(
      db.dataSource.manager,
      [
        { roomId: "R1", externalUserid: "wmA", status: "agree", changedAt: new Date(T0), source: "check_room_agree" },
        { roomId: "R1", externalUserid: "wmB", status: "agree", changedAt: new Date(T0), source: "check_room_agree" },
        { roomId: "R2", externalUserid: "wmA", status: "agree", changedAt: new Date(T0), source: "check_room_agree" },
      ],
      new Date(T0),
    );
    const records = [
      text("internal", "t_zhang", ["t_li"], "内部聊天"),
      text("internal-group", "t_zhang", ["t_li", "t_wang"], "内部群", { roomid: "R0" }),
      text("no-consent", "t_zhang", ["wmC"], "未同意"),
      agree("agree-C", "wmC", "t_zhang", "agree"),
      text("after-agree", "t_zhang", ["wmC"], "同意后"),
      text("group-ok", "wmA", ["t_zhang", "wmB"], "家长群消息", { roomid: "R1" }),
      text("group-partial", "t_zhang", ["wmA", "wmD"], "有家长未同意", { roomid: "R2" }),
      { msgid: "switch", action: "switch", time: T0, user: "t_zhang" },
    ].map((m, i) => chatRecord(i + 1, m, pair.publicKey));
    const report = await drainArchive(deps(new MemoryArchiveSource(records)));
    expect(report.skipped).toEqual({ internal: 2, switch: 1, malformed: 0, no_consent: 2 });
    const stored = await db.dataSource.query(`SELECT msgid, staff_userid, external_userid, room_id FROM archive_message ORDER BY seq`);
    expect(stored).toEqual([
      { msgid: "agree-C", staff_userid: "t_zhang", external_userid: "wmC", room_id: null },
      { msgid: "after-agree", staff_userid: "t_zhang", external_userid: "wmC", room_id: null },
      { msgid: "group-ok", staff_userid: null, external_userid: "wmA", room_id: "R1" },
    ]);
    const [consent] = await db.dataSource.query(`SELECT status, source FROM archive_consent WHERE external_userid = 'wmC'`);
    expect(consent).toEqual({ status: "agree", source: "archive_message" });
  });

  it("stores bodies unreadable without the key, and rotation re-seals them", async () => {
    const before = new DataKeyRing({ k1 }, "k1");
    const source = new MemoryArchiveSource(chats(3));
    await drainArchive(deps(source, before));
    const raw: Array<{ body_ciphertext: Buffer; body_key_id: string }> = await db.dataSource.query(`SELECT body_ciphertext, body_key_id FROM archive_message`);
    for (const row of raw) {
      expect(row.body_key_id).toBe("k1");
      expect(row.body_ciphertext.includes(Buffer.from("第"))).toBe(false);
      expect(row.body_ciphertext.includes(Buffer.from("t_zhang"))).toBe(false);
    }
    const rotated = new DataKeyRing({ k1, k2 }, "k2");
    source.records.push(...chats(2, 4));
    await drainArchive(deps(source, rotated));
    const keyIds = async () => (await db.dataSource.query(`SELECT body_key_id, count(*)::int AS n FROM archive_message GROUP BY 1 ORDER BY 1`));
    expect(await keyIds()).toEqual([{ body_key_id: "k1", n: 3 }, { body_key_id: "k2", n: 2 }]);
    expect(await reencryptArchiveBodies(db.dataSource, rotated, 2)).toBe(3);
    expect(await keyIds()).toEqual([{ body_key_id: "k2", n: 5 }]);
    const onlyNew = new DataKeyRing({ k2 }, "k2");
    const read = await readArchivedMessages(db.dataSource, onlyNew, { staffUserid: "t_zhang", from: new Date(T0), to: new Date(T0 + 3_600_000) });
    expect(read.map((r) => r.message.content)).toEqual(Array.from({ length: 5 }, (_, i) => ({ msgtype: "text", content: `第${i + 1}条` })));
  });

  it("lets only one drainer run at a time and coalesces requests", async () => {
    const source = new MemoryArchiveSource(chats(30));
    const [a, b] = await Promise.all([drainArchive(deps(source), { pageSize: 5 }), drainArchive(deps(source), { pageSize: 5 })]);
    expect([a.status, b.status].sort()).toEqual(["busy", "drained"]);
    expect(await counts()).toEqual({ rows: 30, unique_ids: 30, cursor: 30 });
    const drainer = new ArchiveDrainer(deps(source), { pageSize: 5 });
    source.records.push(...chats(5, 31));
    const first = drainer.request();
    const second = drainer.request();
    expect(second).toBe(first);
    await first;
    expect(await counts()).toEqual({ rows: 35, unique_ids: 35, cursor: 35 });
  });

  describe("through the sandbox feed over HTTP", () => {
    let server: Server;
    let apiBase: string;
    let records: ChatDataRecord[];
    const media = randomBytes(1_200_000);

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const input = JSON.parse(body);
          res.setHeader("content-type", "application/json");
          if (req.url === "/sandbox/finance/chatdata") {
            if (input.secret !== "archive-secret") return res.end(JSON.stringify({ errcode: 10004, errmsg: "bad secret" }));
            const chatdata = records.filter((r) => r.seq > input.seq).slice(0, input.limit);
            return res.end(JSON.stringify({ errcode: 0, errmsg: "ok", chatdata }));
          }
          const offset = input.indexbuf === "" ? 0 : Number(input.indexbuf);
          const end = Math.min(offset + 512 * 1024, media.length);
          res.end(JSON.stringify({ errcode: 0, data: media.subarray(offset, end).toString("base64"), outindexbuf: String(end), is_finish: end === media.length }));
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("drains and decrypts what the feed serves", async () => {
      records = chats(12);
      const report = await drainArchive(deps(new SandboxFeedSource({ apiBase, secret: "archive-secret" })), { pageSize: 5 });
      expect(report).toMatchObject({ pages: 3, stored: 12 });
    });

    it("maps feed errors to FinanceSdkError and fetches media in chunks", async () => {
      await expect(new SandboxFeedSource({ apiBase, secret: "wrong" }).getChatData(0, 10, 5)).rejects.toMatchObject({ name: "FinanceSdkError", code: 10004 });
      const source = new SandboxFeedSource({ apiBase, secret: "archive-secret" });
      const chunks: Buffer[] = [];
      let index = "";
      for (;;) {
        const chunk = await source.getMediaData("F1", index);
        chunks.push(chunk.data);
        index = chunk.outIndexBuf;
        if (chunk.isFinish) break;
      }
      expect(chunks).toHaveLength(3);
      expect(Buffer.concat(chunks).equals(media)).toBe(true);
    });
  });
});
