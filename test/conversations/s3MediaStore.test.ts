import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
// s3rver: an S3-compatible server in Node (S3's REST paths, headers and XML errors). No docker or MinIO binary here.
import S3rver from "s3rver";
import { fetchPendingMedia } from "../../src/conversations/media/fetchMedia";
import { collectMediaGarbage } from "../../src/conversations/media/mediaObjects";
import { readMedia } from "../../src/conversations/media/mediaRows";
import { mediaStoreFromConfig } from "../../src/conversations/media/store/mediaStoreFromConfig";
import { mediaAddress, MediaObjectCorrupt } from "../../src/conversations/media/store/mediaStore";
import { S3MediaStore, type S3MediaStoreOptions } from "../../src/conversations/media/store/s3MediaStore";
import { TestClock } from "../../src/platform/clock";
import { loadConfig } from "../../src/platform/config";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createTestDatabase } from "../support/testDatabase";
import { consentAll, ingest, keyRing } from "./support/conversationFixtures";
import { MediaFiles } from "./support/mediaFiles";

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => Promise.reject(new Error("expected a rejection, but it resolved")),
    (err: unknown) => err,
  );

describe("S3 media store against an S3-compatible server", () => {
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  let options: S3MediaStoreOptions;
  let raw: S3Client;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "wpg-s3rver-"));
    server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: "guard-media", configs: [] }] });
    const { port } = (await server.run()) as AddressInfo;
    endpoint = `http://127.0.0.1:${port}`;
    options = { bucket: "guard-media", region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }, prefix: "media/" };
    raw = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  });
  afterAll(async () => {
    raw.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("puts under the prefix and address, reads back exactly, answers null when absent, deletes idempotently", async () => {
    const store = new S3MediaStore(options);
    const data = randomBytes(300_000);
    const address = mediaAddress(data);
    expect(await store.get(address)).toBeNull();
    await store.put(address, data);
    await store.put(address, data);
    expect((await store.get(address))!.equals(data)).toBe(true);
    await store.delete(address);
    await store.delete(address);
    expect(await store.get(address)).toBeNull();
    expect(store.description).toBe(`s3 bucket guard-media at ${endpoint}`);
    store.close();
  });

  it("refuses an object replaced in the bucket, an unknown access key and a missing bucket (errors, never null)", async () => {
    const store = new S3MediaStore(options);
    const data = randomBytes(1000);
    const address = mediaAddress(data);
    await raw.send(new PutObjectCommand({ Bucket: "guard-media", Key: `media/${address}`, Body: randomBytes(1000) }));
    expect(await rejection(store.get(address))).toBeInstanceOf(MediaObjectCorrupt);

    // s3rver checks the access key id but not the SigV4 signature itself (signing is the SDK's, tested against AWS and MinIO).
    const forged = new S3MediaStore({ ...options, credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "S3RVER" } });
    expect((await rejection(forged.put(address, data))) as Error).toMatchObject({ name: "InvalidAccessKeyId" });
    const nowhere = new S3MediaStore({ ...options, bucket: "no-such-bucket" });
    expect((await rejection(nowhere.get(address))) as Error).toMatchObject({ name: "NoSuchBucket" });
    for (const s of [store, forged, nowhere]) s.close();
  });

  it("is what MEDIA_STORE=s3 builds, and carries the archive end to end: stored once, read, collected after the last reference", async () => {
    const config = loadConfig({
      MEDIA_STORE: "s3",
      MEDIA_S3_BUCKET: "guard-media",
      MEDIA_S3_REGION: "us-east-1",
      MEDIA_S3_ENDPOINT: endpoint,
      MEDIA_S3_FORCE_PATH_STYLE: "true",
      MEDIA_S3_ACCESS_KEY_ID: "S3RVER",
      MEDIA_S3_SECRET_ACCESS_KEY: "S3RVER",
    });
    const store = mediaStoreFromConfig(config);
    expect(store).toBeInstanceOf(S3MediaStore);
    let db: Database | undefined;
    try {
      db = await createTestDatabase(4);
      const ds = db.dataSource;
      const clock = new TestClock("2026-03-03T09:00:00+08:00");
      const T0 = Date.parse("2026-03-02T09:00:00+08:00");
      await consentAll(ds, [["t_zhang", "wmA"]], new Date(T0 - 86_400_000));
      const voice = randomBytes(700_000);
      const md5sum = createHash("md5").update(voice).digest("hex");
      const message = (msgid: string, sdkfileid: string) => ({ msgid, action: "send", from: "t_zhang", tolist: ["wmA"], roomid: "", msgtime: T0, msgtype: "voice", voice: { sdkfileid, md5sum, voice_size: voice.length } });
      await ingest(ds, [message("v1", "sdk-v1"), message("v2", "sdk-v2")]);
      const deps = { dataSource: ds, keyRing, store, clock };
      const files = new MediaFiles(new Map([["sdk-v1", voice], ["sdk-v2", voice]]));
      expect(await fetchPendingMedia({ ...deps, source: files, logger: silentLogger() })).toMatchObject({ queued: 2, stored: 2 });
      const [{ address, refs }] = await ds.query(`SELECT address, refs FROM archive_media_object`);
      expect(refs).toBe(2);
      expect((await readMedia(deps, "v2", "sdk-v2"))!.equals(voice)).toBe(true);
      expect((await store.get(address))!.includes(voice.subarray(0, 64))).toBe(false); // sealed in the bucket

      await ds.query(`DELETE FROM archive_media WHERE msgid IN ('v1', 'v2')`);
      expect(await collectMediaGarbage(deps)).toEqual({ deleted: 1, abandonedUploads: 0, failed: 0 });
      expect(await store.get(address)).toBeNull();
    } finally {
      store.close?.();
      await db?.close();
    }
  });
});
