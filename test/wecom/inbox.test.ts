import { createDataSource } from "../../ormconfig";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { openEventCallback } from "../../src/wecom/callback/openCallback";
import { CallbackCrypto } from "../../src/wecom/crypto/callbackCrypto";
import { retryDelayMs } from "../../src/wecom/inbox/backoff";
import { InboxDispatcher } from "../../src/wecom/inbox/dispatcher";
import { eventSubjects, handlingStrands } from "../../src/wecom/inbox/handlingStrands";
import { InboxMetrics } from "../../src/wecom/inbox/inboxMetrics";
import { claimSql, doneSql, failedSql, handBackSql, InboxWorker, takeSql } from "../../src/wecom/inbox/inboxWorker";
import { InboxWriter } from "../../src/wecom/inbox/inboxWriter";
import type { WeComEvent } from "../../src/wecom/events/types";
import { pgPool } from "../../src/wecom/inbox/pgPool";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { json } from "../support/http";
import { createTestDatabase } from "../support/testDatabase";
import { externalContactEvent, signedCallback, storedField, storedXmlSql, textMessage } from "./callbackSupport";
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
  it("runs every handler of the kind and of its prefixes, general first, and refuses the same handler twice", async () => {
    const d = new InboxDispatcher();
    const ran: string[] = [];
    const all = async () => void ran.push("all");
    const add = async () => void ran.push("add");
    const alsoAdd = async () => void ran.push("alsoAdd");
    d.register("change_external_contact:add_external_contact", add)
      .register("change_external_contact", all)
      .register("change_external_contact:add_external_contact", alsoAdd);
    await d.handlerFor("change_external_contact:add_external_contact")!({} as never, {} as never);
    expect(ran).toEqual(["all", "add", "alsoAdd"]);
    expect(d.handlerFor("change_external_contact:del_follow_user")).toBe(all);
    expect(d.handlerFor("change_external_chat:update")).toBeUndefined();
    expect(() => d.register("change_external_contact", all)).toThrow();
  });

  it("hands a transaction's events to each handler once, general first: a batch handler in one call, a per-event one event by event", async () => {
    const d = new InboxDispatcher();
    const ran: string[] = [];
    const ev = (changeType: string, externalUserId: string) => ({ type: "change_external_contact", changeType, externalUserId }) as never as WeComEvent;
    const id = (e: WeComEvent) => (e as { externalUserId: string }).externalUserId;
    // One batch function registered for two kinds gets both kinds' events in one call, in arrival order.
    const deletions = async (events: WeComEvent[]) => void ran.push(`deletions(${events.map(id).join(",")})`);
    d.registerBatch("change_external_contact:del_follow_user", deletions)
      .register("change_external_contact:del_follow_user", async (e) => void ran.push(`perEvent(${id(e)})`), { batchable: true })
      .registerBatch("change_external_contact", async (events) => void ran.push(`mirror(${events.map(id).join(",")})`))
      .registerBatch("change_external_contact:del_external_contact", deletions);
    expect(() => d.registerBatch("change_external_contact:del_follow_user", deletions)).toThrow();
    expect(d.batchable("change_external_contact:del_follow_user")).toBe(true);
    const items = [ev("del_follow_user", "p1"), ev("edit_external_contact", "p2"), ev("del_external_contact", "p3"), ev("del_follow_user", "p4")].map((event) => ({
      kind: `change_external_contact:${(event as { changeType: string }).changeType}`,
      event,
      ctx: {} as never,
    }));
    await d.handleTogether(items, {} as never);
    expect(ran).toEqual(["mirror(p1,p2,p3,p4)", "deletions(p1,p3,p4)", "perEvent(p1)", "perEvent(p4)"]);
    // One event through handlerFor: the same chain, a batch handler given a batch of one.
    ran.length = 0;
    await d.handlerFor("change_external_contact:del_external_contact")!(items[2]!.event, {} as never);
    expect(ran).toEqual(["mirror(p3)", "deletions(p3)"]);
  });
  it("runs a handler registered with wants only for the events it wants, and tells which events some handler wants", async () => {
    const d = new InboxDispatcher();
    const ran: string[] = [];
    const text = (content: string) => ({ type: "text", content }) as never as WeComEvent;
    const body = (e: WeComEvent) => (e as { content: string }).content;
    const picky = async (e: WeComEvent) => void ran.push(`picky(${body(e)})`);
    d.register("text", picky, { batchable: true, wants: (e) => e.content.startsWith("!") });
    expect(d.choosy("text")).toBe(true);
    expect([d.wanted("text", text("!a")), d.wanted("text", text("b"))]).toEqual([true, false]);
    await d.handlerFor("text")!(text("b"), {} as never);
    await d.handlerFor("text")!(text("!a"), {} as never);
    expect(ran).toEqual(["picky(!a)"]);
    // A second handler without wants takes every event; each handler still sees only what it wants.
    d.register("text", async (e) => void ran.push(`all(${body(e)})`), { batchable: true });
    expect(d.wanted("text", text("b"))).toBe(true);
    ran.length = 0;
    await d.handleTogether(["!x", "y", "!z"].map((c) => ({ kind: "text", event: text(c), ctx: {} as never })), {} as never);
    expect(ran).toEqual(["picky(!x)", "picky(!z)", "all(!x)", "all(y)", "all(!z)"]);
    // A wants that throws leaves the event to its handler (whose failure is retried and recorded), never stops a pass.
    const broken = new InboxDispatcher().register("text", picky, { wants: () => { throw new Error("bug"); } });
    expect(broken.wanted("text", text("b"))).toBe(true);
    expect(d.choosy("change_contact")).toBe(false);
    expect(d.wanted("change_contact", text("!a"))).toBe(false);
  });
});

