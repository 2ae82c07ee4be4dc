import { createDataSource } from "../../ormconfig";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { openEventCallback } from "../../src/wecom/callback/openCallback";
import { CallbackCrypto } from "../../src/wecom/crypto/callbackCrypto";
import { retryDelayMs } from "../../src/wecom/inbox/backoff";
import { InboxDispatcher } from "../../src/wecom/inbox/dispatcher";
import { InboxMetrics } from "../../src/wecom/inbox/inboxMetrics";
import { InboxWorker } from "../../src/wecom/inbox/inboxWorker";
import { InboxWriter } from "../../src/wecom/inbox/inboxWriter";
import { pgPool } from "../../src/wecom/inbox/pgPool";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { json } from "../support/http";
import { createTestDatabase } from "../support/testDatabase";
import { externalContactEvent, signedCallback, textMessage } from "./callbackSupport";
import { metricValue, nowSeconds, post, startIngress, type RunningIngress } from "./inboxHarness";

describe("retryDelayMs", () => {
  it("grows exponentially with jitter between half and the full step, capped", () => {
    expect(retryDelayMs(1, () => 0)).toBe(500);
    expect(retryDelayMs(1, () => 1)).toBe(1_000);
    expect(retryDelayMs(4, () => 1)).toBe(8_000);
    expect(retryDelayMs(30, () => 1)).toBe(600_000);
  });
});

describe("InboxDispatcher", () => {
  it("prefers an exact kind, falls back to the prefix, and refuses double registration", () => {
    const d = new InboxDispatcher();
    const all = async () => undefined;
    const add = async () => undefined;
    d.register("change_external_contact", all).register("change_external_contact:add_external_contact", add);
    expect(d.handlerFor("change_external_contact:add_external_contact")).toBe(add);
    expect(d.handlerFor("change_external_contact:del_follow_user")).toBe(all);
    expect(d.handlerFor("change_external_chat:update")).toBeUndefined();
    expect(() => d.register("change_external_contact", all)).toThrow();
  });
});

