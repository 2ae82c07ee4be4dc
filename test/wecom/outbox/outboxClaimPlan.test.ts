import { TestClock } from "../../../src/platform/clock";
import { silentLogger } from "../../../src/platform/logger";
import { createMetrics } from "../../../src/platform/metrics";
import type { PlatformServices } from "../../../src/platform/services";
import { startSandbox, type Sandbox } from "../../../src/sandbox/server";
import { createWeComClient } from "../../../src/wecom/client";
import { enqueueWeComMessage } from "../../../src/wecom/outbox/enqueue";
import { WeComOutbox } from "../../../src/wecom/outbox/weComOutbox";
import { SANDBOX_CORP } from "../../../src/wecom/sandboxCredentials";
import { databaseWithOneConnection, readsOfSettledCall, type MeasuredDatabase } from "../../support/tableReads";
import { testConfig } from "../../support/testConfig";

/**
 * The outbox is never pruned, and its claim runs on every wake. When the planner's statistics were taken
 * while a backlog waited (one leaver's transfer queues thousands of notices), it believed much of the table
 * was due and walked the primary key past every message ever sent, on every claim, until the next ANALYZE
 * (migration 1767020000000). The claim must read the due index alone: counted by PostgreSQL's own
 * statistics of the one connection a second outbox instance uses here, a claim over an empty queue reads
 * no index entry and no row of the table.
 */
describe("the WeCom outbox's claim", () => {
  let database: MeasuredDatabase;
  let sandbox: Sandbox;
  let outbox: WeComOutbox;
  let measured: WeComOutbox;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");

  beforeAll(async () => {
    database = await databaseWithOneConnection();
    const { db, oneConnection } = database;
    sandbox = await startSandbox({ clock, callbackTimeoutMs: 500 });
    sandbox.state.seed({ departments: [{ id: 1, name: "示例教育集团", parentId: 0 }], users: [{ userid: "hr_a", name: "刘人事", departments: [1] }] });
    const services: PlatformServices = { config: testConfig({ WECOM_API_BASE: sandbox.url }), logger: silentLogger(), clock, dataSource: db.dataSource, metrics: createMetrics() };
    const client = createWeComClient(services, {
      settings: { corpId: SANDBOX_CORP.corpId, apiBase: sandbox.url, agentId: SANDBOX_CORP.agentId, secrets: { agent: SANDBOX_CORP.agentSecret } },
      transport: { maxAttempts: 1 },
    });
    outbox = new WeComOutbox({ dataSource: db.dataSource, client, clock, logger: silentLogger() }, 600_000);
    // One connection: the statistics read below are its claims' own (an empty queue sends nothing).
    measured = new WeComOutbox({ dataSource: oneConnection, client, clock, logger: silentLogger() }, 600_000);
  }, 60_000);
  afterAll(async () => {
    await outbox?.stop();
    await measured?.stop();
    await sandbox?.stop();
    await database?.close();
  });


  it("reads only the due index, in due order, after statistics taken during a backlog", async () => {
    const { db } = database;
    // No autovacuum in the middle of the test: the dead entries stay as they are between two vacuums.
    await db.dataSource.query(`ALTER TABLE wecom_outbox SET (autovacuum_enabled = false)`);
    const now = clock.now();
    await db.dataSource.query(
      `INSERT INTO wecom_outbox (topic, ref, channel, message, duplicate_check, created_at, next_attempt_at)
       SELECT 'history', '{}', 'app', '{"type":"text","touser":["hr_a"],"content":"旧消息"}', true, $1, $1 FROM generate_series(1, 5000)`,
      [now],
    );
    await db.dataSource.query(`ANALYZE wecom_outbox`); // the statistics see 5,000 unsent rows
    await db.dataSource.query(`UPDATE wecom_outbox SET sent_at = $1, attempts = 1`, [now]); // then all were sent

    // Two messages queued in one transaction still go out in the order they were queued.
    await db.dataSource.transaction(async (m) => {
      for (const content of ["先说明", "再发卡片"]) {
        await enqueueWeComMessage(m, { topic: "test", ref: {}, message: { type: "text", touser: ["hr_a"], content }, duplicateCheck: true, giveUpAfter: 3 }, now);
      }
    });
    expect(await outbox.drain()).toBe(2);
    expect(sandbox.state.messagesTo("hr_a").map((m) => (m.body.text as { content: string }).content)).toEqual(["先说明", "再发卡片"]);

    await measured.drain(); // an ordered scan marks the dead entries it meets; a later claim skips them
    const { result, before, after } = await readsOfSettledCall(database, ["wecom_outbox"], () => measured.drain());
    expect(result).toBe(0);
    expect(after).toEqual(before);
  });
});
