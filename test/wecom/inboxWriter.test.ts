import { createDataSource } from "../../ormconfig";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { openEventCallback, type OpenedCallback } from "../../src/wecom/callback/openCallback";
import { CallbackCrypto } from "../../src/wecom/crypto/callbackCrypto";
import { InboxWriter, isRowFault } from "../../src/wecom/inbox/inboxWriter";
import { pgPool } from "../../src/wecom/inbox/pgPool";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { capturedLogger } from "../support/capturedLogger";
import { createTestDatabase } from "../support/testDatabase";
import { externalContactEvent, signedCallback, storedField, textMessage } from "./callbackSupport";
import { nowSeconds, post, startIngress, startIngressBehindProxy } from "./inboxHarness";

/**
 * The callback route's durable insert under concurrency (group commit,
 * src/wecom/inbox/groupCommit.ts): duplicates stored once whichever writes
 * they land in, a row PostgreSQL refuses fails only its own request, and a
 * callback answered 200 always has its row, also when the database
 * connection dies with writes in flight.
 */
describe("InboxWriter: group commit of the callback route's inbox insert", () => {
  let db: Database;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
  const t = nowSeconds(clock);
  const open = (innerXml: string): OpenedCallback => {
    const signed = signedCallback(innerXml, { timestamp: t });
    return openEventCallback(Object.fromEntries(new URLSearchParams(signed.query)), signed.body, { crypto, windowSeconds: 600, nowMs: clock.now().getTime() });
  };
  const rows = async (): Promise<string[]> =>
    ((await db.dataSource.query(`SELECT coalesce(${storedField("MsgId")}, ${storedField("State")}) AS id FROM wecom_inbox ORDER BY id`)) as { id: string }[]).map((r) => r.id);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE wecom_inbox, wecom_inbox_work`);
  });

  it("accepts exactly one of concurrent duplicates, whether they share a write, are in two writes in flight, or reach two instances", async () => {
    const second = createDataSource(db.url, 4);
    await second.initialize();
    try {
      // lingerMs 0: every free slot starts a write, so identical callbacks land in different concurrent statements.
      const writers = [db.dataSource, second].map((ds) => new InboxWriter(pgPool(ds), clock, { maxInFlight: 3, lingerMs: 0, maxBatch: 7 }));
      const ids = Array.from({ length: 60 }, (_, i) => `m${i}`);
      // Every message three times (WeCom's redeliveries), spread over both instances, interleaved with the others.
      const deliveries = [...ids, ...ids.slice().reverse(), ...ids].map((id, i) => ({ id, writer: writers[i % 2]! }));
      const events = new Map(ids.map((id) => [id, open(textMessage(id, t))]));
      // A contact event redelivered: no MsgId, deduplicated on its whole plaintext.
      const contact = externalContactEvent("add_external_contact", t, { State: "s1" });
      const contactDeliveries = [0, 1, 2].map((n) => writers[n % 2]!.insert(open(contact)));
      const outcomes = await Promise.all(deliveries.map((d) => d.writer.insert(events.get(d.id)!)));
      const accepted = new Map<string, number>();
      deliveries.forEach((d, i) => {
        if (outcomes[i] === "accepted") accepted.set(d.id, (accepted.get(d.id) ?? 0) + 1);
      });
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(120);
      expect([...accepted.values()].every((n) => n === 1)).toBe(true);
      expect(accepted.size).toBe(60);
      expect((await Promise.all(contactDeliveries)).sort()).toEqual(["accepted", "duplicate", "duplicate"]);
      expect(await rows()).toEqual([...ids, "s1"].sort());
    } finally {
      await second.destroy();
    }
  });

  it("stores each event with its work row, and reads no event back: no lock on the event rows it just wrote (issue 20)", async () => {
    // Index reads by primary key, from PostgreSQL's counters (each backend reports them when it goes idle: forced here).
    const pkeyReads = async () => {
      await db.dataSource.query(`SELECT pg_stat_force_next_flush()`);
      const rows = (await db.dataSource.query(
        `SELECT indexrelname AS index, idx_scan::int AS scans FROM pg_stat_user_indexes WHERE indexrelname IN ('wecom_inbox_pkey', 'wecom_inbox_work_pkey') ORDER BY indexrelname`,
      )) as { index: string; scans: number }[];
      return Object.fromEntries(rows.map((r) => [r.index, r.scans]));
    };
    // One connection, so the writer's statements run on the backend whose counters are flushed above.
    const one = createDataSource(db.url, 1);
    await one.initialize();
    try {
      const writer = new InboxWriter(pgPool(one), clock, { handoff: { offer: () => ({ leaseUntil: new Date(clock.now().getTime() + 60_000) }), stored: () => undefined } });
      await writer.insert(open(textMessage("warm-1", t)));
      await one.query(`SELECT pg_stat_force_next_flush()`);
      const before = await pkeyReads();
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => writer.insert(open(textMessage(`fk-${i}`, t)))));
      expect(outcomes.every((o) => o === "accepted")).toBe(true);
      await one.query(`SELECT pg_stat_force_next_flush()`);
      const after = await pkeyReads();
      // A foreign key from the work row to its event would look up (and lock, FOR KEY SHARE: a write of the ~1.2 KB
      // event row's header and its WAL) each event by primary key: 20 scans here. Migration 1767100000000 says why there
      // is none.
      expect({ events: after.wecom_inbox_pkey! - before.wecom_inbox_pkey!, work: after.wecom_inbox_work_pkey! - before.wecom_inbox_work_pkey! }).toEqual({ events: 0, work: 0 });
      expect(await db.dataSource.query(`SELECT w.status, w.attempts, count(*)::int AS n FROM wecom_inbox AS i JOIN wecom_inbox_work AS w ON w.id = i.id GROUP BY 1, 2`)).toEqual([
        { status: "processing", attempts: 1, n: 21 },
      ]);
    } finally {
      await one.destroy();
    }
  });

  it("fails only the request whose row PostgreSQL refuses; the others sharing its write are stored and accepted", async () => {
    const writer = new InboxWriter(pgPool(db.dataSource), clock, { maxInFlight: 1 });
    const first = writer.insert(open(textMessage("first", t)));
    // Queued behind the first write, so these three share one statement. A NUL passes signature, decryption
    // and parsing but PostgreSQL refuses it in text and jsonb.
    const batch = ["a", "nul", "b"].map((id) => writer.insert(open(textMessage(id, t, id === "nul" ? "坏\u0000消息" : "作业已完成"))).then((o) => o, (e: unknown) => e));
    expect(await first).toBe("accepted");
    const [a, nul, b] = await Promise.all(batch);
    expect(a).toBe("accepted");
    expect(b).toBe("accepted");
    expect(isRowFault(nul)).toBe(true);
    expect(await rows()).toEqual(["a", "b", "first"]);
  });

  it("never answers 200 for a callback without its row, also when the database connection dies with writes in flight", async () => {
    const { ingress, proxy, close } = await startIngressBehindProxy(db, clock, 4);
    try {
      const ids = Array.from({ length: 400 }, (_, i) => `crash${i}`);
      const signed = ids.map((id) => signedCallback(textMessage(id, t), { timestamp: t }));
      const statuses: number[] = new Array(ids.length).fill(0);
      let answered200 = 0;
      let cut: Promise<void> | undefined;
      await Promise.all(
        signed.map(async (s, i) => {
          // Spread the requests over time so some are answered, some are in flight and some come after the cut.
          await new Promise((r) => setTimeout(r, i));
          statuses[i] = (await post(ingress.base, s)).status;
          if (statuses[i] === 200 && ++answered200 === 100) cut = proxy.cut();
        }),
      );
      await cut;
      const stored = new Set(await rows());
      const acknowledgedWithoutRow = ids.filter((id, i) => statuses[i] === 200 && !stored.has(id));
      expect(acknowledgedWithoutRow).toEqual([]);
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(100);
      // The cut really caught requests on their way: WeCom is asked to retry those.
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it("writes no info access line per stored or repeated callback (counted in metrics), but keeps one for a refusal", async () => {
    const info = capturedLogger("info");
    const ingress = await startIngress(db, { clock, logger: info.logger });
    try {
      const signed = signedCallback(textMessage("logged", t), { timestamp: t });
      expect((await post(ingress.base, signed)).status).toBe(200);
      expect((await post(ingress.base, signed)).status).toBe(200);
      expect((await post(ingress.base, { ...signed, query: signed.query.replace(/msg_signature=[^&]+/, "msg_signature=0") })).status).toBe(401);
      const http = info.lines.filter((l) => l.msg === "http");
      expect(http.map((l) => l.status)).toEqual([401]);
    } finally {
      await ingress.close();
    }
    const debug = capturedLogger("debug");
    const verbose = await startIngress(db, { clock, logger: debug.logger });
    try {
      expect((await post(verbose.base, signedCallback(textMessage("debug", t), { timestamp: t }))).status).toBe(200);
      expect(debug.lines.filter((l) => l.msg === "http").map((l) => [l.level, l.status])).toEqual([[20, 200]]);
    } finally {
      await verbose.close();
    }
  });
});
