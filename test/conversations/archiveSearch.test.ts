import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readerScope, type ReaderScope } from "../../src/conversations/access/readerScope";
import { inheritedThreads } from "../../src/handover/successorAccess";
import { scope } from "../../src/org/policies/authorize";
import { ConversationReads } from "../../src/conversations/queries/conversationReads";
import { searchArchive } from "../../src/conversations/queries/searchArchive";
import { backfillSearchIndex, pendingSearchIndex } from "../../src/conversations/searchIndex/backfillSearchIndex";
import { normalizeText } from "../../src/conversations/searchIndex/normalizeText";
import { SearchIndexKeys } from "../../src/conversations/searchIndex/searchIndexKeys";
import { createSearchIndexMetrics } from "../../src/conversations/searchIndex/searchIndexMetrics";
import { StaffDirectory } from "../../src/org/directory/staffDirectory";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { projectRoot } from "../support/processes";
import { createTestDatabase } from "../support/testDatabase";
import { text } from "./support/archiveFixtures";
import { consentAll, dataKey, ingest, keyRing, searchKey, searchKeys, seedOrg } from "./support/conversationFixtures";

const T0 = Date.parse("2026-03-02T09:00:00+08:00");
const min = 60_000;
const range = { from: new Date(T0 - 86_400_000), to: new Date(T0 + 86_400_000) };
const all: ReaderScope = { policy: { all: true }, inherited: [] };
const everyone = async () => true;

/** Two different CJK bigrams whose keyed 32-bit values are equal under `key` (a birthday search over ~300k bigrams). */
function collidingBigrams(key: Buffer): [string, string] {
  const seen = new Map<number, string>();
  for (let a = 0x4e00; a < 0x4e00 + 20; a++) {
    for (let b = 0x4e00; b < 0x9fa5; b++) {
      const bigram = String.fromCharCode(a, b);
      // Only bigrams the normaliser leaves alone (not traditional forms), so message and query hash exactly these.
      if (normalizeText(bigram) !== bigram) continue;
      const v = createHmac("sha256", key).update(`b:${bigram}`, "utf8").digest().readInt32BE(0);
      const other = seen.get(v);
      if (other !== undefined) return [other, bigram];
      seen.set(v, bigram);
    }
  }
  throw new Error("no collision found (expected ~10 among 350k bigrams)");
}

