import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { refreshConsent } from "../../src/conversations/consent/refreshConsent";
import { downloadMedia, fetchPendingMedia } from "../../src/conversations/media/fetchMedia";
import { readMedia } from "../../src/conversations/media/mediaRows";
import { FsMediaStore } from "../../src/conversations/media/store/fsMediaStore";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import type { SingleAgreeInfo } from "../../src/wecom/client/api/msgAuditApi";
import { createTestDatabase } from "../support/testDatabase";
import { consentAll, ingest, keyRing } from "./support/conversationFixtures";
import { MEDIA_CHUNK as CHUNK, MediaFiles } from "./support/mediaFiles";

const T0 = Date.parse("2026-03-02T09:00:00+08:00");

const media = (msgid: string, msgtype: "image" | "file", sdkfileid: string, data: Buffer, extra: Record<string, unknown> = {}) => ({
  msgid,
  action: "send",
  from: "t_zhang",
  tolist: ["wmA"],
  roomid: "",
  msgtime: T0,
  msgtype,
  [msgtype]: { sdkfileid, md5sum: createHash("md5").update(data).digest("hex"), filesize: data.length, ...extra },
});

describe("consent refresh and media", () => {
  let db: Database;
  const clock = new TestClock("2026-03-03T09:00:00+08:00");
  const mediaDir = mkdtempSync(path.join(tmpdir(), "wpg-media-"));
  const store = new FsMediaStore(mediaDir);
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it("asks check_single_agree in batches for followed pairs without consent (or refused), records answers, and refreshes rooms", async () => {
    const ds = db.dataSource;
    await ds.query(
      `INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) VALUES
       ('t_zhang', 'wm1', 'active', now(), now()), ('t_zhang', 'wm2', 'active', now(), now()), ('t_zhang', 'wm3', 'active', now(), now()),
       ('t_zhang', 'wm4', 'deleted_by_parent', now(), now()), ('t_li', 'wm1', 'active', now(), now())`,
    );
    await consentAll(ds, [["t_zhang", "wm3"]], new Date(T0));
    await ds.query(`INSERT INTO archive_room_consent (room_id, external_userid, status, changed_at, source) VALUES ('wr1', 'wm1', 'disagree', to_timestamp(0), 'check_room_agree')`);
    const asked: Array<Array<{ userid: string; exteranalopenid: string }>> = [];
    const decided = Math.floor(T0 / 1000);
    const msgAudit = {
      checkSingleAgree: async (pairs: Array<{ userid: string; exteranalopenid: string }>): Promise<SingleAgreeInfo[]> => {
        asked.push(pairs);
        if (pairs.some((p) => p.userid === "t_li")) throw new Error("errcode 301042");
        return [
          ...pairs.map((p) => ({ ...p, agree_status: p.exteranalopenid === "wm1" ? ("Agree" as const) : ("Disagree" as const), status_change_time: p.exteranalopenid === "wm1" ? decided : 0 })),
          // Not asked: must not be recorded.
          { userid: "t_zhang", exteranalopenid: "wm9", agree_status: "Agree" as const, status_change_time: decided },
        ];
      },
      checkRoomAgree: async (roomid: string) => (roomid === "wr1" ? [{ exteranalopenid: "wm1", agree_status: "Agree" as const, status_change_time: decided }] : []),
    };
    const report = await refreshConsent({ dataSource: ds, msgAudit, clock, logger: silentLogger() }, { batchSize: 1 });
    expect(report).toEqual({ pairsChecked: 2, pairsAgreed: 1, roomsChecked: 1, failedBatches: 1 });
    expect(asked.flat().map((p) => `${p.userid}/${p.exteranalopenid}`).sort()).toEqual(["t_li/wm1", "t_zhang/wm1", "t_zhang/wm2"]);
    const rows = await ds.query(`SELECT staff_userid, external_userid, status, changed_at, source FROM archive_consent ORDER BY 1, 2`);
    expect(rows).toEqual([
      { staff_userid: "t_zhang", external_userid: "wm1", status: "agree", changed_at: new Date(decided * 1000), source: "check_single_agree" },
      { staff_userid: "t_zhang", external_userid: "wm2", status: "disagree", changed_at: new Date(0), source: "check_single_agree" },
      { staff_userid: "t_zhang", external_userid: "wm3", status: "agree", changed_at: new Date(T0), source: "check_single_agree" },
    ]);
    const [room] = await ds.query(`SELECT status FROM archive_room_consent WHERE room_id = 'wr1' AND external_userid = 'wm1'`);
    expect(room.status).toBe("agree");
    // The refused pair is asked again next time; the agreed one is not.
    asked.length = 0;
    await refreshConsent({ dataSource: ds, msgAudit, clock, logger: silentLogger() }, { batchSize: 10 });
    expect(asked.flat().map((p) => `${p.userid}/${p.exteranalopenid}`).sort()).toEqual(["t_li/wm1", "t_zhang/wm2"]);
  });

  it("fetches media of stored messages in 512 KB chunks into storage, sealed at rest; bounded size; dead-letters repeated failures", async () => {
    const ds = db.dataSource;
    await consentAll(ds, [["t_zhang", "wmA"]], new Date(T0 - 86_400_000));
    const photo = randomBytes(CHUNK * 2 + 1234);
    const big = randomBytes(CHUNK * 3);
    const broken = randomBytes(100);
    const files = new MediaFiles(new Map([["sdk-photo", photo], ["sdk-big", big], ["sdk-broken", broken]]));
    await ingest(ds, [
      media("img1", "image", "sdk-photo", photo),
      media("file1", "file", "sdk-big", big, { filename: "成绩单.xlsx" }),
      media("img2", "image", "sdk-broken", broken),
    ]);
    const deps = { dataSource: ds, source: files, keyRing, store, clock, logger: silentLogger() };
    const report = await fetchPendingMedia(deps, { maxBytes: CHUNK * 2 + 5000, maxAttempts: 2 });
    files.failing.add("sdk-broken");
    expect(report).toMatchObject({ queued: 3, stored: 2, tooLarge: 1 });

    expect(files.calls.filter((c) => c.sdkfileid === "sdk-photo").map((c) => c.indexbuf)).toEqual(["", String(CHUNK), String(2 * CHUNK)]);
    // file1 was over the bound by its declared size: never fetched.
    expect(files.calls.some((c) => c.sdkfileid === "sdk-big")).toBe(false);
    expect((await readMedia({ dataSource: ds, keyRing, store }, "img1", "sdk-photo"))!.equals(photo)).toBe(true);
    // The bytes are in the object store, sealed; the row keeps only the address.
    const [row] = await ds.query(
      `SELECT m.status, m.size, m.data_ciphertext, o.key_id, o.refs, o.state, o.address FROM archive_media m JOIN archive_media_object o ON o.address = m.object_address WHERE m.msgid = 'img1'`,
    );
    expect(row).toMatchObject({ status: "stored", size: String(photo.length), data_ciphertext: null, key_id: "k1", refs: 1, state: "live" });
    const sealed = (await store.get(row.address))!;
    expect(sealed.length).toBe(photo.length + 28);
    expect(sealed.includes(photo.subarray(0, 64))).toBe(false);
    const [large] = await ds.query(`SELECT status, filename FROM archive_media WHERE msgid = 'file1'`);
    expect(large).toEqual({ status: "too_large", filename: "成绩单.xlsx" });

    // A file that later fails: stored ones are untouched; a pending one backs off, then dead-letters.
    await ds.query(`UPDATE archive_media SET status = 'pending', object_address = NULL, attempts = 0, next_attempt_at = $1 WHERE msgid = 'img2'`, [clock.now()]);
    expect(await fetchPendingMedia(deps, { maxAttempts: 2 })).toMatchObject({ queued: 0, failed: 1, dead: 0 });
    expect(await fetchPendingMedia(deps, { maxAttempts: 2 })).toMatchObject({ failed: 0, dead: 0 }); // not due yet
    clock.advance(10 * 60_000);
    expect(await fetchPendingMedia(deps, { maxAttempts: 2 })).toMatchObject({ dead: 1 });
    const [dead] = await ds.query(`SELECT status, attempts, last_error FROM archive_media WHERE msgid = 'img2'`);
    expect(dead).toEqual({ status: "dead", attempts: 2, last_error: "GetMediaData failed with 10001" });
  });

  it("stops a download that grows past the bound even when the declared size lied", async () => {
    const file = randomBytes(CHUNK * 2);
    const files = new MediaFiles(new Map([["x", file]]));
    await expect(downloadMedia(files, "x", CHUNK + 1)).rejects.toThrow(/size bound/);
    expect(files.calls).toHaveLength(2);
  });
});
