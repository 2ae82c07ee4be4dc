import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { purgeExpiredArchive } from "../../src/conversations/archive/archivePartitions";
import { recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { eraseWithdrawnPairs } from "../../src/conversations/consent/eraseWithdrawnPairs";
import { fetchPendingMedia } from "../../src/conversations/media/fetchMedia";
import { collectMediaGarbage, storeMediaObject } from "../../src/conversations/media/mediaObjects";
import { mediaContext, readMedia } from "../../src/conversations/media/mediaRows";
import { moveMediaIntoStore } from "../../src/conversations/media/moveMediaIntoStore";
import { FsMediaStore } from "../../src/conversations/media/store/fsMediaStore";
import { mediaAddress, MediaObjectCorrupt, type MediaStore } from "../../src/conversations/media/store/mediaStore";
import { TestClock } from "../../src/platform/clock";
import { DataKeyRing } from "../../src/platform/dataProtection/keyRing";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createTestDatabase } from "../support/testDatabase";
import { consentAll, dataKey, ingest, keyRing } from "./support/conversationFixtures";
import { MediaFiles } from "./support/mediaFiles";

/** The error a promise rejects with; a test failure when it resolves. */
const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => Promise.reject(new Error("expected a rejection, but it resolved")),
    (err: unknown) => err,
  );

const T0 = Date.parse("2026-03-02T09:00:00+08:00");

const image = (msgid: string, from: string, to: string, sdkfileid: string, data: Buffer) => ({
  msgid,
  action: "send",
  from,
  tolist: [to],
  roomid: "",
  msgtime: T0,
  msgtype: "image",
  image: { sdkfileid, md5sum: createHash("md5").update(data).digest("hex"), filesize: data.length },
});

/** Every object file in a filesystem store (the temporary folder aside). */
const objectFiles = (root: string): string[] =>
  existsSync(root) ? readdirSync(root).filter((d) => d !== "tmp").flatMap((d) => readdirSync(path.join(root, d))).sort() : [];

describe("filesystem media store", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "wpg-fsstore-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("puts atomically under the content address, reads back exactly, refuses corrupt bytes, deletes idempotently", async () => {
    const store = new FsMediaStore(root);
    const data = randomBytes(70_000);
    const address = mediaAddress(data);
    expect(await store.get(address)).toBeNull();
    await store.put(address, data);
    await store.put(address, data); // again: a no-op
    expect((await store.get(address))!.equals(data)).toBe(true);
    expect(readdirSync(path.join(root, "tmp"))).toEqual([]); // nothing half-written left behind
    expect(objectFiles(root)).toEqual([address]);

    // A flipped bit on disk is an error, never data.
    const flipped = Buffer.from(data);
    flipped[100] ^= 1;
    writeFileSync(path.join(root, address.slice(0, 2), address), flipped);
    expect(await rejection(store.get(address))).toBeInstanceOf(MediaObjectCorrupt);

    await store.delete(address);
    await store.delete(address);
    expect(await store.get(address)).toBeNull();
    // Addresses become paths: anything but 64 hex digits is refused.
    expect((await rejection(store.get("../../etc/passwd")) as Error).message).toBe('not a media address: "../../etc/passwd"');
  });

  it("sweeps temporary files a crash left behind, once they are older than the bound", async () => {
    const store = new FsMediaStore(root);
    await store.put(mediaAddress(Buffer.from("x")), Buffer.from("x"));
    writeFileSync(path.join(root, "tmp", "left-by-a-crash"), "half");
    expect(await store.sweepTemporaryFiles(new Date(), 60_000)).toBe(0);
    expect(await store.sweepTemporaryFiles(new Date(Date.now() + 61_000), 60_000)).toBe(1);
    expect(readdirSync(path.join(root, "tmp"))).toEqual([]);
  });
});