describe("archive search on the keyed blind index", () => {
  let db: Database;
  const clock = new TestClock("2026-03-10T09:00:00+08:00");
  const reads = async (userid: string) =>
    new ConversationReads({ dataSource: db.dataSource, keyRing, searchKeys, clock, inheritedThreads }, await new StaffDirectory(db.dataSource.manager).actor(userid));

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    await seedOrg(ds);
    await consentAll(ds, [["t_zhang", "wmA"], ["t_zhang", "wmB"], ["t_wang", "wmC"]], new Date(T0 - 86_400_000));
    await ds.query(
      `INSERT INTO archive_room_consent (room_id, external_userid, status, changed_at, source)
       VALUES ('wrMixed', 'wmA', 'agree', $1, 'check_room_agree'), ('wrMixed', 'wmC', 'agree', $1, 'check_room_agree')`,
      [new Date(T0 - 86_400_000)],
    );
    await ingest(ds, [
      text("a1", "t_zhang", ["wmA"], "家长您好，有事请加我微信，号码发您", { at: T0 }),
      text("a2", "wmA", ["t_zhang"], "好的，退費的事我們微信聊", { at: T0 + min }),
      text("a3", "t_zhang", ["wmB"], "加我，我微笑着说，发微信给您", { at: T0 + 2 * min }),
      text("b1", "t_wang", ["wmC"], "小刚妈妈，加我微信吧，退费马上办", { at: T0 + 3 * min }),
      // A group where a teacher of each campus speaks: readable only by someone who covers both.
      text("g0", "t_zhang", ["t_wang", "wmA", "wmC"], "大家好", { roomid: "wrMixed", at: T0 + 4 * min - 1000 }),
      text("g1", "t_wang", ["t_zhang", "wmA", "wmC"], "群里说一下：退费请加我微信", { roomid: "wrMixed", at: T0 + 4 * min }),
      text("g2", "wmC", ["t_zhang", "t_wang", "wmA"], "收到，我加您微信", { roomid: "wrMixed", at: T0 + 5 * min }),
    ]);
  }, 60_000);
  afterAll(async () => db.close());

  it("finds a phrase whose bigrams start in the middle of the message's bigrams, and never a message that only has them apart", async () => {
    // 我微信 → 我微|微信; the message's bigrams are …请加|加我|我微|微信|信，…
    const found = await searchArchive(db.dataSource.manager, { keyRing, searchKeys }, all, { q: "我微信", ...range }, everyone);
    expect(found.hits.map((h) => h.chat.message.msgid).sort()).toEqual(["a1", "b1", "g1"]);
    // a3 holds 加我, 我微 and 微信 too — but not together: a candidate, dropped by the decrypt-confirm.
    const phrase = await searchArchive(db.dataSource.manager, { keyRing, searchKeys }, all, { q: "加我微信", ...range }, everyone);
    expect(phrase.hits.map((h) => h.chat.message.msgid).sort()).toEqual(["a1", "b1", "g1"]);
    expect(phrase.candidates).toBe(4);
    // Traditional and full-width queries meet simplified messages; two words must both occur.
    const twoWords = await searchArchive(db.dataSource.manager, { keyRing, searchKeys }, all, { q: "退費　微信", ...range }, everyone);
    expect(twoWords.hits.map((h) => h.chat.message.msgid).sort()).toEqual(["a2", "b1", "g1"]);
    expect(twoWords.hits.find((h) => h.chat.message.msgid === "a2")!.highlight).toEqual({ before: "好的，", match: "退費", after: "的事我們微信聊" });
  });

  it("filters a real 32-bit hash collision out by decrypting and confirming the candidate", async () => {
    const [stored, asked] = collidingBigrams(searchKey);
    expect(searchKeys.hash("s1", `b:${stored}`)).toBe(searchKeys.hash("s1", `b:${asked}`));
    await ingest(db.dataSource, [text("c1", "t_zhang", ["wmA"], `，${stored}。`, { at: T0 + 30 * min })]);
    const result = await searchArchive(db.dataSource.manager, { keyRing, searchKeys }, all, { q: asked, ...range }, everyone);
    expect(result.candidates).toBe(1);
    expect(result.hits).toEqual([]);
    expect((await searchArchive(db.dataSource.manager, { keyRing, searchKeys }, all, { q: stored, ...range }, everyone)).hits.map((h) => h.chat.message.msgid)).toEqual(["c1"]);
  });

  it("never shows a campus B reader a campus A hit, not even as a count; HQ sees the whole chain with names", async () => {
    const search = async (userid: string, q: string) => (await reads(userid)).search({ q, ...range, page: 1, pageSize: 20 });
    const b = await search("hr_b", "加我微信");
    expect(b.total).toBe(1);
    expect(b.data.map((h) => h.message.msgid)).toEqual(["b1"]);
    expect(b.data[0]).toMatchObject({ staff: { id: "t_wang", name: "王老师" }, parent: { id: "wmC", name: "小刚妈妈" }, from: { name: "王老师" } });
    // Campus A's 退費 message: nothing, and a total of 0, for B (and the mixed group is not B's alone).
    const bOnly = await search("hr_b", "我們微信");
    expect(bOnly).toMatchObject({ total: 0, data: [] });
    const a = await search("hr_a", "加我微信");
    expect(a.data.map((h) => h.message.msgid)).toEqual(["a1"]);
    expect(a.total).toBe(1);
    const hq = await search("hq", "加我微信");
    expect(hq.data.map((h) => h.message.msgid)).toEqual(["g1", "b1", "a1"]);
    expect(hq.data[0]).toMatchObject({ room: "wrMixed", parent: null });
    // A parent's message in the group carries no staff member; still only for whoever covers the whole group.
    expect((await search("hq", "加您微信")).total).toBe(1);
    expect((await search("hr_a", "加您微信")).total).toBe(0);
    // Paging over confirmed hits, and every search logged with its query and count.
    const page2 = await (await reads("hq")).search({ q: "加我微信", ...range, page: 2, pageSize: 2 });
    expect(page2).toMatchObject({ total: 3, page: 2 });
    expect(page2.data.map((h) => h.message.msgid)).toEqual(["a1"]);
    const logged = await db.dataSource.query(`SELECT actor_userid, resource_id, detail FROM access_log WHERE action = 'search' ORDER BY id`);
    expect(logged[0]).toMatchObject({ actor_userid: "hr_b", resource_id: "archive", detail: { q: "加我微信", hits: 1 } });
    // No scope at all: refused, not an empty answer.
    await expect(search("t_zhang", "加我微信")).rejects.toMatchObject({ status: 403 });
  });

  it("narrows by staff member, parent or group, and refuses a named filter outside the reader's scope", async () => {
    const r = await reads("hq");
    const q = { q: "微信", ...range, page: 1, pageSize: 20 };
    expect((await r.search({ ...q, staff: "t_zhang" })).data.map((h) => h.message.msgid).sort()).toEqual(["a1", "a2", "a3"]);
    expect((await r.search({ ...q, parent: "wmC" })).data.map((h) => h.message.msgid).sort()).toEqual(["b1", "g2"]);
    expect((await r.search({ ...q, room: "wrMixed" })).data.map((h) => h.message.msgid).sort()).toEqual(["g1", "g2"]);
    await expect((await reads("hr_b")).search({ ...q, staff: "t_zhang" })).rejects.toMatchObject({ status: 403 });
  });

  it("re-indexes on key rotation without losing a search midway, after which old-key queries match nothing", async () => {
    const ds = db.dataSource;
    const s2 = randomBytes(32);
    const rotating = new SearchIndexKeys({ s1: searchKey, s2 }, "s2");
    const ids = async (keys: SearchIndexKeys) =>
      (await searchArchive(ds.manager, { keyRing, searchKeys: keys }, all, { q: "加我微信", ...range }, everyone)).hits.map((h) => h.chat.message.msgid).sort();
    expect(await pendingSearchIndex(ds, "s2")).toBe(8);
    // Half-way: some rows under s1, some under s2; a query hashed under both keys finds all.
    const stop = new AbortController();
    const metrics = createSearchIndexMetrics(createMetrics({ collectProcessMetrics: false }).registry);
    const half = await backfillSearchIndex(
      { dataSource: ds, keyRing, searchKeys: rotating, logger: silentLogger(), metrics },
      { batchSize: 3, signal: stop.signal, onBatch: () => stop.abort() },
    );
    expect(half).toMatchObject({ indexed: 3, remaining: 5, finished: false });
    expect((await metrics.pending.get()).values[0]!.value).toBe(5);
    expect(await ids(rotating)).toEqual(["a1", "b1", "g1"]);
    expect(await backfillSearchIndex({ dataSource: ds, keyRing, searchKeys: rotating, logger: silentLogger() })).toMatchObject({ indexed: 5, finished: true });
    expect(await pendingSearchIndex(ds, "s2")).toBe(0);
    // s1 is retired: the new ring finds everything, a query keyed with the old key finds nothing.
    expect(await ids(new SearchIndexKeys({ s2 }, "s2"))).toEqual(["a1", "b1", "g1"]);
    expect(await ids(searchKeys)).toEqual([]);
    const oldTokens = searchKeys.hashAll("s1", ["b:加我", "b:我微", "b:微信"]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM archive_message WHERE search_tokens @> $1::int4[]`, [oldTokens]);
    expect(n).toBe(0);
    // Put the fixture key back for the next test.
    await ds.query(`UPDATE archive_message SET search_tokens = NULL, search_key_id = NULL`);
    await backfillSearchIndex({ dataSource: ds, keyRing, searchKeys, logger: silentLogger() });
  });

  it("back-fills an archive stored before the index, resuming after the process is killed mid-batch", async () => {
    const ds = db.dataSource;
    const before = await ds.query(`SELECT msgid, search_tokens FROM archive_message ORDER BY msgid`);
    await ingest(
      ds,
      Array.from({ length: 30 }, (_, i) => text(`old${i}`, "t_wang", ["wmC"], `第${i}条旧消息：退费请加我微信`, { at: T0 + (40 + i) * min })),
      undefined,
      null,
    );
    await ds.query(`UPDATE archive_message SET search_tokens = NULL, search_key_id = NULL`);
    expect(await pendingSearchIndex(ds, "s1")).toBe(38);

    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "test/conversations/support/backfillChild.ts"], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? "",
        TS_NODE_PROJECT: "tsconfig.json",
        SEARCH_TEST_DB: db.url,
        DATA_KEY: dataKey.toString("base64"),
        SEARCH_KEY: searchKey.toString("base64"),
        BATCH: "10",
        KILL_AFTER_OPENS: "15",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    expect([signal, output.trim()]).toEqual(["SIGKILL", "batch indexed=10"]);
    // The first batch is committed, the second died with its rows locked and nothing written.
    expect(await pendingSearchIndex(ds, "s1")).toBe(28);

    const resumed = await backfillSearchIndex({ dataSource: ds, keyRing, searchKeys, logger: silentLogger() }, { batchSize: 10 });
    expect(resumed).toMatchObject({ indexed: 28, remaining: 0, failed: 0, finished: true });
    const after = await ds.query(`SELECT msgid, search_tokens FROM archive_message WHERE msgid NOT LIKE 'old%' ORDER BY msgid`);
    expect(after).toEqual(before);
    const hits = await searchArchive(ds.manager, { keyRing, searchKeys }, all, { q: "旧消息 加我微信", from: range.from, to: new Date(T0 + 2 * 86_400_000) }, everyone);
    expect(hits.hits).toHaveLength(30);
  }, 60_000);

  it("takes the reader's scope from the conversation policy's scope(), plus threads handed to the reader", async () => {
    const directory = new StaffDirectory(db.dataSource.manager);
    const handed = (userid: string) => () => inheritedThreads(db.dataSource.manager, userid);
    expect(await readerScope(await directory.actor("t_li"), handed("t_li"))).toEqual({ policy: { all: false, departmentIds: [] }, inherited: [] });
    for (const userid of ["hr_b", "hq"]) {
      const actor = await directory.actor(userid);
      expect((await readerScope(actor, handed(userid))).policy).toEqual(scope(actor, "read", "conversation"));
    }
  });
});