describe("inbox worker", () => {
  let db: Database;
  let ingress: RunningIngress;
  const ops = (path: string, init: RequestInit = {}, token = "ops-secret") =>
    fetch(`${ingress.base}${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
  const status = async (kind: string) =>
    (await db.dataSource.query(`SELECT status, attempts, last_error FROM wecom_inbox WHERE kind = $1`, [kind]))[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    ingress = await startIngress(db);
  });
  afterAll(async () => {
    await ingress.close();
    await db.close();
  });

  const deliver = (xml: string) => post(ingress.base, signedCallback(xml, { timestamp: nowSeconds(ingress.clock) }));

  it("retries a handler that fails twice, with backoff, then marks it done", async () => {
    let calls = 0;
    ingress.dispatcher.register("change_external_contact:transfer_fail", async () => {
      calls++;
      if (calls <= 2) throw new Error(`WeCom busy (call ${calls})`);
    });
    await deliver(externalContactEvent("transfer_fail", nowSeconds(ingress.clock), { FailReason: "customer_refused" }));
    await ingress.worker.drain();
    expect(calls).toBe(1);
    expect(await status("change_external_contact:transfer_fail")).toMatchObject({ status: "pending", attempts: 1, last_error: "WeCom busy (call 1)" });
    await ingress.worker.drain();
    expect(calls).toBe(1); // not due yet
    ingress.clock.advance(retryDelayMs(1, () => 1));
    await ingress.worker.drain();
    expect(calls).toBe(2);
    ingress.clock.advance(retryDelayMs(2, () => 1));
    await ingress.worker.drain();
    expect(calls).toBe(3);
    expect(await status("change_external_contact:transfer_fail")).toMatchObject({ status: "done", attempts: 3, last_error: null });
    expect(await metricValue(ingress, "wecom_inbox_handler_failures_total", '{kind="change_external_contact:transfer_fail"}')).toBe(2);
  });

  it("rolls back what a failing handler wrote through its transaction", async () => {
    ingress.dispatcher.register("change_external_contact:del_follow_user", async (_e, ctx) => {
      await ctx.manager.query(`INSERT INTO app_setting (key, value) VALUES ('half-done', '1')`);
      throw new Error("failed after writing");
    });
    await deliver(externalContactEvent("del_follow_user", nowSeconds(ingress.clock)));
    await ingress.worker.drain();
    expect(await db.dataSource.query(`SELECT 1 FROM app_setting WHERE key = 'half-done'`)).toHaveLength(0);
  });

  it("parks a poison event as dead after INBOX_MAX_ATTEMPTS, shows it to operators, and retries it on request", async () => {
    let healthy = false;
    ingress.dispatcher.register("change_external_contact:edit_external_contact", async () => {
      if (!healthy) throw new Error("cannot parse remark");
    });
    await deliver(externalContactEvent("edit_external_contact", nowSeconds(ingress.clock)));
    for (let i = 0; i < 5; i++) {
      await ingress.worker.drain();
      ingress.clock.advanceHours(1);
    }
    expect(await status("change_external_contact:edit_external_contact")).toMatchObject({ status: "dead", attempts: 3, last_error: "cannot parse remark" });
    expect(await metricValue(ingress, "wecom_inbox_dead_letters")).toBeGreaterThanOrEqual(1);

    expect((await fetch(`${ingress.base}/ops/inbox/dead`)).status).toBe(401);
    expect((await ops("/ops/inbox/dead", {}, "wrong")).status).toBe(403);
    const listed = await json(await ops("/ops/inbox/dead"));
    const dead = listed.deadLetters.find((d: { kind: string }) => d.kind === "change_external_contact:edit_external_contact");
    expect(dead).toMatchObject({ attempts: 3, lastError: "cannot parse remark" });

    healthy = true;
    expect((await ops(`/ops/inbox/${dead.id}/retry`, { method: "POST" })).status).toBe(200);
    expect((await ops(`/ops/inbox/${dead.id}/retry`, { method: "POST" })).status).toBe(404);
    await ingress.worker.drain();
    expect(await status("change_external_contact:edit_external_contact")).toMatchObject({ status: "done" });
  });

  it("keeps operator endpoints closed when OPS_TOKEN is unset", async () => {
    const closed = await startIngress(db, { env: { OPS_TOKEN: "" } });
    try {
      const res = await fetch(`${closed.base}/ops/inbox/dead`, { headers: { Authorization: "Bearer anything" } });
      expect(res.status).toBe(403);
    } finally {
      await closed.close();
    }
  });

  it("acknowledges and completes kinds nobody handles", async () => {
    await deliver(externalContactEvent("add_half_external_contact", nowSeconds(ingress.clock)));
    await ingress.worker.drain();
    expect(await status("change_external_contact:add_half_external_contact")).toMatchObject({ status: "done", attempts: 1 });
  });

  it("reports depth and the oldest pending age", async () => {
    await deliver(textMessage("depth-1", nowSeconds(ingress.clock)));
    ingress.clock.advance(30_000);
    expect(await metricValue(ingress, "wecom_inbox_depth")).toBe(1);
    expect(await metricValue(ingress, "wecom_inbox_oldest_pending_age_seconds")).toBe(30);
    await ingress.worker.drain();
    expect(await metricValue(ingress, "wecom_inbox_depth")).toBe(0);
  });

  it("reclaims a row whose worker died holding the lease", async () => {
    let calls = 0;
    ingress.dispatcher.register("change_external_contact:msg_audit_approved", async () => void calls++);
    await deliver(externalContactEvent("msg_audit_approved", nowSeconds(ingress.clock)));
    // A worker claims it and dies before handling.
    await db.dataSource.query(
      `UPDATE wecom_inbox SET status = 'processing', attempts = 1, locked_until = $1 WHERE kind = 'change_external_contact:msg_audit_approved'`,
      [new Date(ingress.clock.now().getTime() + 60_000)],
    );
    await ingress.worker.drain();
    expect(calls).toBe(0);
    ingress.clock.advance(60_001);
    await ingress.worker.drain();
    expect(calls).toBe(1);
    expect(await status("change_external_contact:msg_audit_approved")).toMatchObject({ status: "done", attempts: 2 });
  });

  it("wakes up when a callback is stored, without waiting for the poll", async () => {
    const handled: string[] = [];
    const slowPoll = await startIngress(db, { env: { INBOX_POLL_MS: "60000" }, clock: ingress.clock });
    slowPoll.dispatcher.register("text", async (e) => void handled.push(e.type === "text" ? e.msgId : ""));
    try {
      slowPoll.worker.start();
      await new Promise((r) => setTimeout(r, 100));
      await post(slowPoll.base, signedCallback(textMessage("wake-1", nowSeconds(ingress.clock)), { timestamp: nowSeconds(ingress.clock) }));
      for (let i = 0; i < 50 && !handled.includes("wake-1"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(handled).toContain("wake-1");
    } finally {
      await slowPoll.close();
    }
  });
});

describe("InboxWriter", () => {
  it("stores concurrent callbacks in shared statements, accepting exactly one of identical ones", async () => {
    const db = await createTestDatabase();
    try {
      const clock = new TestClock();
      const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
      const writer = new InboxWriter(pgPool(db.dataSource), clock, { maxInFlight: 1 });
      const t = nowSeconds(clock);
      const open = (msgId: string) => {
        const signed = signedCallback(textMessage(msgId, t), { timestamp: t });
        return openEventCallback(Object.fromEntries(new URLSearchParams(signed.query)), signed.body, {
          crypto,
          windowSeconds: 600,
          nowMs: clock.now().getTime(),
        });
      };
      const ids = ["a", "b", "a", "c", "a", "b", ...Array.from({ length: 40 }, (_, i) => `n${i}`)];
      const outcomes = await Promise.all(ids.map((id) => writer.insert(open(id))));
      expect(outcomes.filter((o) => o === "accepted")).toHaveLength(43);
      expect(outcomes.slice(0, 6)).toEqual(["accepted", "accepted", "duplicate", "accepted", "duplicate", "duplicate"]);
      const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM wecom_inbox`);
      expect(n).toBe(43);
    } finally {
      await db.close();
    }
  });
});