describe("inbox worker", () => {
  let db: Database;
  let ingress: RunningIngress;
  const ops = (path: string, init: RequestInit = {}, token = "ops-secret") =>
    fetch(`${ingress.base}${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
  const status = async (kind: string) =>
    (await db.dataSource.query(`SELECT status, attempts, last_error FROM wecom_inbox_with_status WHERE kind = $1`, [kind]))[0];

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
    // Done: its work row is gone (migration 1767100000000), attempts and last error with it.
    expect(await status("change_external_contact:transfer_fail")).toMatchObject({ status: "done", attempts: null, last_error: null });
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
    expect(await status("change_external_contact:add_half_external_contact")).toMatchObject({ status: "done", attempts: null });
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
      `UPDATE wecom_inbox_work AS w SET status = 'processing', attempts = 1, locked_until = $1
       FROM wecom_inbox AS i WHERE i.id = w.id AND i.kind = 'change_external_contact:msg_audit_approved'`,
      [new Date(ingress.clock.now().getTime() + 60_000)],
    );
    await ingress.worker.drain();
    expect(calls).toBe(0);
    ingress.clock.advance(60_001);
    await ingress.worker.drain();
    expect(calls).toBe(1);
    expect(await status("change_external_contact:msg_audit_approved")).toMatchObject({ status: "done" });
  });

  it("claims through ordered index scans that skip what earlier claims and completions left behind", async () => {
    // 3,000 events of ~1 KB handled (claimed, then done: each leaves a dead entry in the pending index), then 5 new.
    const stored = (from: number, to: number) =>
      db.dataSource.query(
        `WITH e AS (
           INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at)
           SELECT 'plan-' || g, 'plan_check', ${storedXmlSql("'plan_check'", 600)}, $3 FROM generate_series($1::int, $2::int) AS g ORDER BY g
           RETURNING id)
         INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at) SELECT id, 'pending', 0, $3 FROM e`,
        [from, to, ingress.clock.now()],
      );
    await stored(1, 3_000);
    expect(await ingress.worker.drain()).toBe(3_000);
    // Statistics as autovacuum would leave them: almost nothing pending, which made the planner pick bitmap scans.
    await db.dataSource.query(`ANALYZE wecom_inbox, wecom_inbox_work`);
    const runner = db.dataSource.createQueryRunner();
    // What this connection's transaction read, per relation of the inbox (PostgreSQL reports it only when the
    // transaction ends: read inside it, the difference between two readings is what happened between them).
    const reads = async () =>
      (await runner.query(
        `SELECT c.relname AS relation, pg_stat_get_xact_numscans(c.oid)::int AS scans, pg_stat_get_xact_tuples_returned(c.oid)::int AS entries
         FROM pg_class AS c WHERE c.oid IN ('wecom_inbox'::regclass, 'wecom_inbox_work'::regclass)
            OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('wecom_inbox'::regclass, 'wecom_inbox_work'::regclass))
         ORDER BY c.relname`,
      )) as { relation: string; scans: number; entries: number }[];
    try {
      const now = ingress.clock.now();
      const claim = (sql: string) => runner.query(sql, [now, new Date(now.getTime() + 60_000), 100]);
      // A first call on the connection compiles the function and reads the catalogs: not what a claim costs. An ordered
      // scan marks the dead entries it meets once no transaction may still see their rows, which can come a little
      // later than the drain (another test database busy): repeated until an empty claim reads no entry at all.
      for (let i = 0; i < 50; i++) {
        await runner.startTransaction();
        const before = await reads();
        expect(await claim(claimSql)).toEqual([]);
        const after = await reads();
        await runner.rollbackTransaction();
        if (after.every((r, j) => r.entries === before[j]!.entries)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await stored(3_001, 3_005);
      await runner.startTransaction();
      const before = await reads();
      expect(await claim(claimSql)).toHaveLength(5);
      const after = (await reads()).map(({ relation, scans, entries }, i) => ({ relation, scans: scans - before[i]!.scans, entries: entries - before[i]!.entries }));
      await runner.rollbackTransaction();
      // Each partial index read once, in order, only as far as what is due (the 5 new rows; no lease expired); the 5
      // work rows then found in one search of the primary key, and their events by primary key for kind and XML.
      // Nothing else: no sequential scan, no entry left behind by the 3,000 claimed and done. A bitmap scan (the former
      // claim's BitmapOr, or the planner's own pick without the function's settings) reads every entry the index
      // still holds, dead or not, on every claim, and never marks one.
      expect(after).toEqual([
        { relation: "wecom_inbox", scans: 0, entries: 0 },
        { relation: "wecom_inbox_dedupe_key_key", scans: 0, entries: 0 },
        { relation: "wecom_inbox_pkey", scans: 5, entries: 5 },
        { relation: "wecom_inbox_work", scans: 0, entries: 0 },
        { relation: "wecom_inbox_work_dead_idx", scans: 0, entries: 0 },
        { relation: "wecom_inbox_work_pending_idx", scans: 1, entries: 5 },
        { relation: "wecom_inbox_work_pkey", scans: 1, entries: 5 },
        { relation: "wecom_inbox_work_processing_idx", scans: 1, entries: 0 },
      ]);
    } finally {
      await runner.release();
    }
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

describe("the worker's writes by id (issue 20)", () => {
  it("take, fail, hand back and complete rows by primary key only, whatever the table's size when first planned and its statistics", async () => {
    const db = await createTestDatabase(2);
    // One connection, statements named as the worker's pool names them: PostgreSQL keeps a plan per statement (and per
    // statement inside a function) made while the table was tiny, until something invalidates it.
    const client = await pgPool(db.dataSource).connect();
    try {
      let next = 0;
      const leaseUntil = new Date(Date.now() + 60_000);
      const storeLeased = async (n: number) => {
        const { rows } = await client.query<{ id: string }>(
          `WITH e AS (
             INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at)
             SELECT 'by-id-' || g, 'by_id_check', ${storedXmlSql("'by_id_check'", 600)}, now()
             FROM generate_series($1::int, $2::int) AS g ORDER BY g RETURNING id)
           INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at, locked_until)
           SELECT id, 'processing', 1, now(), $3 FROM e ORDER BY id RETURNING id::text AS id`,
          [next + 1, next + n, leaseUntil],
        );
        next += n;
        return rows.map((r) => r.id);
      };
      const tokens = (ids: string[]) => [ids, ids.map(() => 1)];
      const take = (ids: string[]) => client.query<{ id: string }>({ name: "take", text: takeSql, values: tokens(ids) });
      const handBack = (ids: string[]) => client.query({ name: "handBack", text: handBackSql, values: tokens(ids) });
      const fail = (id: string) => client.query<{ status: string }>({ name: "failed", text: failedSql, values: [id, 1, 8, new Date(), "busy"] });
      const done = (ids: string[]) => client.query({ name: "done", text: doneSql, values: tokens(ids) });
      // The index of leased rows stands for the rows processing (migrations 1767000000000, 1767100000000): no work row is
      // one without the other; and a done event has no work row at all.
      for (const [status, lease, constraint] of [
        ["processing", null, "wecom_inbox_work_leased_while_processing"],
        ["pending", leaseUntil, "wecom_inbox_work_leased_while_processing"],
        ["dead", leaseUntil, "wecom_inbox_work_leased_while_processing"],
        ["done", null, "wecom_inbox_work_status_check"],
      ] as const) {
        await expect(
          client.query(`INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at, locked_until) VALUES (-1, $1, 1, now(), $2)`, [status, lease]),
        ).rejects.toMatchObject({ code: "23514", constraint });
      }
      // Each statement run enough times on a tiny table for a plan to be kept for it (PostgreSQL keeps a generic plan
      // from the sixth run of a statement when it costs no more than the custom ones did).
      for (let round = 0; round < 8; round++) {
        const ids = await storeLeased(5);
        await take(ids.slice(0, 2));
        await handBack(ids.slice(2, 3));
        await fail(ids[3]!);
        await done(ids.slice(4));
      }
      // Thousands of rows stored leased (the handoff) and taken: each leaves a dead entry in the index of leased rows.
      const handled = await storeLeased(3_000);
      for (let i = 0; i < handled.length; i += 20) await take(handled.slice(i, i + 20));
      // Each index's and the table's reads this backend has not yet reported (PostgreSQL reports them when the
      // connection goes idle, never inside a transaction): taken at the start and at the end of the transaction, the
      // difference is its own.
      const reads = async () =>
        (
          await client.query<{ relation: string; scans: number; entries: number }>(
            `SELECT c.relname AS relation, pg_stat_get_xact_numscans(c.oid)::int AS scans, pg_stat_get_xact_tuples_returned(c.oid)::int AS entries
             FROM pg_class AS c WHERE c.oid IN ('wecom_inbox'::regclass, 'wecom_inbox_work'::regclass)
                OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('wecom_inbox'::regclass, 'wecom_inbox_work'::regclass))
             ORDER BY c.relname`,
          )
        ).rows;
      for (const statistics of ["none yet", "as autovacuum leaves them (almost nothing in hand)"]) {
        if (statistics !== "none yet") await client.query(`ANALYZE wecom_inbox, wecom_inbox_work`);
        const batch = await storeLeased(21);
        await client.query("BEGIN");
        const before = await reads();
        expect((await take(batch.slice(0, 10))).rows.map((r) => r.id)).toEqual(batch.slice(0, 10));
        expect((await handBack(batch.slice(10, 15))).rows).toEqual([{ handed_back: 5 }]);
        expect((await fail(batch[15]!)).rows).toEqual([{ status: "pending" }]);
        expect((await done(batch.slice(16))).rows).toEqual([{ done: 5 }]);
        const after = (await reads()).map(({ relation, scans, entries }, i) => ({ relation, scans: scans - before[i]!.scans, entries: entries - before[i]!.entries }));
        await client.query("ROLLBACK");
        // Each of the 21 work rows read once by the statement that takes, moves or deletes it: 21 entries, in one search
        // of the primary key per statement (ids = ANY (…)), and nothing of the event store. Without migration 1767000000000's lease-keyed index the planner
        // read them through the index of rows in hand (then WHERE status = 'processing') once ANALYZE saw almost
        // nothing in hand, reading the dead entries the completions left (by a bitmap scan, which never marks one dead,
        // on every call); without the functions' planner settings (1767000000001, 1767100000000) a plan kept from the
        // tiny table read every row of the table (a sequential scan: "scans" of the table itself).
        expect({ statistics, after }).toEqual({
          statistics,
          after: [
            { relation: "wecom_inbox", scans: 0, entries: 0 },
            { relation: "wecom_inbox_dedupe_key_key", scans: 0, entries: 0 },
            { relation: "wecom_inbox_pkey", scans: 0, entries: 0 },
            { relation: "wecom_inbox_work", scans: 0, entries: 0 },
            { relation: "wecom_inbox_work_dead_idx", scans: 0, entries: 0 },
            { relation: "wecom_inbox_work_pending_idx", scans: 0, entries: 0 },
            { relation: "wecom_inbox_work_pkey", scans: 4, entries: 21 },
            { relation: "wecom_inbox_work_processing_idx", scans: 0, entries: 0 },
          ],
        });
      }
    } finally {
      client.release();
      await db.close();
    }
  });
});

describe("the worker's writes by id at a backlog's batch size (issue 20)", () => {
  it("join a 400-event transaction's (id, token) pairs with the work rows by hash, never a nested loop, in every plan PostgreSQL keeps", async () => {
    const db = await createTestDatabase(2);
    const client = await pgPool(db.dataSource).connect();
    try {
      // The plans of the statements inside the functions, as PostgreSQL runs them, sent to this connection as notices.
      const plans: string[] = [];
      client.on("notice", (notice) => void (notice.message?.includes("Query Text") && plans.push(notice.message)));
      await client.query(`LOAD 'auto_explain'`);
      for (const setting of ["log_min_duration = 0", "log_nested_statements = on", "log_level = notice"]) await client.query(`SET auto_explain.${setting}`);
      const tokens = (ids: string[]) => [ids, ids.map(() => 1)];
      const calls = [
        { fn: "wecom_inbox_take", text: takeSql },
        { fn: "wecom_inbox_done", text: doneSql },
        { fn: "wecom_inbox_hand_back", text: handBackSql },
      ];
      let next = 0;
      // Runs past the sixth, where PostgreSQL may start keeping a generic plan for each statement; ANALYZEd after the
      // first, as autovacuum would.
      for (let round = 0; round < 8; round++) {
        const { rows } = await client.query<{ id: string }>(
          `WITH e AS (
             INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at)
             SELECT 'plans-' || g, 'plan_check', '<xml/>', now() FROM generate_series($1::int, $2::int) AS g ORDER BY g RETURNING id)
           INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at, locked_until)
           SELECT id, 'processing', 1, now(), now() + interval '1 minute' FROM e RETURNING id::text AS id`,
          [next + 1, next + 400],
        );
        next += 400;
        if (round === 1) await client.query(`ANALYZE wecom_inbox, wecom_inbox_work`);
        for (const { fn, text } of calls) {
          plans.length = 0;
          await client.query("BEGIN");
          await client.query({ name: fn, text, values: tokens(rows.map((r) => r.id)) });
          await client.query("ROLLBACK");
          // The function's own statement on the work table (the call's plan is a Result or a function scan).
          const inner = plans.filter((p) => p.includes("wecom_inbox_work AS w"));
          // Nested loops over 400 × 400 pairs cost 62-80 µs of PostgreSQL CPU per event, against 5-8 by hash.
          expect({ fn, round, joins: inner.map((p) => (p.includes("Hash Join") ? "hash" : p.includes("Nested Loop") ? "nested loop" : "none")) }).toEqual({ fn, round, joins: ["hash"] });
        }
      }
    } finally {
      client.release();
      await db.close();
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
      const [row] = await db.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'done')::int AS done FROM wecom_inbox_with_status`);
      expect(row.done).toBe(200);
    } finally {
      await second.destroy();
      await db.close();
    }
  });
});

