import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { DomainEventBus, retryAfterMs } from "../../src/platform/events/domainEventBus";
import { publishDomainEvent } from "../../src/platform/events/publishDomainEvent";
import { silentLogger } from "../../src/platform/logger";
import { createTestDatabase } from "../support/testDatabase";

const DUE = "resignation.resigned_transfers_due" as const;

describe("domain events between capabilities", () => {
  let db: Database;
  let clock: TestClock;
  const buses: DomainEventBus[] = [];
  const bus = () => {
    const b = new DomainEventBus({ dataSource: db.dataSource, clock, logger: silentLogger() }, 3_600_000);
    buses.push(b);
    return b;
  };
  const publish = (caseId: string) => db.dataSource.transaction((m) => publishDomainEvent(m, DUE, { caseId, employeeUserid: "teacher_a" }, clock.now()));

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  beforeEach(async () => {
    clock = new TestClock("2026-04-01T18:00:00+08:00");
    await db.dataSource.query(`TRUNCATE domain_event, domain_event_delivery`);
    await db.dataSource.query(`CREATE TABLE IF NOT EXISTS heard (subscriber text, case_id text)`);
    await db.dataSource.query(`TRUNCATE heard`);
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.stop()));
  });
  afterAll(() => db.close());

  const heard = async () => (await db.dataSource.query(`SELECT subscriber, case_id FROM heard ORDER BY subscriber, case_id`)) as Array<{ subscriber: string; case_id: string }>;

  it("delivers a committed event once to each subscriber, and nothing of a rolled-back one", async () => {
    const b = bus();
    for (const name of ["handover.start", "alerts.note"]) {
      b.subscribe(DUE, name, async (m, due) => void (await m.query(`INSERT INTO heard VALUES ($1, $2)`, [name, due.caseId])));
    }
    await publish("c1");
    await expect(
      db.dataSource.transaction(async (m) => {
        await publishDomainEvent(m, DUE, { caseId: "rolled-back", employeeUserid: "x" }, clock.now());
        throw new Error("the publisher's transaction fails");
      }),
    ).rejects.toThrow("fails");
    expect(await b.drain()).toBe(2);
    expect(await heard()).toEqual([
      { subscriber: "alerts.note", case_id: "c1" },
      { subscriber: "handover.start", case_id: "c1" },
    ]);
    expect(await b.drain()).toBe(0);
    expect(await heard()).toHaveLength(2);
  });

  it("a failing handler's writes are rolled back and it is retried after its backoff; given up (kept, with the error) after ten failures", async () => {
    const b = bus();
    let fail = true;
    b.subscribe(DUE, "handover.start", async (m, due) => {
      await m.query(`INSERT INTO heard VALUES ('handover.start', $1)`, [due.caseId]);
      if (fail) throw new Error("WeCom said no");
    });
    await publish("c1");
    await b.drain();
    expect(await heard()).toEqual([]);
    const [row] = await db.dataSource.query(`SELECT failures, error, done_at FROM domain_event_delivery`);
    expect(row).toEqual({ failures: 1, error: "WeCom said no", done_at: null });
    // Not before its retry time.
    await b.drain();
    expect((await db.dataSource.query(`SELECT failures FROM domain_event_delivery`))[0].failures).toBe(1);
    clock.advance(retryAfterMs(1));
    fail = false;
    await b.drain();
    expect(await heard()).toEqual([{ subscriber: "handover.start", case_id: "c1" }]);

    fail = true;
    await publish("c2");
    for (let i = 1; i <= 10; i++) {
      await b.drain();
      clock.advance(retryAfterMs(i));
    }
    const [given] = await db.dataSource.query(`SELECT failures, given_up_at IS NOT NULL AS given_up FROM domain_event_delivery d JOIN domain_event e ON e.id = d.event_id WHERE e.payload->>'caseId' = 'c2'`);
    expect(given).toEqual({ failures: 10, given_up: true });
    fail = false;
    await b.drain();
    expect(await heard()).toEqual([{ subscriber: "handover.start", case_id: "c1" }]);
  });

  it("two instances draining at once deliver each event once", async () => {
    const [a, b] = [bus(), bus()];
    for (const x of [a, b]) x.subscribe(DUE, "handover.start", async (m, due) => void (await m.query(`INSERT INTO heard VALUES ('handover.start', $1)`, [due.caseId])));
    for (let i = 0; i < 20; i++) await publish(`c${String(i).padStart(2, "0")}`);
    const [n, m] = await Promise.all([a.drain(), b.drain()]);
    expect(n + m).toBe(20);
    expect((await heard()).map((h) => h.case_id)).toEqual(Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, "0")}`));
  });

  it("refuses a second handler under the same subscriber name", () => {
    const b = bus();
    b.subscribe(DUE, "handover.start", async () => undefined);
    expect(() => b.subscribe(DUE, "handover.start", async () => undefined)).toThrow("already subscribes");
  });
});
