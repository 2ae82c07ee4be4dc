import { parseArchivedMessage, mediaRefs, type ChatMessage } from "../../src/wecom/archive/archivedMessage";
import { messageText } from "../../src/conversations/presenters/messageText";
import { allArchiveFixtures } from "../fixtures/wecom/loadFixture";
import { startTestSandbox, type TestSandbox } from "../sandbox/support";

const fixtures = allArchiveFixtures();
const BASE = new Set(["msgid", "action", "from", "tolist", "roomid", "msgtime", "msgtype", "seq"]);
const MEDIA = new Set(["voice", "emotion", "image", "video", "file"]);

/** The type's part of a record: its body object's keys, or (vote) the record's own non-base keys. */
function bodyShape(record: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(record)) {
    if (BASE.has(k)) continue;
    out[k] = typeof v === "object" && v !== null && !Array.isArray(v) ? Object.keys(v).sort() : [typeof v];
  }
  return out;
}

describe("chat-archive records as WeCom writes them (test/fixtures/wecom/msgaudit)", () => {
  it.each(fixtures.map((f) => [f.name, f] as const))("%s parses by its real body key", (_name, f) => {
    const m = parseArchivedMessage(JSON.stringify(f.record)) as ChatMessage;
    expect(m.content).toEqual(f.expected);
    expect(messageText(m.content)).not.toBe("");
  });

  it("voice and emotion sizes reach the media metadata (voice_size, imagesize)", () => {
    const sizes = fixtures
      .filter((f) => f.name === "voice" || f.name === "emotion")
      .map((f) => mediaRefs((parseArchivedMessage(JSON.stringify(f.record)) as ChatMessage).content)[0]?.filesize);
    expect(sizes).toEqual([3225, 6810]);
  });

  it("red packets in a room with WeChat users read as red packets", () => {
    const f = fixtures.find((x) => x.name === "external_redpacket")!;
    expect(messageText((parseArchivedMessage(JSON.stringify(f.record)) as ChatMessage).content)).toBe("[红包] 恭喜发财，大吉大利（共 2 个，0.20 元）");
  });

  describe("the sandbox archives with the same keys", () => {
    let t: TestSandbox;
    beforeAll(async () => {
      t = await startTestSandbox();
      t.sandbox.archive.addKeyVersion(1);
    });
    afterAll(() => t.sandbox.stop());

    // vote keeps its fields at the top of the record; the sandbox does not model that type.
    const bodied = fixtures.filter((f) => f.name !== "vote");
    it.each(bodied.map((f) => [f.name, f] as const))("%s", (_name, f) => {
      const type = String(f.record.msgtype);
      const shape = bodyShape(f.record);
      const [bodyKey] = Object.keys(shape);
      const payload = { ...(f.record[bodyKey!] as Record<string, unknown>) };
      if (MEDIA.has(type)) for (const k of ["sdkfileid", "md5sum", "voice_size", "imagesize", "filesize"]) delete payload[k];
      const sent = t.sandbox.actors.chat({
        from: "teacher_a",
        to: "wm_parent_1",
        msgtype: type,
        payload,
        ...(MEDIA.has(type) ? { media: Buffer.from("媒体") } : {}),
      }) as Record<string, unknown>;
      expect(bodyShape(sent)).toEqual(shape);
    });
  });
});
