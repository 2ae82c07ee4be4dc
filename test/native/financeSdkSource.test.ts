import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import koffi from "koffi";
import { ArchiveFanout } from "../../src/conversations/archive/archiveFanout";
import { recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import type { ChatDataRecord } from "../../src/wecom/archive/archiveSource";
import { drainArchive } from "../../src/conversations/archive/drainArchive";
import { FinanceSdkSource } from "../../src/wecom/archive/financeSdkSource";
import { InlineRandomKeyDecryptor } from "../../src/wecom/archive/randomKeyDecryptor";
import { TestClock } from "../../src/platform/clock";
import { DataKeyRing } from "../../src/platform/dataProtection/keyRing";
import { silentLogger } from "../../src/platform/logger";
import { createTestDatabase } from "../support/testDatabase";
import { chatRecord, rsaPair, text } from "../conversations/support/archiveFixtures";
import { rsaDecryptPkcs1v15 } from "../../src/wecom/archive/rsaPkcs1";
import { buildFakeFinanceSdk } from "./buildFakeFinanceSdk";

const libraryPath = buildFakeFinanceSdk();

describe("Finance SDK adapter (koffi) against the compiled stand-in", () => {
  const pair = rsaPair();
  const keys = new Map<number, string>();
  // What WeCom's GetChatData serves: the random key RSA-encrypted with the company's public key, the message AES-encrypted with it.
  const records: ChatDataRecord[] = Array.from({ length: 7 }, (_, i) => {
    const seq = i + 1;
    const message = text(`ffi-${seq}`, "t_zhang", ["wmA"], `通过SDK的第${seq}条`, { at: Date.parse("2026-03-02T01:00:00Z") + seq });
    const record = chatRecord(seq, message, pair.publicKey);
    keys.set(seq, rsaDecryptPkcs1v15(pair.privateKey, Buffer.from(record.encrypt_random_key, "base64")).toString("latin1"));
    return record;
  });
  let dataFile = "";
  // The stand-in reads its canned chat data from the file named as corpid.
  const open = (secret = "stand-in-secret") => new FinanceSdkSource({ libraryPath, corpId: dataFile, secret });
  const liveObjects = () => koffi.load(libraryPath).func("int FakeFinanceSdk_LiveObjects(void)")() as number;

  beforeAll(() => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fake-finance-data-"));
    dataFile = path.join(dir, "chatdata.jsonl");
    writeFileSync(dataFile, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  });

  it("pulls chat data pages from seq+1 and decrypts through the native DecryptData", async () => {
    const sdk = open();
    try {
      const first = await sdk.getChatData(0, 3, 5);
      expect(first.chatdata.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(first.chatdata[0]).toEqual(records[0]);
      const rest = await sdk.getChatData(3, 1000, 5);
      expect(rest.chatdata.map((r) => r.seq)).toEqual([4, 5, 6, 7]);
      expect((await sdk.getChatData(7, 10, 5)).chatdata).toEqual([]);
      const plaintext = sdk.decryptData(keys.get(2)!, records[1]!.encrypt_chat_msg);
      expect(JSON.parse(plaintext)).toMatchObject({ msgid: "ffi-2", text: { content: "通过SDK的第2条" } });
    } finally {
      await sdk.close();
    }
  });

  it("maps SDK return codes to FinanceSdkError", async () => {
    expect(() => new FinanceSdkSource({ libraryPath, corpId: "", secret: "x" })).toThrow(
      expect.objectContaining({ name: "FinanceSdkError", code: 10000 }),
    );
    const wrong = open("wrong-secret");
    await expect(wrong.getChatData(0, 10, 5)).rejects.toMatchObject({ code: 10004, operation: "GetChatData" });
    await wrong.close();
    const sdk = open();
    try {
      // Another message's key does not authenticate this ciphertext.
      expect(() => sdk.decryptData(keys.get(1)!, records[1]!.encrypt_chat_msg)).toThrow(expect.objectContaining({ code: 10006, operation: "DecryptData" }));
      // Skipping the RSA step: the still-encrypted random key is not a key at all.
      expect(() => sdk.decryptData(records[1]!.encrypt_random_key, records[1]!.encrypt_chat_msg)).toThrow(expect.objectContaining({ code: 10008, operation: "DecryptData" }));
      expect(() => sdk.decryptData(keys.get(1)!, "not*base64")).toThrow(/DecryptData failed with 10006: decryption failed/);
      await expect(sdk.getChatData(0, 1001, 5)).rejects.toMatchObject({ code: 10000 });
      await expect(sdk.getMediaData("bogus", "")).rejects.toMatchObject({ code: 10005, operation: "GetMediaData" });
    } finally {
      await sdk.close();
    }
  });

  it("reads media in 512 KB chunks until is_finish", async () => {
    const sdk = open();
    try {
      const size = 1_300_000;
      const chunks: Buffer[] = [];
      let index = "";
      for (;;) {
        const chunk = await sdk.getMediaData(`size:${size}`, index);
        chunks.push(chunk.data);
        index = chunk.outIndexBuf;
        if (chunk.isFinish) break;
      }
      expect(chunks.map((c) => c.length)).toEqual([524288, 524288, 251424]);
      expect(index).toBe("Range:bytes=1300000-1299999");
      const all = Buffer.concat(chunks);
      expect(all.length).toBe(size);
      expect([all[0], all[1], all[size - 1]]).toEqual([7, (131 + 7) & 0xff, ((size - 1) * 131 + 7) & 0xff]);
    } finally {
      await sdk.close();
    }
  });

  it("drains into the database through the native adapter", async () => {
    const db = await createTestDatabase();
    const sdk = open();
    try {
      const at = new Date("2026-03-01T00:00:00Z");
      await recordSingleConsent(db.dataSource.manager, [{ staffUserid: "t_zhang", externalUserid: "wmA", status: "agree", changedAt: at, source: "event" }], at);
      const report = await drainArchive(
        {
          dataSource: db.dataSource,
          source: sdk,
          randomKeys: new InlineRandomKeyDecryptor(new Map([[1, pair.privateKey]])),
          keyRing: new DataKeyRing({ k: randomBytes(32) }, "k"),
          fanout: new ArchiveFanout(silentLogger()),
          clock: new TestClock(),
          logger: silentLogger(),
          corpId: "ww-test",
        },
        { pageSize: 3 },
      );
      expect(report).toMatchObject({ pages: 3, stored: 7, deadLettered: 0, toSeq: 7 });
    } finally {
      await sdk.close();
      await db.close();
    }
  });

  it("the stand-in refuses NULL where Tencent's sample passes empty strings (so the adapter must never send NULL)", () => {
    // Called directly, as a caller that passed NULL would: proxy, passwd and the first indexbuf.
    const lib = koffi.load(libraryPath);
    const Sdk = koffi.pointer(koffi.opaque());
    const newSdk = lib.func("NewSdk", Sdk, []);
    const init = lib.func("Init", "int", [Sdk, "const char *", "const char *"]);
    const destroy = lib.func("DestroySdk", "void", [Sdk]);
    const newSlice = lib.func("void *NewSlice(void)");
    const freeSlice = lib.func("void FreeSlice(void *)");
    const newMedia = lib.func("void *NewMediaData(void)");
    const freeMedia = lib.func("void FreeMediaData(void *)");
    const getChatData = lib.func("GetChatData", "int", [Sdk, "unsigned long long", "unsigned int", "const char *", "const char *", "int", "void *"]);
    const getMediaData = lib.func("GetMediaData", "int", [Sdk, "const char *", "const char *", "const char *", "const char *", "int", "void *"]);
    const decryptData = lib.func("int DecryptData(const char *, const char *, void *)");
    const sdk = newSdk();
    const slice = newSlice();
    const media = newMedia();
    try {
      expect(init(sdk, dataFile, "stand-in-secret")).toBe(0);
      expect([getChatData(sdk, 0, 10, null, "", 5, slice), getChatData(sdk, 0, 10, "", null, 5, slice), getChatData(sdk, 0, 10, "", "", 5, slice)]).toEqual([10000, 10000, 0]);
      expect([
        getMediaData(sdk, null, "size:10", "", "", 5, media),
        getMediaData(sdk, "", "size:10", null, "", 5, media),
        getMediaData(sdk, "", "size:10", "", null, 5, media),
        getMediaData(sdk, "", "size:10", "", "", 5, media),
      ]).toEqual([10000, 10000, 10000, 0]);
      expect(decryptData(null, records[0]!.encrypt_chat_msg, slice)).toBe(10000);
    } finally {
      freeMedia(media);
      freeSlice(slice);
      destroy(sdk);
    }
  });

  it("the adapter reaches the stand-in with empty strings when no proxy is configured (chat data and every media chunk)", async () => {
    const sdk = new FinanceSdkSource({ libraryPath, corpId: dataFile, secret: "stand-in-secret" });
    try {
      await expect(sdk.getChatData(0, 1, 5)).resolves.toMatchObject({ chatdata: [{ seq: 1 }] });
      await expect(sdk.getMediaData("size:10", "")).resolves.toMatchObject({ isFinish: true, outIndexBuf: "Range:bytes=10-9" });
    } finally {
      await sdk.close();
    }
  });

  it("frees every slice, media object and sdk handle", () => {
    expect(liveObjects()).toBe(0);
  });
});