describe("batched handling (issue 16: handling that keeps up)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  /** Stores `count` text messages with ids `${prefix}${i}` straight through the writer. */
  const store = async (prefix: string, count: number, clock: TestClock) => {
    const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
    const writer = new InboxWriter(pgPool(db.dataSource), clock);
    const t = nowSeconds(clock);
    for (let i = 0; i < count; i++) {
      const signed = signedCallback(textMessage(`${prefix}${i}`, t), { timestamp: t });
      await writer.insert(openEventCallback(Object.fromEntries(new URLSearchParams(signed.query)), signed.body, { crypto, windowSeconds: 600, nowMs: clock.now().getTime() }));
    }
  };
  const worker = (dispatcher: InboxDispatcher, clock: TestClock, options: { concurrency?: number; eventsPerTransaction?: number; maxEventsPerTransaction?: number } = {}) => {
    const pool = pgPool(db.dataSource);
    return new InboxWorker({ dataSource: db.dataSource, pool, clock, logger: silentLogger() }, dispatcher, new InboxMetrics(createMetrics({ collectProcessMetrics: false }), pool, clock, silentLogger()), {
      pollMs: 50,
      maxAttempts: 3,
      concurrency: options.concurrency ?? 1,
      eventsPerTransaction: options.eventsPerTransaction ?? 10,
      ...(options.maxEventsPerTransaction ? { maxEventsPerTransaction: options.maxEventsPerTransaction } : {}),
    });
  };
  const statuses = async (prefix: string) =>
    (await db.dataSource.query(`SELECT ${storedField("MsgId")} AS id, status, attempts FROM wecom_inbox_with_status WHERE ${storedField("MsgId")} LIKE $1 ORDER BY id::bigint`, [`${prefix}%`])) as {
      id: string;
      status: string;
      attempts: number | null;
    }[];

  it("handles events of a batchable kind in shared transactions of eventsPerTransaction, in claim order", async () => {
    const clock = new TestClock();
    await db.dataSource.query(`DELETE FROM wecom_inbox_work; DELETE FROM wecom_inbox`);
    await store("b", 25, clock);
    const seen: { msgId: string; tx: string }[] = [];
    const dispatcher = new InboxDispatcher().register(
      "text",
      async (e, ctx) => {
        const [{ tx }] = await ctx.manager.query(`SELECT txid_current()::text AS tx`);
        seen.push({ msgId: e.type === "text" ? e.msgId : "", tx });
      },
      { batchable: true },
    );
    expect(await worker(dispatcher, clock).drain()).toBe(25);
    expect(seen.map((s) => s.msgId)).toEqual(Array.from({ length: 25 }, (_, i) => `b${i}`));
    const txOf = (from: number, to: number) => new Set(seen.slice(from, to).map((s) => s.tx));
    expect([txOf(0, 10).size, txOf(10, 20).size, txOf(20, 25).size]).toEqual([1, 1, 1]);
    expect(new Set(seen.map((s) => s.tx)).size).toBe(3);
    expect((await statuses("b")).every((r) => r.status === "done" && r.attempts === null)).toBe(true);
  });

  it("marks the events no handler of their kind wants done with the kinds nobody handles, in one statement", async () => {
    const clock = new TestClock();
    await db.dataSource.query(`DELETE FROM wecom_inbox_work; DELETE FROM wecom_inbox`);
    await store("w", 9, clock);
    const seen: { msgId: string; tx: string }[] = [];
    const dispatcher = new InboxDispatcher().register(
      "text",
      async (e, ctx) => {
        const [{ tx }] = await ctx.manager.query(`SELECT txid_current()::text AS tx`);
        seen.push({ msgId: e.msgId, tx });
      },
      { batchable: true, wants: (e) => Number(e.msgId.slice(1)) % 3 === 0 },
    );
    const w = worker(dispatcher, clock);
    // The worker's pool (the data source's): the statement that marks events done without a handler is named wecom_inbox_done.
    const pool = pgPool(db.dataSource);
    const query = pool.query;
    const doneWithoutHandler: string[][] = [];
    pool.query = ((config: unknown, ...rest: unknown[]) => {
      const named = config as { name?: string; values?: unknown[] };
      if (named?.name === "wecom_inbox_done") doneWithoutHandler.push(named.values![0] as string[]);
      return (query as (...a: unknown[]) => unknown).call(pool, config, ...rest);
    }) as typeof pool.query;
    try {
      expect(await w.drain()).toBe(9);
    } finally {
      pool.query = query;
    }
    expect(seen.map((s) => s.msgId)).toEqual(["w0", "w3", "w6"]);
    expect(new Set(seen.map((s) => s.tx)).size).toBe(1);
    const msgIdOf = new Map(((await db.dataSource.query(`SELECT id::text, ${storedField("MsgId")} AS msg FROM wecom_inbox`)) as { id: string; msg: string }[]).map((r) => [r.id, r.msg]));
    expect(doneWithoutHandler.map((ids) => ids.map((id) => msgIdOf.get(String(id))).sort())).toEqual([["w1", "w2", "w4", "w5", "w7", "w8"]]);
    expect((await statuses("w")).every((r) => r.status === "done" && r.attempts === null)).toBe(true);
  });

  it("doubles the events per transaction while claims come back full (a backlog), up to the maximum, and starts small again", async () => {
    const clock = new TestClock();
    await db.dataSource.query(`DELETE FROM wecom_inbox_work; DELETE FROM wecom_inbox`);
    await store("g", 75, clock);
    const txs = new Map<string, number>();
    const dispatcher = new InboxDispatcher().registerBatch("text", async (events, ctx) => {
      const [{ tx }] = await ctx.manager.query(`SELECT txid_current()::text AS tx`);
      txs.set(tx, (txs.get(tx) ?? 0) + events.length);
    });
    const w = worker(dispatcher, clock, { eventsPerTransaction: 10, maxEventsPerTransaction: 40 });
    expect(await w.drain()).toBe(75);
    // Claims of 10, 20, 40 (each full), then 40 again with the 5 left (not full).
    expect([...txs.values()]).toEqual([10, 20, 40, 5]);
    txs.clear();
    await store("h", 15, clock);
    expect(await w.drain()).toBe(15);
    expect([...txs.values()]).toEqual([10, 5]);
  });

  it("gives a kind that is not batchable a transaction per event, also when one of its handlers is batchable", async () => {
    const clock = new TestClock();
    await db.dataSource.query(`DELETE FROM wecom_inbox_work; DELETE FROM wecom_inbox`);
    await store("s", 4, clock);
    const txs: string[] = [];
    const record = async (_e: unknown, ctx: { manager: { query(sql: string): Promise<{ tx: string }[]> } }) => void txs.push((await ctx.manager.query(`SELECT txid_current()::text AS tx`))[0]!.tx);
    const dispatcher = new InboxDispatcher().register("text", record, { batchable: true }).register("text", async () => undefined);
    expect(dispatcher.batchable("text")).toBe(false);
    expect(await worker(dispatcher, clock).drain()).toBe(4);
    expect(new Set(txs).size).toBe(4);
  });

  it("rolls a failed batch back and handles its events alone: the others done with one attempt, only the bad one retried", async () => {
    const clock = new TestClock();
    await db.dataSource.query(`DELETE FROM wecom_inbox_work; DELETE FROM wecom_inbox; DELETE FROM app_setting WHERE key LIKE 'batch-%'`);
    await store("f", 6, clock);
    const calls = new Map<string, number>();
    const dispatcher = new InboxDispatcher().register(
      "text",
      async (e, ctx) => {
        const id = e.type === "text" ? e.msgId : "";
        calls.set(id, (calls.get(id) ?? 0) + 1);
        await ctx.manager.query(`INSERT INTO app_setting (key, value) VALUES ($1, '1')`, [`batch-${id}`]);
        if (id === "f3") throw new Error("bad event f3");
      },
      { batchable: true },
    );
    expect(await worker(dispatcher, clock).drain()).toBe(6);
    expect(await statuses("f")).toEqual([
      { id: "f0", status: "done", attempts: null },
      { id: "f1", status: "done", attempts: null },
      { id: "f2", status: "done", attempts: null },
      { id: "f3", status: "pending", attempts: 1 },
      { id: "f4", status: "done", attempts: null },
      { id: "f5", status: "done", attempts: null },
    ]);
    // f0–f3 ran in the batch and again alone; f4 and f5 were never reached by the batch.
    expect(Object.fromEntries(calls)).toEqual({ f0: 2, f1: 2, f2: 2, f3: 2, f4: 1, f5: 1 });
    const kept = (await db.dataSource.query(`SELECT key FROM app_setting WHERE key LIKE 'batch-%' ORDER BY key`)).map((r: { key: string }) => r.key);
    expect(kept).toEqual(["batch-f0", "batch-f1", "batch-f2", "batch-f4", "batch-f5"]);
  });

  it("runs afterCommit steps once the batch is visible to other connections, and never for a rolled-back one", async () => {
    const clock = new TestClock();
    await db.dataSource.query(`DELETE FROM wecom_inbox_work; DELETE FROM wecom_inbox; DELETE FROM app_setting WHERE key LIKE 'after-%'`);
    await store("a", 3, clock);
    const visible: Record<string, boolean> = {};
    const checks: Promise<void>[] = [];
    const dispatcher = new InboxDispatcher().register(
      "text",
      async (e, ctx) => {
        const id = e.type === "text" ? e.msgId : "";
        await ctx.manager.query(`INSERT INTO app_setting (key, value) VALUES ($1, '1')`, [`after-${id}`]);
        if (id === "a2" && (visible.a2 === undefined)) {
          visible.a2 = false; // first run in the batch: make the batch fail once
          ctx.afterCommit(() => void (visible.rolledBack = true));
          throw new Error("fail the batch once");
        }
        ctx.afterCommit(() => {
          checks.push(db.dataSource.query(`SELECT 1 FROM app_setting WHERE key = $1`, [`after-${id}`]).then((rows: unknown[]) => void (visible[id] = rows.length === 1)));
        });
      },
      { batchable: true },
    );
    await worker(dispatcher, clock).drain();
    await Promise.all(checks);
    // a2 failed the batch (nothing after-commit ran for it), then succeeded alone.
    expect(visible).toEqual({ a0: true, a1: true, a2: true });
    expect(visible.rolledBack).toBeUndefined();
  });
});

