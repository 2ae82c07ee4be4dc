import { enqueueMessage } from "../../src/resignation/outbox/outbox";
import { startHarness, waitFor, type Harness } from "./harness";

const SEND = "/cgi-bin/message/send";

/**
 * WeCom's duplicate check on message/send (path/90236: off by default; with it on, the same request JSON
 * within duplicate_check_interval is not delivered again), used on purpose: never on a bot reply (a second
 * "进度" must get a second answer), always on a queued notice (its resend after a lost answer must not
 * arrive twice). The sandbox applies the send and loses the answer (faults `afterHandling`).
 */
describe("duplicate check on app messages", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  const texts = (userid: string) => h.sandbox.state.messages.filter((m) => m.deliveredTo.includes(userid) && m.msgtype === "text");
  const outboxRow = async (kind: string) =>
    (await h.db.dataSource.query(`SELECT sent_at, failed_at, result FROM wecom_outbox WHERE topic = 'resignation' AND ref->>'kind' = $1 ORDER BY id DESC LIMIT 1`, [kind]))[0];

  it("asking 进度 twice within a minute gets two identical answers: bot replies go without the duplicate check", async () => {
    await h.sandbox.actors.memberTextsApp("teacher_c", "进度");
    await waitFor(() => texts("teacher_c").length === 1, "first status reply");
    await h.sandbox.actors.memberTextsApp("teacher_c", "进度");
    await waitFor(() => texts("teacher_c").length === 2, "second status reply");
    const [first, second] = texts("teacher_c");
    expect(second!.body.text).toEqual(first!.body.text);
    expect(second!.body.enable_duplicate_check).toBeUndefined();
  });

  it("a bot reply whose answer is lost is not sent again: closed as outcome unknown", async () => {
    const calls = h.sandbox.calls.callsTo(SEND).length;
    h.sandbox.faults.inject({ path: SEND, httpStatus: 502, afterHandling: true, times: 1 });
    await h.sandbox.actors.memberTextsApp("teacher_c", "进度");
    const row = await waitFor(async () => {
      const r = await outboxRow("bot_reply");
      return r?.failed_at ? r : undefined;
    }, "bot reply closed");
    expect(row.result).toMatchObject({ outcome: "unknown", errcode: null });
    expect(h.sandbox.calls.callsTo(SEND).length).toBe(calls + 1);
    expect(texts("teacher_c")).toHaveLength(3);
  });

  it("a notice whose answer is lost is repeated and WeCom drops the copy: delivered once, recorded as sent", async () => {
    const calls = h.sandbox.calls.callsTo(SEND).length;
    h.sandbox.faults.inject({ path: SEND, httpStatus: 502, afterHandling: true, times: 1 });
    await h.db.dataSource.transaction((m) =>
      enqueueMessage(m, null, "hr_notice", { type: "text", touser: ["hr_bj"], content: "【离职办理】请确认排班" }, h.clock.now()),
    );
    const row = await waitFor(async () => {
      const r = await outboxRow("hr_notice");
      return r?.sent_at ? r : undefined;
    }, "notice sent");
    const sends = h.sandbox.calls.callsTo(SEND).slice(calls);
    expect(sends).toHaveLength(2);
    expect(sends.map((c) => (c.body as { enable_duplicate_check?: number }).enable_duplicate_check)).toEqual([1, 1]);
    expect(texts("hr_bj").filter((m) => (m.body.text as { content: string }).content === "【离职办理】请确认排班")).toHaveLength(1);
    const dropped = h.sandbox.state.messages.filter((m) => m.duplicateOf);
    expect(dropped).toHaveLength(1);
    expect(row.result.msgid).toBe(dropped[0]!.duplicateOf);
  });

  it("the same notice again once WeCom's window (4 h) has passed is a new message and arrives", async () => {
    h.clock.advance(4 * 3_600_000 + 1000);
    await h.db.dataSource.transaction((m) =>
      enqueueMessage(m, null, "hr_notice", { type: "text", touser: ["hr_bj"], content: "【离职办理】请确认排班" }, h.clock.now()),
    );
    await waitFor(() => texts("hr_bj").filter((m) => (m.body.text as { content: string }).content === "【离职办理】请确认排班").length === 2, "second notice");
  });
});
