import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAuth } from "../../src/auth/module";
import { fetchPendingMedia } from "../../src/conversations/media/fetchMedia";
import { FsMediaStore } from "../../src/conversations/media/store/fsMediaStore";
import { conversationRoutes } from "../../src/conversations/routes/conversationRoutes";
import { inheritedThreads } from "../../src/handover/module";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { createApp } from "../../src/platform/http/createApp";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { createTestDatabase } from "../support/testDatabase";
import { testConfig } from "../support/testConfig";
import { text } from "./support/archiveFixtures";
import { consentAll, ingest, keyRing, searchKeys, seedOrg } from "./support/conversationFixtures";
import { MediaFiles } from "./support/mediaFiles";

const T0 = Date.parse("2026-03-02T09:00:00+08:00");
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/** Media download through the conversation API: by the message, for whoever may read its thread, logged. */
describe("archived media download", () => {
  let db: Database;
  let server: Server;
  let get: (userid: string, path: string) => Promise<Response>;
  const clock = new TestClock("2026-03-03T09:00:00+08:00");
  const mediaDir = mkdtempSync(path.join(tmpdir(), "wpg-download-"));
  const report = randomBytes(200_000);
  const photo = randomBytes(50_000);

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    await seedOrg(ds);
    await consentAll(ds, [["t_zhang", "wmA"], ["t_wang", "wmC"]], new Date(T0 - 86_400_000));
    const media = (msgid: string, from: string, to: string, msgtype: string, sdkfileid: string, data: Buffer, extra: Record<string, unknown> = {}) => ({
      msgid, action: "send", from, tolist: [to], roomid: "", msgtime: T0, msgtype,
      [msgtype]: { sdkfileid, md5sum: md5(data), filesize: data.length, ...extra },
    });
    await ingest(ds, [
      media("f1", "t_zhang", "wmA", "file", "sdk-report", report, { filename: "期中成绩单.xlsx", fileext: "xlsx" }),
      media("i1", "wmA", "t_zhang", "image", "sdk-photo", photo),
      media("i2", "t_zhang", "wmA", "image", "sdk-later", photo),
      text("t1", "t_zhang", ["wmA"], "请查收成绩单", { at: T0 + 60_000 }),
      media("w1", "t_wang", "wmC", "image", "sdk-b", photo),
    ]);
    const store = new FsMediaStore(mediaDir);
    const files = new MediaFiles(new Map([["sdk-report", report], ["sdk-photo", photo], ["sdk-later", photo], ["sdk-b", photo]]));
    files.failing.add("sdk-later"); // not fetched yet: retried later
    await fetchPendingMedia({ dataSource: ds, source: files, keyRing, store, clock, logger: silentLogger() });
    const services = { config: testConfig(), logger: silentLogger(), clock, dataSource: ds, metrics: createMetrics({ collectProcessMetrics: false }) };
    const auth = createAuth(services);
    const routes = conversationRoutes({ dataSource: ds, keyRing, searchKeys, clock, inheritedThreads, mediaStore: store, auth: auth.console });
    server = createApp({ logger: silentLogger(), metrics: services.metrics, routers: [routes] }).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/conversations`;
    get = (userid, p) => fetch(`${base}${p}`, { headers: { Authorization: `Bearer ${auth.tokens.issue(userid, "console", clock.now(), 3600)}` } });
  }, 60_000);
  afterAll(async () => {
    server.close();
    await db.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  const messageOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

  it("serves a file by its own name and an image named by kind and time, byte for byte, to HR of the teacher's campus", async () => {
    const file = await get("hr_a", "/media/f1");
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(report)).toBe(true);
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="_____.xlsx"; filename*=UTF-8''${encodeURIComponent("期中成绩单.xlsx")}`);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(file.headers.get("cache-control")).toBe("no-store");

    const image = await get("hr_a", "/media/i1");
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(photo)).toBe(true);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(image.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("图片-202603020900.jpg")}`);

    const log = await db.dataSource.query(`SELECT action, resource_id, detail FROM access_log WHERE actor_userid = 'hr_a' ORDER BY id`);
    expect(log).toEqual([
      { action: "read", resource_id: "staff:t_zhang/parent:wmA", detail: { view: "media", msgid: "f1", part: 1, bytes: report.length } },
      { action: "read", resource_id: "staff:t_zhang/parent:wmA", detail: { view: "media", msgid: "i1", part: 1, bytes: photo.length } },
    ]);
  });

  it("refuses readers of other threads by the message's own thread (403), and says why a file is missing (404)", async () => {
    expect((await get("hr_b", "/media/f1")).status).toBe(403);
    expect((await get("t_li", "/media/f1")).status).toBe(403);
    expect((await get("hr_a", "/media/w1")).status).toBe(403);
    const pending = await get("hr_a", "/media/i2");
    expect(pending.status).toBe(404);
    expect(await messageOf(pending)).toBe("该文件尚未从企业微信取回，请稍后再试");
    const noFile = await get("hr_a", "/media/t1");
    expect(noFile.status).toBe(404);
    expect(await messageOf(noFile)).toBe("这条消息没有文件");
    expect(await messageOf(await get("hr_a", "/media/f1?part=2"))).toBe("这条消息只有 1 个文件");
    expect(await messageOf(await get("hr_a", "/media/nope"))).toBe("没有这条消息");
    expect((await get("hr_a", "/media/f1?part=0")).status).toBe(400);
  });
});
