import { TestClock } from "../../../src/platform/clock";
import { silentLogger } from "../../../src/platform/logger";
import { createMetrics } from "../../../src/platform/metrics";
import type { Database } from "../../../src/platform/db/database";
import type { PlatformServices } from "../../../src/platform/services";
import { startSandbox, type Sandbox } from "../../../src/sandbox/server";
import { createWeComClient, type ButtonInteractionCard, type WeComClient } from "../../../src/wecom/client";
import { enqueueWeComMessage, type QueuedMessage } from "../../../src/wecom/outbox/enqueue";
import type { OutboxOutcome } from "../../../src/wecom/outbox/outboxMessage";
import { WeComOutbox } from "../../../src/wecom/outbox/weComOutbox";
import { SANDBOX_CORP } from "../../../src/wecom/sandboxCredentials";
import { createTestDatabase } from "../../support/testDatabase";
import { testConfig } from "../../support/testConfig";

const SEND = "/cgi-bin/message/send";
const text = (content: string, over: Partial<QueuedMessage> = {}): QueuedMessage => ({
  topic: "test",
  ref: { note: content },
  message: { type: "text", touser: ["hr_a"], content },
  duplicateCheck: true,
  giveUpAfter: 3,
  ...over,
});

async function waitUntil<T>(probe: () => T | undefined, what: string, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The one outbox (issue 17): every capability's WeCom messages go out from one table and one claim loop,
 * with one retry rule, an attempt log, the owner told of the outcome in the same transaction, and a wake
 * at commit through PostgreSQL (so a message queued on one instance is sent at once by any instance).
 */
describe("the WeCom outbox", () => {
  let db: Database;
  let sandbox: Sandbox;
  let client: WeComClient;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  const outcomes: OutboxOutcome[] = [];
  const outboxes: WeComOutbox[] = [];
  const newOutbox = (pollMs: number) => {
    const o = new WeComOutbox({ dataSource: db.dataSource, client, clock, logger: silentLogger() }, pollMs);
    outboxes.push(o);
    return o;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    sandbox = await startSandbox({ clock, callbackTimeoutMs: 500 });
    sandbox.state.seed({ departments: [{ id: 1, name: "示例教育集团", parentId: 0 }], users: [{ userid: "hr_a", name: "刘人事", departments: [1] }] });
    const services: PlatformServices = { config: testConfig({ WECOM_API_BASE: sandbox.url }), logger: silentLogger(), clock, dataSource: db.dataSource, metrics: createMetrics() };
    client = createWeComClient(services, {
      settings: { corpId: SANDBOX_CORP.corpId, apiBase: sandbox.url, agentId: SANDBOX_CORP.agentId, secrets: { agent: SANDBOX_CORP.agentSecret } },
      // The outbox owns retries in business time; the transport must not retry on its own here.
      transport: { maxAttempts: 1 },
    });
  }, 60_000);
  afterAll(async () => {
    for (const o of outboxes) await o.stop();
    await sandbox?.stop();
    await db?.close();
  });

  const queue = (q: QueuedMessage) => db.dataSource.transaction((m) => enqueueWeComMessage(m, q, clock.now()));
  const textsTo = (content: string) => sandbox.state.messagesTo("hr_a").filter((m) => (m.body.text as { content?: string } | undefined)?.content === content);

  it("a commit wakes a running outbox at once (no poll): a second instance's queueing is heard through PostgreSQL", async () => {
    const running = newOutbox(600_000);
    running.onOutcome("test", async (_m, o) => void outcomes.push(o));
    running.start();
    await new Promise((r) => setTimeout(r, 300)); // LISTEN established
    await queue(text("第一条"));
    await waitUntil(() => textsTo("第一条").length === 1, "the message, woken by the commit");
    await waitUntil(() => outcomes.find((o) => o.ref.note === "第一条"), "its outcome");
    expect(outcomes.find((o) => o.ref.note === "第一条")).toMatchObject({ outcome: "sent", channel: "app", errcode: 0 });
    expect(outcomes.find((o) => o.ref.note === "第一条")!.msgid).toBeTruthy();
  });

  it("a rolled-back transaction queues nothing and sends nothing", async () => {
    await db.dataSource
      .transaction(async (m) => {
        await enqueueWeComMessage(m, text("回滚的消息"), clock.now());
        throw new Error("rollback");
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo("回滚的消息")).toHaveLength(0);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM wecom_outbox WHERE ref->>'note' = '回滚的消息'`)).toEqual([{ n: 0 }]);
  });

  it("an errcode WeCom would repeat closes the message as failed, tells its owner, and logs the attempt", async () => {
    const [running] = outboxes;
    await running!.stop();
    sandbox.faults.inject({ path: SEND, errcode: 40003, times: 1 });
    await queue(text("发不出去"));
    await running!.drain();
    const [row] = await db.dataSource.query(`SELECT id, sent_at, failed_at, result FROM wecom_outbox WHERE ref->>'note' = '发不出去'`);
    expect(row.sent_at).toBeNull();
    expect(row.failed_at).not.toBeNull();
    expect(row.result).toMatchObject({ errcode: 40003 });
    expect(outcomes.find((o) => o.ref.note === "发不出去")).toMatchObject({ outcome: "failed", errcode: 40003 });
    expect(await db.dataSource.query(`SELECT channel, errcode FROM wecom_outbox_attempt WHERE $1 = ANY(outbox_ids)`, [row.id])).toEqual([{ channel: "app", errcode: 40003 }]);
  });

  it("系统繁忙 is retried later, not at once, and then delivered once", async () => {
    const [running] = outboxes;
    sandbox.faults.inject({ path: SEND, errcode: -1, times: 1 });
    await queue(text("稍后重试"));
    await running!.drain();
    expect(textsTo("稍后重试")).toHaveLength(0);
    await running!.drain(); // not due yet
    expect(textsTo("稍后重试")).toHaveLength(0);
    clock.advance(60_000);
    await running!.drain();
    expect(textsTo("稍后重试")).toHaveLength(1);
    const attempts = await db.dataSource.query(
      `SELECT a.errcode FROM wecom_outbox_attempt a JOIN wecom_outbox o ON o.id = ANY(a.outbox_ids) WHERE o.ref->>'note' = '稍后重试' ORDER BY a.id`,
    );
    expect(attempts).toEqual([{ errcode: -1 }, { errcode: 0 }]);
  });

  it("two instances draining together send each message once", async () => {
    const [a] = outboxes;
    const b = newOutbox(600_000);
    // WeCom drops an app's messages beyond 30 a minute to one member (path/90236): a fresh minute, 25 messages.
    clock.advance(61_000);
    for (let i = 0; i < 25; i++) await queue(text(`并发${i}`));
    await Promise.all([a!.drain(), b.drain(), a!.drain(), b.drain()]);
    for (let i = 0; i < 25; i++) expect(textsTo(`并发${i}`)).toHaveLength(1);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM wecom_outbox WHERE ref->>'note' LIKE '并发%' AND sent_at IS NOT NULL AND attempts = 1`)).toEqual([{ n: 25 }]);
  });

  it("keeps the response_code message/send answers a button card with for the card's owner, and spends it once on an update", async () => {
    const [running] = outboxes;
    clock.advance(61_000);
    const card: ButtonInteractionCard = { card_type: "button_interaction", main_title: { title: "审批" }, task_id: "outbox_rc_1", button_list: [{ type: 0, text: "同意", key: "ok" }] };
    await queue({ ...text("卡片"), message: { type: "template_card", touser: ["hr_a"], card } });
    await running!.drain();
    const sent = outcomes.find((o) => o.ref.note === "卡片")!;
    const code = (sandbox.calls.callsTo(SEND).at(-1)!.response as { response_code: string }).response_code;
    expect([sent.outcome, sent.detail]).toEqual(["sent", { responseCode: code }]);
    // A one-use credential of its owner's: not copied into the outbox's own log. A text has none.
    expect((await db.dataSource.query(`SELECT result FROM wecom_outbox WHERE ref->>'note' = '卡片'`))[0].result).toEqual({ msgid: sent.msgid, errcode: 0, responseCode: "kept by its owner" });
    expect(outcomes.find((o) => o.ref.note === "第一条")!.detail).toBeNull();

    // The whole card replaced with the code (replace_text greys its buttons); the same code a second time is WeCom's 60140, closed as failed.
    const update = { type: "update_card" as const, userids: ["hr_a"], responseCode: code, replaceName: "已处理", card: { ...card, sub_title_text: "已在控制台处理" } };
    await queue({ ...text("更新"), message: update, duplicateCheck: false });
    await queue({ ...text("再次更新"), message: update, duplicateCheck: false });
    await running!.drain();
    expect(sandbox.calls.callsTo("/cgi-bin/message/update_template_card").map((c) => [c.body, c.errcode])).toEqual([
      [{ userids: ["hr_a"], response_code: code, template_card: { ...card, sub_title_text: "已在控制台处理", replace_text: "已处理" }, agentid: SANDBOX_CORP.agentId }, 0],
      [{ userids: ["hr_a"], response_code: code, template_card: { ...card, sub_title_text: "已在控制台处理", replace_text: "已处理" }, agentid: SANDBOX_CORP.agentId }, 60140],
    ]);
    expect(outcomes.find((o) => o.ref.note === "更新")).toMatchObject({ outcome: "sent", channel: "card_update" });
    expect(outcomes.find((o) => o.ref.note === "再次更新")).toMatchObject({ outcome: "failed", channel: "card_update", errcode: 60140 });
  });

  it("refuses a second listener for one topic (one owner per topic)", () => {
    expect(() => outboxes[0]!.onOutcome("test", async () => undefined)).toThrow(/already has a listener/);
  });
});
