import { createHash } from "node:crypto";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { decryptChatRecord, field, openCallback, startReceiver, startTestSandbox, type TestSandbox } from "./support";

const secret = SANDBOX_CORP.archiveSecret;

describe("sandbox chat-archive feed", () => {
  let t: TestSandbox;
  let privateKeyV1: string;
  beforeEach(async () => {
    t = await startTestSandbox();
    privateKeyV1 = t.sandbox.archive.addKeyVersion(1);
  });
  afterEach(() => t.sandbox.stop());

  const chatdata = (body: object) => t.api.rawPost("/sandbox/finance/chatdata", { secret, ...body });

  it("pages messages after seq and each decrypts to WeCom's JSON with the version's private key", async () => {
    for (let i = 0; i < 5; i++) t.sandbox.actors.chat({ from: "teacher_a", to: "wm_parent_1", content: `第${i}条` });
    const first = await chatdata({ seq: 0, limit: 3 });
    expect(first.errcode).toBe(0);
    expect(first.chatdata.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3]);
    const rest = await chatdata({ seq: 3, limit: 1000 });
    expect(rest.chatdata.map((r: { seq: number }) => r.seq)).toEqual([4, 5]);
    expect((await chatdata({ seq: 5, limit: 10 })).chatdata).toEqual([]);

    const record = first.chatdata[0];
    expect(record.publickey_ver).toBe(1);
    const message = decryptChatRecord(privateKeyV1, record);
    expect(message).toEqual({
      msgid: record.msgid,
      action: "send",
      from: "teacher_a",
      tolist: ["wm_parent_1"],
      roomid: "",
      msgtime: t.clock.now().getTime(),
      msgtype: "text",
      text: { content: "第0条" },
    });
  });

  it("stops serving messages older than the 5-day pull window", async () => {
    t.sandbox.actors.chat({ from: "teacher_a", to: "wm_parent_1", content: "old" });
    t.clock.advanceDays(5);
    t.clock.advance(1);
    t.sandbox.actors.chat({ from: "teacher_a", to: "wm_parent_1", content: "fresh" });
    const { chatdata: records } = await chatdata({ seq: 0, limit: 10 });
    expect(records.map((r: { seq: number }) => r.seq)).toEqual([2]);
  });

  it("refuses a wrong secret and a limit outside 1..1000", async () => {
    expect((await chatdata({ seq: 0, limit: 10, secret: "wrong" })).errcode).toBe(10003);
    expect((await chatdata({ seq: 0, limit: 0 })).errcode).toBe(10000);
    expect((await chatdata({ seq: 0, limit: 1001 })).errcode).toBe(10000);
  });

  it("keeps old messages on their old key version after a rotation", async () => {
    t.sandbox.actors.chat({ from: "teacher_a", to: "wm_parent_1", content: "old" });
    const privateKeyV2 = t.sandbox.archive.addKeyVersion(2);
    t.sandbox.actors.chat({ from: "wm_parent_1", to: "teacher_a", content: "new" });
    const { chatdata: records } = await chatdata({ seq: 0, limit: 10 });
    expect(records.map((r: { publickey_ver: number }) => r.publickey_ver)).toEqual([1, 2]);
    expect(decryptChatRecord(privateKeyV1, records[0]).text.content).toBe("old");
    expect(decryptChatRecord(privateKeyV2, records[1]).text.content).toBe("new");
    expect(() => decryptChatRecord(privateKeyV1, records[1])).toThrow();
  });

  it("serves recall, agree, switch and room messages in WeCom's shapes", async () => {
    t.sandbox.state.seed({ groupChats: [{ chatId: "wr_room", owner: "teacher_a", members: [{ userid: "teacher_a" }, { userid: "wm_parent_1" }, { userid: "wm_parent_2" }] }] });
    const sent = t.sandbox.actors.chat({ from: "teacher_a", roomid: "wr_room", content: "下周停课" });
    t.sandbox.actors.recall(sent);
    t.sandbox.actors.agreeRecord("wm_parent_1", "teacher_a", true);
    t.sandbox.actors.switchRecord("teacher_a");
    const { chatdata: records } = await chatdata({ seq: 0, limit: 10 });
    const [room, recall, agree, sw] = records.map((r: { encrypt_random_key: string; encrypt_chat_msg: string }) => decryptChatRecord(privateKeyV1, r));
    expect(room).toMatchObject({ roomid: "wr_room", tolist: ["wm_parent_1", "wm_parent_2"] });
    expect(recall).toMatchObject({ action: "recall", msgtype: "revoke", revoke: { pre_msgid: sent.msgid } });
    expect(agree).toMatchObject({ msgtype: "agree", agree: { userid: "wm_parent_1" } });
    expect(sw).toEqual({ msgid: expect.any(String), action: "switch", time: t.clock.now().getTime(), user: "teacher_a" });
  });

  it("can serve undecryptable records: an unknown key version, a garbage ciphertext", async () => {
    t.sandbox.actors.injectUndecryptable("unknown_key_version");
    t.sandbox.actors.injectUndecryptable("garbage_ciphertext");
    const { chatdata: records } = await chatdata({ seq: 0, limit: 10 });
    expect(records[0].publickey_ver).not.toBe(1);
    expect(records[1].publickey_ver).toBe(1);
    expect(() => decryptChatRecord(privateKeyV1, records[1])).toThrow();
  });

  it("serves media in ≤512 KB chunks until is_finish", async () => {
    const image = Buffer.alloc(1_200_000, 7);
    const msg = t.sandbox.actors.chat({ from: "wm_parent_1", to: "teacher_a", msgtype: "image", media: image });
    const meta = msg.image as { sdkfileid: string; md5sum: string; filesize: number };
    expect(meta.filesize).toBe(image.length);
    const chunks: Buffer[] = [];
    let indexbuf = "";
    for (;;) {
      const res = await t.api.rawPost("/sandbox/finance/media", { sdkfileid: meta.sdkfileid, indexbuf });
      expect(res.errcode).toBe(0);
      chunks.push(Buffer.from(res.data, "base64"));
      expect(chunks.at(-1)!.length).toBeLessThanOrEqual(512 * 1024);
      if (res.is_finish) break;
      indexbuf = res.outindexbuf;
    }
    expect(chunks).toHaveLength(3);
    expect(createHash("md5").update(Buffer.concat(chunks)).digest("hex")).toBe(meta.md5sum);
    expect((await t.api.rawPost("/sandbox/finance/media", { sdkfileid: "nope", indexbuf: "" })).errcode).toBe(10005);
  });

  it("answers the HTTP archive APIs: permit users, consent (exteranalopenid), room info", async () => {
    t.sandbox.state.seed({ archivePermitUsers: ["teacher_a"], groupChats: [{ chatId: "wr_r", owner: "teacher_a", members: [{ userid: "teacher_a" }, { userid: "wm_parent_1" }] }] });
    await t.sandbox.actors.parentConsentsToArchive("wm_parent_1", "teacher_a");
    expect((await t.api.post("archive", "/cgi-bin/msgaudit/get_permit_user_list", { type: 1 })).ids).toEqual(["teacher_a"]);
    const single = await t.api.post("archive", "/cgi-bin/msgaudit/check_single_agree", {
      info: [
        { userid: "teacher_a", exteranalopenid: "wm_parent_1" },
        { userid: "teacher_a", external_userid: "wm_parent_2" },
      ],
    });
    expect(single.agreeinfo.map((a: { exteranalopenid: string; agree_status: string }) => [a.exteranalopenid, a.agree_status])).toEqual([
      ["wm_parent_1", "Agree"],
      ["wm_parent_2", "Disagree"],
    ]);
    const room = await t.api.post("archive", "/cgi-bin/msgaudit/check_room_agree", { roomid: "wr_r" });
    expect(room.agreeinfo).toEqual([expect.objectContaining({ exteranalopenid: "wm_parent_1", agree_status: "Agree" })]);
    const info = await t.api.post("archive", "/cgi-bin/msgaudit/groupchat/get", { roomid: "wr_r" });
    expect(info).toMatchObject({ creator: "teacher_a", members: [{ memberid: "teacher_a" }, { memberid: "wm_parent_1" }] });
  });
});

describe("sandbox msgaudit_notify", () => {
  it("notifies at most every 15 s of sandbox time, and catches up on tick", async () => {
    const receiver = await startReceiver();
    const t = await startTestSandbox({ callbackUrl: receiver.url });
    try {
      t.sandbox.archive.addKeyVersion(1);
      const say = () => t.sandbox.actors.chat({ from: "teacher_a", to: "wm_parent_1", content: "hi", notify: true });
      say();
      say();
      await t.sandbox.callbacks.idle();
      expect(receiver.received).toHaveLength(1);
      t.clock.advance(10_000);
      await t.sandbox.tick();
      expect(receiver.received).toHaveLength(1);
      t.clock.advance(5_000);
      await t.sandbox.tick();
      expect(receiver.received).toHaveLength(2);
      expect(field(openCallback(receiver.received[1]!).xml, "Event")).toBe("msgaudit_notify");
      await t.sandbox.tick();
      expect(receiver.received).toHaveLength(2);
    } finally {
      await t.sandbox.stop();
      await receiver.close();
    }
  });
});
