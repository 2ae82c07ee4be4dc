import { WeComOutbox } from "../../src/wecom/outbox/weComOutbox";
import { enqueueNotification } from "../../src/alerts/notifier/alertOutbox";
import { silentLogger } from "../../src/platform/logger";
import { ROBOT, startAlertsHarness, type AlertsHarness } from "./alertsHarness";

/**
 * Issue 16: the robot's 20 messages a minute (path/91770) was counted per
 * process, so two instances sent 40. Two outboxes on one database stand for
 * two instances; they take turns, each sending whatever is due when it runs.
 */
describe("the group robot's 20 a minute, held across two instances", () => {
  let h: AlertsHarness;
  let second: WeComOutbox;
  beforeAll(async () => {
    h = await startAlertsHarness({ startConsumer: false });
    second = new WeComOutbox({ dataSource: h.dataSource, client: h.client, clock: h.clock, logger: silentLogger() }, 50);
  }, 120_000);
  afterAll(() => h.close());

  it("sends 20 in the minute between them, defers the rest to the first free slot, and sends those a minute later", async () => {
    await h.outbox.drain();
    h.sandbox.state.webhookMessages.splice(0);
    const instances = [h.outbox, second];
    for (let i = 0; i < 30; i++) {
      await h.dataSource.transaction((m) =>
        enqueueNotification(m, { alertId: null, purpose: "alert", payload: { type: "markdown", webhookKey: ROBOT, content: `第${i + 1}条预警` } }, h.clock.now()),
      );
      await instances[i % 2]!.drain();
      h.clock.advance(1_000);
    }
    expect(h.sandbox.state.webhookMessages).toHaveLength(20);
    const [deferred] = await h.dataSource.query(`SELECT count(*)::int AS n, min(next_attempt_at) AS at FROM wecom_outbox WHERE sent_at IS NULL`);
    expect(deferred.n).toBe(10);
    // Nothing is dropped and nothing retried early: the first slot frees 60 s after the first send.
    expect(deferred.at.getTime()).toBeGreaterThanOrEqual(h.clock.now().getTime() - 30_000 + 60_000);

    h.clock.advance(60_000);
    await second.drain();
    await h.outbox.drain();
    const [left] = await h.dataSource.query(`SELECT count(*)::int AS n FROM wecom_outbox WHERE sent_at IS NULL`);
    expect(left.n).toBe(0);
    const text = h.sandbox.state.webhookMessages.map((w) => JSON.stringify(w.body)).join("\n");
    for (let i = 1; i <= 30; i++) expect(text).toContain(`第${i}条预警`);
  });
});