describe("archived media in the object store", () => {
  let db: Database;
  let root: string;
  let store: FsMediaStore;
  let clock: TestClock;
  const objects = () => ({ dataSource: db.dataSource, keyRing, store, clock });
  const objectRows = (): Promise<Array<{ address: string; refs: number; state: string }>> =>
    db.dataSource.query(`SELECT address, refs, state FROM archive_media_object ORDER BY address`);
  const read = (msgid: string, sdkfileid: string) => readMedia({ dataSource: db.dataSource, keyRing, store }, msgid, sdkfileid);

  beforeEach(async () => {
    clock = new TestClock("2026-03-03T09:00:00+08:00");
    db = await createTestDatabase(4);
    root = mkdtempSync(path.join(tmpdir(), "wpg-media-"));
    store = new FsMediaStore(root);
  });
  afterEach(async () => {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("stores a file sent in two conversations once; erasing one pair (PIPL) keeps the other's, the last reference deletes the object", async () => {
    const ds = db.dataSource;
    await consentAll(ds, [["t_zhang", "wmA"], ["t_li", "wmB"]], new Date(T0 - 86_400_000));
    const photo = randomBytes(600_000);
    const other = randomBytes(1000);
    // Same photo in two chats (WeCom gives each message its own sdkfileid), another file in a third message.
    await ingest(ds, [image("m1", "t_zhang", "wmA", "sdk-1", photo), image("m2", "t_li", "wmB", "sdk-2", photo), image("m3", "t_li", "wmB", "sdk-3", other)]);
    const files = new MediaFiles(new Map([["sdk-1", photo], ["sdk-2", photo], ["sdk-3", other]]));
    expect(await fetchPendingMedia({ ...objects(), source: files, logger: silentLogger() })).toMatchObject({ queued: 3, stored: 3 });

    const [shared] = await ds.query(`SELECT DISTINCT object_address AS address FROM archive_media WHERE msgid IN ('m1', 'm2')`);
    const [single] = await ds.query(`SELECT object_address AS address FROM archive_media WHERE msgid = 'm3'`);
    expect(await objectRows()).toEqual(
      [{ address: shared.address, refs: 2, state: "live" }, { address: single.address, refs: 1, state: "live" }].sort((a, b) => a.address.localeCompare(b.address)),
    );
    expect(objectFiles(root)).toEqual([shared.address, single.address].sort());
    expect((await read("m1", "sdk-1"))!.equals(photo)).toBe(true);
    expect((await read("m2", "sdk-2"))!.equals(photo)).toBe(true);

    // 小明妈妈 withdraws consent; after the grace period the pair is erased with its media row.
    await recordSingleConsent(ds, [{ staffUserid: "t_zhang", externalUserid: "wmA", status: "disagree", changedAt: clock.now(), source: "check_single_agree" }], clock.now());
    clock.advance(31 * 86_400_000);
    const erased = await eraseWithdrawnPairs({ dataSource: ds, clock, logger: silentLogger(), graceDays: 30 });
    expect(erased).toEqual([expect.objectContaining({ staffUserid: "t_zhang", externalUserid: "wmA", messagesErased: 1, mediaErased: 1 })]);
    expect(await collectMediaGarbage(objects())).toEqual({ deleted: 0, abandonedUploads: 0, failed: 0 });
    // The other parent's copy is still there and readable.
    expect((await objectRows()).find((o) => o.address === shared.address)).toEqual({ address: shared.address, refs: 1, state: "live" });
    expect((await read("m2", "sdk-2"))!.equals(photo)).toBe(true);
    expect(await read("m1", "sdk-1")).toBeNull();

    // Retention purges the rest: both objects lose their last reference and leave the store.
    const purged = await purgeExpiredArchive(ds, new Date(T0 + 400 * 86_400_000), 365, silentLogger());
    expect(purged.find((p) => p.partitionName === "archive_media")).toMatchObject({ rowsPurged: 2 });
    expect(await collectMediaGarbage(objects())).toEqual({ deleted: 2, abandonedUploads: 0, failed: 0 });
    expect(await objectRows()).toEqual([]);
    expect(objectFiles(root)).toEqual([]);
  });

  it("a file arriving again before the collector runs re-uses the unreferenced object, which then stays", async () => {
    const ds = db.dataSource;
    await consentAll(ds, [["t_zhang", "wmA"]], new Date(T0 - 86_400_000));
    const photo = randomBytes(5000);
    await ingest(ds, [image("m1", "t_zhang", "wmA", "sdk-1", photo), image("m2", "t_zhang", "wmA", "sdk-2", photo)]);
    const files = new MediaFiles(new Map([["sdk-1", photo], ["sdk-2", photo]]));
    await ds.query(`UPDATE archive_message SET media = NULL WHERE msgid = 'm2'`); // m2's media is queued later
    expect(await fetchPendingMedia({ ...objects(), source: files, logger: silentLogger() })).toMatchObject({ stored: 1 });
    await ds.query(`DELETE FROM archive_media WHERE msgid = 'm1'`);
    await ds.query(`DELETE FROM archive_message WHERE msgid = 'm1'`);
    expect((await objectRows()).map((o) => o.refs)).toEqual([0]);
    await ds.query(`UPDATE archive_message SET media = $1 WHERE msgid = 'm2'`, [JSON.stringify([{ sdkfileid: "sdk-2", md5sum: createHash("md5").update(photo).digest("hex") }])]);
    expect(await fetchPendingMedia({ ...objects(), source: files, logger: silentLogger() })).toMatchObject({ queued: 1, stored: 1 });
    expect(await collectMediaGarbage(objects())).toMatchObject({ deleted: 0 });
    expect((await objectRows()).map((o) => o.refs)).toEqual([1]);
    expect((await read("m2", "sdk-2"))!.equals(photo)).toBe(true);
    expect(objectFiles(root)).toHaveLength(1);
  });

  it("a crash between the object write and the row commit leaves the row as it was; the orphan is collected after the upload lease", async () => {
    const ds = db.dataSource;
    await consentAll(ds, [["t_zhang", "wmA"]], new Date(T0 - 86_400_000));
    const photo = randomBytes(3000);
    await ingest(ds, [image("m1", "t_zhang", "wmA", "sdk-1", photo)]);
    await ds.query(`INSERT INTO archive_media (msgid, sdkfileid, msg_time, msgtype, next_attempt_at, created_at) VALUES ('m1', 'sdk-1', $1, 'image', $1, $1)`, [new Date(T0)]);
    const crash = new Error("process killed before COMMIT");
    const linkThenCrash = async (tx: import("typeorm").EntityManager, address: string) => {
      await tx.query(`UPDATE archive_media SET status = 'stored', object_address = $1 WHERE msgid = 'm1'`, [address]);
      throw crash;
    };
    expect(await rejection(storeMediaObject(objects(), photo, linkThenCrash))).toBe(crash);
    const [row] = await ds.query(`SELECT status, object_address FROM archive_media WHERE msgid = 'm1'`);
    expect(row).toEqual({ status: "pending", object_address: null });
    const [orphan] = await objectRows();
    expect(orphan).toMatchObject({ refs: 0, state: "writing" });
    expect(objectFiles(root)).toEqual([orphan.address]);

    // Within the lease it may still be an upload in progress: left alone.
    expect(await collectMediaGarbage(objects())).toEqual({ deleted: 0, abandonedUploads: 0, failed: 0 });
    // The retry stores the file properly (a new object: the orphan was never live).
    const files = new MediaFiles(new Map([["sdk-1", photo]]));
    expect(await fetchPendingMedia({ ...objects(), source: files, logger: silentLogger() })).toMatchObject({ stored: 1 });
    clock.advance(61 * 60_000);
    expect(await collectMediaGarbage(objects())).toEqual({ deleted: 1, abandonedUploads: 1, failed: 0 });
    expect(objectFiles(root)).toHaveLength(1);
    expect((await read("m1", "sdk-1"))!.equals(photo)).toBe(true);
  });

  it("a collector that dies between deleting the object and its row finishes next run; a refused delete is retried", async () => {
    const ds = db.dataSource;
    await consentAll(ds, [["t_zhang", "wmA"]], new Date(T0 - 86_400_000));
    const photo = randomBytes(3000);
    await ingest(ds, [image("m1", "t_zhang", "wmA", "sdk-1", photo)]);
    expect(await fetchPendingMedia({ ...objects(), source: new MediaFiles(new Map([["sdk-1", photo]])), logger: silentLogger() })).toMatchObject({ stored: 1 });
    await ds.query(`DELETE FROM archive_media WHERE msgid = 'm1'`);
    const refusing: MediaStore = { description: "refusing store", put: (a, d) => store.put(a, d), get: (a) => store.get(a), delete: async () => Promise.reject(new Error("503 Slow Down")) };
    expect(await collectMediaGarbage({ ...objects(), store: refusing })).toEqual({ deleted: 0, abandonedUploads: 0, failed: 1 });
    expect((await objectRows()).map((o) => o.state)).toEqual(["deleting"]);
    expect(await collectMediaGarbage(objects())).toEqual({ deleted: 1, abandonedUploads: 0, failed: 0 });
    expect(await objectRows()).toEqual([]);
    expect(objectFiles(root)).toEqual([]);
  });

  it("moves rows stored in PostgreSQL into the store in batches, byte for byte, resumably; an unreadable row stays where it is", async () => {
    const ds = db.dataSource;
    const files = Array.from({ length: 7 }, (_, i) => randomBytes(1000 + i * 997));
    files.push(files[0]); // one file twice: stored once
    const legacy = files.map((data, i) => ({ msgid: `old${i}`, sdkfileid: `sdk-${i}`, data }));
    const lostKeyBytes = randomBytes(32);
    const lostKey = new DataKeyRing({ gone: lostKeyBytes }, "gone");
    for (const [i, m] of legacy.entries()) {
      const sealed = (i === 3 ? lostKey : keyRing).seal(m.data, mediaContext(m.msgid, m.sdkfileid));
      await ds.query(
        `INSERT INTO archive_media (msgid, sdkfileid, msg_time, msgtype, status, size, data_ciphertext, data_key_id, next_attempt_at, created_at, stored_at)
         VALUES ($1, $2, $3, 'file', 'stored', $4, $5, $6, $3, $3, $3)`,
        [m.msgid, m.sdkfileid, new Date(T0), m.data.length, sealed.ciphertext, sealed.keyId],
      );
    }
    // A store that loses what it is given (a bucket answering 200 and keeping nothing): nothing is emptied.
    const lossy: MediaStore = { description: "lossy store", put: async () => undefined, get: (a) => store.get(a), delete: (a) => store.delete(a) };
    expect(await moveMediaIntoStore({ ...objects(), store: lossy, logger: silentLogger() }, { batch: 3 })).toEqual({ moved: 0, shared: 0, failed: 8, remaining: 8 });
    expect((await ds.query(`SELECT count(*)::int AS n FROM archive_media WHERE object_address IS NULL AND data_ciphertext IS NOT NULL`))[0].n).toBe(8);
    await collectMediaGarbage({ ...objects(), store: lossy }); // nothing live: the unfinished uploads are within their lease
    // Before the move, reads come from the row.
    expect((await read("old0", "sdk-0"))!.equals(files[0])).toBe(true);
    const deps = { ...objects(), logger: silentLogger() };

    // Interrupted after the first batch (a shutdown): what was moved is moved, the rest waits.
    const stop = new AbortController();
    let seen = 0;
    const stopping: MediaStore = {
      description: store.description,
      get: (a) => store.get(a),
      delete: (a) => store.delete(a),
      put: async (a, d) => {
        await store.put(a, d);
        if (++seen === 2) stop.abort();
      },
    };
    expect(await moveMediaIntoStore({ ...deps, store: stopping }, { batch: 3, signal: stop.signal })).toEqual({ moved: 2, shared: 0, failed: 0, remaining: 6 });

    expect(await moveMediaIntoStore(deps, { batch: 3 })).toEqual({ moved: 5, shared: 1, failed: 1, remaining: 1 });
    for (const m of legacy) {
      if (m.msgid === "old3") continue;
      expect((await read(m.msgid, m.sdkfileid))!.equals(m.data)).toBe(true);
    }
    const rows = await ds.query(`SELECT msgid, data_ciphertext IS NULL AS emptied, object_address IS NOT NULL AS moved FROM archive_media ORDER BY msgid`);
    expect(rows.filter((r: { emptied: boolean; moved: boolean }) => r.emptied && r.moved)).toHaveLength(7);
    expect(rows.find((r: { msgid: string }) => r.msgid === "old3")).toEqual({ msgid: "old3", emptied: false, moved: false });
    expect(objectFiles(root)).toHaveLength(6);
    expect((await objectRows()).find((o) => o.refs === 2)).toBeDefined();

    // Once its key is configured again, the next run moves the last one.
    const both = new DataKeyRing({ k1: dataKey, gone: lostKeyBytes }, "k1");
    expect(await moveMediaIntoStore({ ...deps, keyRing: both })).toEqual({ moved: 1, shared: 0, failed: 0, remaining: 0 });
    expect((await readMedia({ dataSource: ds, keyRing: both, store }, "old3", "sdk-3"))!.equals(files[3])).toBe(true);
  });
});