describe("two workers on one table", () => {
  it("never handle an event twice", async () => {
    const db = await createTestDatabase();
    const second = createDataSource(db.url, 4);
    await second.initialize();
    try {
      const clock = new TestClock();
      const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
      const writer = new InboxWriter(pgPool(db.dataSource), clock);
      const t = nowSeconds(clock);
      for (let i = 0; i < 200; i++) {
        const signed = signedCallback(textMessage(`c${i}`, t), { timestamp: t });
        const query = Object.fromEntries(new URLSearchParams(signed.query));
        await writer.insert(openEventCallback(query, signed.body, { crypto, windowSeconds: 600, nowMs: clock.now().getTime() }));
      }
      const counts = new Map<string, number>();
      const workers = [db.dataSource, second].map((dataSource, n) => {
        const metrics = createMetrics({ collectProcessMetrics: false });
        const pool = pgPool(dataSource);
        const dispatcher = new InboxDispatcher().register("text", async (e, ctx) => {
          if (e.type !== "text") return;
          counts.set(e.msgId, (counts.get(e.msgId) ?? 0) + 1);
          // Hold the row lock a moment so the two workers really overlap.
          await ctx.manager.query(`SELECT pg_sleep(0.002)`);
        });
        return new InboxWorker(
          { dataSource, pool, clock, logger: silentLogger() },
          dispatcher,
          new InboxMetrics(metrics, pool, clock, silentLogger()),
          { pollMs: 50, maxAttempts: 3, concurrency: 3 + n },
        );
      });
      const taken = await Promise.all(workers.map((w) => w.drain()));
      expect(taken[0]).toBeGreaterThan(0);
      expect(taken[1]).toBeGreaterThan(0);
      expect(counts.size).toBe(200);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      const [row] = await db.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'done')::int AS done FROM wecom_inbox`);
      expect(row.done).toBe(200);
    } finally {
      await second.destroy();
      await db.close();
    }
  });
});