describe("handlingStrands", () => {
  const ev = (id: string, userId: string, externalUserId: string) => ({ id, userId, externalUserId });
  const subjects = (e: { userId: string; externalUserId: string }) => [`member:${e.userId}`, `parent:${e.externalUserId}`];

  it("keeps events that share a member or a parent in one strand, in arrival order, and spreads the rest", () => {
    const events = [ev("1", "li", "p1"), ev("2", "wang", "p2"), ev("3", "zhao", "p3"), ev("4", "wang", "p1"), ev("5", "sun", "p4"), ev("6", "zhao", "p5")];
    const strands = handlingStrands(events, subjects, 3).map((s) => s.map((e) => e.id));
    // li–p1–wang–p2 are one group (1, 2, 4), zhao–p3–p5 another (3, 6), sun–p4 the third (5).
    expect(strands).toEqual([["1", "2", "4"], ["3", "6"], ["5"]]);
  });

  it("puts groups on the lightest strand and never makes more strands than lanes", () => {
    const events = Array.from({ length: 8 }, (_, i) => ev(String(i), `t${i}`, `p${i}`));
    const strands = handlingStrands(events, subjects, 3);
    expect(strands.map((s) => s.length).sort()).toEqual([2, 3, 3]);
    expect(handlingStrands(events, subjects, 1)).toEqual([events]);
    expect(handlingStrands([], subjects, 4)).toEqual([]);
  });

  it("names the member and parent of a contact event, both userids of a rename, one subject for departments", () => {
    const base = { corpId: "c", from: "sys", createTime: 1 };
    expect(eventSubjects({ ...base, type: "change_external_contact", changeType: "del_follow_user", userId: "li", externalUserId: "wm1" }, "x")).toEqual(["member:li", "parent:wm1"]);
    expect(eventSubjects({ ...base, type: "change_contact", changeType: "update_user", userId: "li", newUserId: "li2", department: [] }, "x")).toEqual(["member:li", "member:li2"]);
    expect(eventSubjects({ ...base, type: "change_contact", changeType: "delete_party", partyId: "3" }, "x")).toEqual(["departments"]);
    expect(eventSubjects({ ...base, type: "msgaudit_notify" }, "inbox:9")).toEqual(["inbox:9"]);
  });
});

describe("reads shared within a claimed batch", () => {
  it("loads a key once for every event of the pass, and again after a failed load", async () => {
    const db = await createTestDatabase();
    try {
      const clock = new TestClock();
      const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
      const writer = new InboxWriter(pgPool(db.dataSource), clock);
      const t = nowSeconds(clock);
      for (let i = 0; i < 12; i++) {
        const signed = signedCallback(textMessage(`r${i}`, t), { timestamp: t });
        await writer.insert(openEventCallback(Object.fromEntries(new URLSearchParams(signed.query)), signed.body, { crypto, windowSeconds: 600, nowMs: clock.now().getTime() }));
      }
      let loads = 0;
      let failNext = true;
      const got: number[] = [];
      const dispatcher = new InboxDispatcher().register(
        "text",
        async (_e, ctx) => {
          const value = await ctx.shared("profile:wm1", async () => {
            loads++;
            if (failNext) {
              failNext = false;
              throw new Error("WeCom busy");
            }
            return 42;
          });
          got.push(value);
        },
        { batchable: true },
      );
      const pool = pgPool(db.dataSource);
      const worker = new InboxWorker({ dataSource: db.dataSource, pool, clock, logger: silentLogger() }, dispatcher, new InboxMetrics(createMetrics({ collectProcessMetrics: false }), pool, clock, silentLogger()), {
        pollMs: 50,
        maxAttempts: 3,
        concurrency: 1,
        eventsPerTransaction: 5,
        claimBatch: 20,
      });
      await worker.drain();
      // The first load failed (that batch fell back to single events, the first of which read again); one load served the rest.
      expect(loads).toBe(2);
      expect(got).toEqual(Array.from({ length: 12 }, () => 42));
      const [{ done }] = await db.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'done')::int AS done FROM wecom_inbox_with_status`);
      expect(done).toBe(12);
    } finally {
      await db.close();
    }
  });
});

describe("handoff: the writer stores events already claimed by this instance's running worker (issue 20)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
  const opened = (msgId: string, clock: TestClock) => {
    const t = nowSeconds(clock);
    const signed = signedCallback(textMessage(msgId, t), { timestamp: t });
    return openEventCallback(Object.fromEntries(new URLSearchParams(signed.query)), signed.body, { crypto, windowSeconds: 600, nowMs: clock.now().getTime() });
  };
  const worker = (dispatcher: InboxDispatcher, clock: TestClock, options: { claimBatch?: number; takeSpacingMs?: number } = {}) => {
    const pool = pgPool(db.dataSource);
    return new InboxWorker({ dataSource: db.dataSource, pool, clock, logger: silentLogger() }, dispatcher, new InboxMetrics(createMetrics({ collectProcessMetrics: false }), pool, clock, silentLogger()), {
      pollMs: 60_000,
      maxAttempts: 3,
      concurrency: 1,
      eventsPerTransaction: 5,
      ...options,
    });
  };
  const row = async (msgId: string) =>
    (await db.dataSource.query(`SELECT status, attempts, locked_until FROM wecom_inbox_with_status WHERE ${storedField("MsgId")} = $1`, [msgId]))[0] as {
      status: string;
      attempts: number | null;
      locked_until: Date | null;
    };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(check()).toBe(true);
  };

  it("parses a claimed event from its stored XML (the inbox keeps no parsed copy); XML that no longer parses is a failed attempt that says why", async () => {
    const clock = new TestClock();
    const handled: WeComEvent[] = [];
    const w = worker(new InboxDispatcher().register("text", async (e) => void handled.push(e)), clock);
    // Stored pending (no handoff): only a claim can bring it to the worker.
    const event = opened("parsed-from-xml", clock);
    expect(await new InboxWriter(pgPool(db.dataSource), clock).insert(event)).toBe("accepted");
    await db.dataSource.query(
      `WITH e AS (INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at) VALUES ('unparsable', 'text', '<xml><MsgType>text</MsgType>', $1) RETURNING id)
       INSERT INTO wecom_inbox_work (id, status, attempts, next_attempt_at) SELECT id, 'pending', 0, $1 FROM e`,
      [clock.now()],
    );
    expect(await w.drain()).toBe(2);
    expect(handled).toEqual([event.event]);
    expect(await db.dataSource.query(`SELECT status, attempts, last_error FROM wecom_inbox_with_status WHERE dedupe_key IN ($1, 'unparsable') ORDER BY id`, [event.dedupeKey])).toEqual([
      { status: "done", attempts: null, last_error: null },
      { status: "pending", attempts: 1, last_error: "stored XML does not parse: 回调校验失败: malformed_xml" },
    ]);
    // Its retry would be due in the tests after this one, which share the database.
    await db.dataSource.query(`DELETE FROM wecom_inbox_work WHERE id = (SELECT id FROM wecom_inbox WHERE dedupe_key = 'unparsable')`);
  });

  it("stores an event as claimed (attempt 1, under a lease) while the worker runs and handles it without a claim; pending while it is stopped", async () => {
    const clock = new TestClock();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handled: string[] = [];
    const w = worker(new InboxDispatcher().register("text", async (e) => {
      await gate;
      if (e.type === "text") handled.push(e.msgId);
    }), clock);
    const writer = new InboxWriter(pgPool(db.dataSource), clock, { handoff: w });
    const claims = jest.spyOn(pgPool(db.dataSource), "query");
    expect(await writer.insert(opened("stopped-1", clock))).toBe("accepted");
    expect(await row("stopped-1")).toMatchObject({ status: "pending", attempts: 0, locked_until: null });
    w.start();
    // The start's first pass claims what was stored while stopped; only then may rows be handed over.
    await until(() => handled.length === 0 && claims.mock.calls.some(([q]) => (q as { name?: string }).name === "wecom_inbox_claim"));
    release();
    await until(() => handled.includes("stopped-1"));
    await new Promise((r) => setTimeout(r, 50));
    claims.mockClear();
    expect(await writer.insert(opened("handed-1", clock))).toBe("accepted");
    await until(() => handled.includes("handed-1"));
    expect(await row("handed-1")).toMatchObject({ status: "done", attempts: null, locked_until: null });
    // Handled from memory: the pass that took it made no claim (one is made at least once per poll interval).
    expect(claims.mock.calls.filter(([q]) => (q as { name?: string }).name === "wecom_inbox_claim")).toHaveLength(0);
    claims.mockRestore();
    await w.stop();
    expect(await writer.insert(opened("stopped-2", clock))).toBe("accepted");
    expect(await row("stopped-2")).toMatchObject({ status: "pending", attempts: 0 });
    expect(await w.drain()).toBe(1);
    expect(handled).toEqual(["stopped-1", "handed-1", "stopped-2"]);
  });

  it("while busy takes handed rows at most every takeSpacingMs, so those handed meanwhile share one done; a lone row after a quiet spell is taken at once", async () => {
    const clock = new TestClock();
    // Wide, so a loaded machine's stalls (hundreds of ms) cannot make the rows waiting for it look taken early.
    const SPACING = 1_500;
    // No handler: text is a kind nobody handles here, whose rows are done together in one statement per take.
    const w = worker(new InboxDispatcher(), clock, { takeSpacingMs: SPACING });
    const writer = new InboxWriter(pgPool(db.dataSource), clock, { handoff: w });
    const queries = jest.spyOn(pgPool(db.dataSource), "query");
    const dones = () => queries.mock.calls.filter(([q]) => (q as { name?: string }).name === "wecom_inbox_done");
    const claims = () => queries.mock.calls.filter(([q]) => (q as { name?: string }).name === "wecom_inbox_claim");
    /** Inserts a lone row and waits for its done: taken well inside the spacing. */
    const takenAtOnce = async (id: string, donesBefore: number) => {
      const sent = performance.now();
      expect(await writer.insert(opened(id, clock))).toBe("accepted");
      await until(() => dones().length === donesBefore + 1);
      expect(performance.now() - sent).toBeLessThan(SPACING);
      expect(await row(id)).toMatchObject({ status: "done" });
    };
    w.start();
    await until(() => claims().length > 0);
    await new Promise((r) => setTimeout(r, 50));
    await takenAtOnce("spaced-1", 0);
    const lateIds = ["spaced-2", "spaced-3", "spaced-4"];
    for (const id of lateIds) expect(await writer.insert(opened(id, clock))).toBe("accepted");
    await new Promise((r) => setTimeout(r, 300));
    // Handed over, waiting for the spacing since the first take to pass.
    for (const id of lateIds) expect(await row(id)).toMatchObject({ status: "processing", attempts: 1 });
    await until(() => dones().length === 2);
    for (const id of lateIds) expect(await row(id)).toMatchObject({ status: "done" });
    expect(((dones()[1]![0] as unknown as { values: unknown[][] }).values[0] as string[]).length).toBe(3);
    // Quiet for longer than the spacing: the next lone row is taken at once again.
    await new Promise((r) => setTimeout(r, SPACING + 100));
    await takenAtOnce("spaced-5", 2);
    queries.mockRestore();
    await w.stop();
  });

  it("leaves rows stored for a worker that died to be reclaimed once their lease ends, with the attempt counted", async () => {
    const clock = new TestClock();
    // A process that took the rows and died before handling them: the lease is given, the rows never handled.
    const dead = { offer: () => ({ leaseUntil: new Date(clock.now().getTime() + 60_000) }), stored: () => undefined };
    const writer = new InboxWriter(pgPool(db.dataSource), clock, { handoff: dead });
    expect(await writer.insert(opened("orphan-1", clock))).toBe("accepted");
    expect(await row("orphan-1")).toMatchObject({ status: "processing", attempts: 1 });
    const handled: string[] = [];
    const survivor = worker(new InboxDispatcher().register("text", async (e) => void (e.type === "text" && handled.push(e.msgId))), clock);
    expect(await survivor.drain()).toBe(0);
    clock.advance(60_001);
    expect(await survivor.drain()).toBe(1);
    expect(handled).toEqual(["orphan-1"]);
    expect(await row("orphan-1")).toMatchObject({ status: "done" });
  });

  it("hands unstarted rows back as pending on stop, the attempt not counted, and another worker handles each once", async () => {
    const clock = new TestClock();
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const counts = new Map<string, number>();
    const count = async (e: WeComEvent) => {
      if (e.type === "text") counts.set(e.msgId, (counts.get(e.msgId) ?? 0) + 1);
    };
    const first = worker(new InboxDispatcher().register("text", async (e) => {
      entered();
      await gate;
      await count(e);
    }), clock);
    const writer = new InboxWriter(pgPool(db.dataSource), clock, { handoff: first });
    first.start();
    await first.drain();
    await Promise.all(Array.from({ length: 8 }, (_, i) => writer.insert(opened(`stop-${i}`, clock))));
    await inHandler;
    const stopping = first.stop();
    release();
    await stopping;
    const rows = (await db.dataSource.query(`SELECT status, attempts FROM wecom_inbox_with_status WHERE ${storedField("MsgId")} LIKE 'stop-%'`)) as { status: string; attempts: number | null }[];
    // The batch in hand when stop() came finished; the rest of the claim (or handoff) went back.
    const left = 8 - counts.size;
    expect(left).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status === "done").length).toBe(counts.size);
    expect(rows.filter((r) => r.status !== "done")).toEqual(Array.from({ length: left }, () => ({ status: "pending", attempts: 0 })));
    const second = worker(new InboxDispatcher().register("text", (e) => count(e)), clock);
    expect(await second.drain()).toBe(left);
    expect(counts.size).toBe(8);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it("wakes the running worker for a batch stored pending after its claim: handled at once, not at the next poll", async () => {
    const clock = new TestClock();
    const handled: string[] = [];
    const w = worker(new InboxDispatcher().register("text", async (e) => void (e.type === "text" && handled.push(e.msgId))), clock);
    const writer = new InboxWriter(pgPool(db.dataSource), clock, { handoff: w });
    const event = opened("late-pending", clock);
    // Another transaction holds the event's key uncommitted, so our INSERT waits on the unique index until it ends.
    const blocker = await pgPool(db.dataSource).connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(
        `INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, received_at) VALUES ($1, 'text', '<xml/>', now())`,
        [event.dedupeKey],
      );
      w.start();
      // Started with pending rows possibly waiting, so this batch is stored pending; it is in flight during every
      // claim below (the start's first pass and a drain), which therefore cannot see it.
      const inserted = writer.insert(event);
      await w.drain();
      expect(handled).toEqual([]);
      await blocker.query("ROLLBACK");
      expect(await inserted).toBe("accepted");
      // The poll interval is a minute: only the wake of the stored batch gets it handled within the wait.
      await until(() => handled.includes("late-pending"));
      expect(await row("late-pending")).toMatchObject({ status: "done" });
    } finally {
      blocker.release();
      await w.stop();
    }
  });

  it("stores rows pending, never handed over, while pending rows of ours may be unclaimed: a handed event never overtakes an older one", async () => {
    const clock = new TestClock();
    const w = worker(new InboxDispatcher(), clock);
    // Stopped: pending.
    expect(w.offer().leaseUntil).toBeUndefined();
    w.stored({ leaseUntil: undefined }, []);
    w.start();
    // Started: a claim must come first (rows stored while stopped may be waiting).
    const early = w.offer();
    expect(early.leaseUntil).toBeUndefined();
    await w.drain();
    // That pending insert is still in flight: a claim that began before it lands cannot have taken its rows.
    expect(w.offer().leaseUntil).toBeUndefined();
    w.stored({ leaseUntil: undefined }, []);
    w.stored(early, [{ id: "0", kind: "text", payload: {} as WeComEvent, attempts: 0 }]);
    await w.drain();
    const ticket = w.offer();
    expect(ticket.leaseUntil).toEqual(new Date(clock.now().getTime() + 60_000));
    w.stored(ticket, []);
    await w.stop();
  });
});
