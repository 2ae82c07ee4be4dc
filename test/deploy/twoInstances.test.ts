import { createServer, request, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { signedCallback } from "../../bench/signedEvents";
import { buildIfChanged, sleep, spawnBuiltService, waitForReady, type BuiltService } from "../../bench/support/builtService";
import { systemClock } from "../../src/platform/clock";
import { freeLoopbackPort } from "../../src/platform/db/embeddedPostgres";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import { urlFor } from "../support/testDatabase";
import { storedField } from "../wecom/callbackSupport";

const ROBOT = "two-instance-robot";
const LEAVER_PARENTS = Array.from({ length: 150 }, (_, i) => `wm_two_${String(i).padStart(3, "0")}`);
/** Members whose last-day account disable is an IT task by hand, each reminder due when the test starts it. */
const DISABLE_BY_HAND = Array.from({ length: 20 }, (_, i) => `teacher_${100 + i}`);

/**
 * Issue 16, "many instances, one PostgreSQL, proven": two service processes
 * (the built service, as `npm start` runs it) on one empty database, one
 * WeCom (the sandbox, outside both), callbacks spread over both by a
 * round-robin balancer and every callback also redelivered to the other
 * instance (WeCom retries; a balancer may route a retry elsewhere). In the
 * same run: alerts to the group robot (its 20 a minute held across both),
 * reminders falling due and a resigned transfer batch, each run by whichever
 * instance claims the schedule's slot — every reminder and every WeCom call
 * made once, judged on the sandbox's call log.
 */
describe("two instances on one PostgreSQL", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "wpg-two-"));
  const database = `wpg_two_${process.pid}_${Date.now()}`;
  let sandbox: Sandbox;
  let balancer: Server;
  let balancerUrl: string;
  const instances: Array<{ service: BuiltService; base: string }> = [];

  const admin = async <T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const query = <T>(sql: string, params: unknown[] = []) => admin<T>(urlFor(database), sql, params);

  beforeAll(async () => {
    buildIfChanged();
    // An empty database: both instances find every migration pending at once.
    await admin(urlFor("postgres"), `CREATE DATABASE ${database}`);
    let turn = 0;
    balancer = createServer((req, res) => {
      const target = instances[turn++ % instances.length]!;
      const upstream = request(`${target.base}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => balancer.listen(0, "127.0.0.1", resolve));
    balancerUrl = `http://127.0.0.1:${(balancer.address() as { port: number }).port}`;
    sandbox = await startSandbox({ clock: systemClock, port: 0, host: "127.0.0.1", callbackUrl: `${balancerUrl}/wecom/callback`, callbackRetryDelayMs: 500 });
    sandbox.state.seed({
      departments: [{ id: 1, name: "总部" }],
      users: Array.from({ length: 200 }, (_, i) => ({ userid: `teacher_${i}`, name: `教师${i}` })),
      robots: { [ROBOT]: "两实例测试机器人" },
      // teacher_199 leaves with these parents: a resigned transfer batch of two calls (WeCom takes 100 per call).
      follows: LEAVER_PARENTS.map((externalUserId) => ({ userid: "teacher_199", externalUserId })),
    });

    const common = {
      NODE_ENV: "development",
      LOG_LEVEL: "warn",
      LOG_PRETTY: "false",
      DATABASE_URL: urlFor(database),
      // The sandbox mode's generated secrets live beside this folder; both instances share them.
      EMBEDDED_PG_DIR: path.join(scratch, "pg"),
      WECOM_API_BASE: sandbox.url,
      INBOX_POLL_MS: "50",
      SCHEDULES_ENABLED: "true",
      WORKERS_ENABLED: "true",
    };
    for (let i = 0; i < 2; i++) {
      const port = await freeLoopbackPort();
      instances.push({ service: spawnBuiltService({ ...common, PORT: String(port) }), base: `http://127.0.0.1:${port}` });
    }
    await Promise.all(instances.map((s) => waitForReady(s.base, s.service, 120_000)));
    // The start-up directory sync (run by one of the two) brings the members the bot answers.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM staff`);
      if (n >= 200) break;
      await sleep(200);
    }
  }, 240_000);

  afterAll(async () => {
    for (const s of instances) {
      s.service.killGroup("SIGTERM");
      await s.service.exited;
    }
    await sandbox?.stop();
    await new Promise((resolve) => balancer?.close(resolve));
    await admin(urlFor("postgres"), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it("applied each migration once, though both started on an empty database at the same moment", async () => {
    const rows = await query<{ name: string; n: number }>(`SELECT name, count(*)::int AS n FROM typeorm_migrations GROUP BY name HAVING count(*) > 1`);
    expect(rows).toEqual([]);
    const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM typeorm_migrations`);
    expect(n).toBeGreaterThan(20);
  });

  it("handles each of 200 callbacks once though every one reached both instances: one reply each, one token fetch per secret between them", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sent = await Promise.all(
      Array.from({ length: 200 }, async (_, id) => {
        // "进度": every member asking for their resignation's progress gets one answer from the bot.
        const signed = signedCallback(id, now, "进度");
        const statuses: number[] = [];
        // Once through the balancer, once straight to each instance: three deliveries of one event.
        for (const base of [balancerUrl, ...instances.map((s) => s.base)]) {
          const res = await fetch(`${base}/wecom/callback?${signed.query}`, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
          statuses.push(res.status);
        }
        return statuses;
      }),
    );
    expect(sent.flat().every((s) => s === 200)).toBe(true);

    const deadline = Date.now() + 60_000;
    let open = -1;
    while (Date.now() < deadline) {
      [{ open }] = await query<{ open: number }>(`SELECT count(*)::int AS open FROM wecom_inbox_work`);
      if (open === 0) break;
      await sleep(200);
    }
    expect(open).toBe(0);
    // Stored once each, and each done (no work row left: migration 1767100000000); that each was handled once is what
    // the replies below show (a done event keeps no attempt count).
    const [{ rows, done }] = await query<{ rows: number; done: number }>(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'done')::int AS done FROM wecom_inbox_with_status WHERE ${storedField("MsgId")} LIKE '7000000000000000%'`,
    );
    expect(rows).toBe(200);
    expect(done).toBe(200);

    // Whatever the bot answers a member, it answers once: never one reply per instance. Replies leave
    // through the outbox after the handling commits, paced at our 30 a second: wait for them to settle.
    const sends = () => sandbox.calls.callsTo("/cgi-bin/message/send").length;
    const settleBy = Date.now() + 60_000;
    let seen = -1;
    while (Date.now() < settleBy && (sends() < 200 || sends() !== seen)) {
      seen = sends();
      await sleep(1_000);
    }
    const replies = sandbox.calls.callsTo("/cgi-bin/message/send").map((c) => (c.body as { touser?: string }).touser);
    const twice = replies.filter((to, i) => replies.indexOf(to) !== i);
    expect(twice).toEqual([]);
    expect(replies).toHaveLength(200);
    // Tokens are shared through PostgreSQL: the sandbox settings use one secret, fetched once between both instances.
    const tokenFetches = sandbox.calls.callsTo("/cgi-bin/gettoken");
    process.stdout.write(`gettoken calls: ${tokenFetches.length}; message/send: ${replies.length}\n`);
    expect(tokenFetches.length).toBe(1);
  }, 180_000);

  it("holds the group robot's 20 messages a minute across both instances: 20 sent, the rest deferred, never a 45009", async () => {
    // 30 alert notifications, one every 150 ms: each instance's outbox picks up what is due when it polls.
    for (let i = 1; i <= 30; i++) {
      await query(
        `INSERT INTO wecom_outbox (topic, ref, channel, target, message, duplicate_check, created_at, next_attempt_at)
         VALUES ('alerts', '{}', 'robot', $1, $2, false, now(), now())`,
        [ROBOT, JSON.stringify({ type: "robot_markdown", webhookKey: ROBOT, content: `第${i}条预警`, combineHeader: "## 风险预警" })],
      );
      await sleep(150);
    }
    await sleep(3_000);
    const sentToRobot = sandbox.state.webhookMessages.filter((m) => m.key === ROBOT);
    expect(sentToRobot).toHaveLength(20);
    const [{ limited }] = await query<{ limited: number }>(`SELECT count(*)::int AS limited FROM wecom_outbox_attempt WHERE errcode = 45009`);
    expect(limited).toBe(0);
    const [{ waiting }] = await query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM wecom_outbox WHERE sent_at IS NULL AND failed_at IS NULL`);
    expect(waiting).toBeGreaterThan(0);
    const [{ delivered }] = await query<{ delivered: number }>(`SELECT count(*)::int AS delivered FROM wecom_outbox_attempt WHERE channel = 'robot' AND errcode = 0`);
    expect(delivered).toBe(20);
  }, 60_000);

  it("sends each due reminder once and asks WeCom for each parent of a transfer batch once, whichever instance runs the slot", async () => {
    // Reminders due now: IT must disable 20 accounts by hand (no contacts secret); each task reminds IT (teacher_0).
    await query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('teacher_0', 'it', 1, 'seed')`);
    await query(
      `WITH t AS (INSERT INTO alert_it_task (alert_id, kind, staff_userid, requested_by, opened_at)
                  SELECT NULL, 'disable_account', u, 'system:last_day', now() - interval '3 hours' FROM unnest($1::text[]) u RETURNING id, opened_at)
       INSERT INTO reminder (subject_kind, subject_id, recipient_userid, opened_at, next_due_at) SELECT 'it_freeze_task', id::text, 'role:it', opened_at, now() FROM t`,
      [DISABLE_BY_HAND],
    );
    // A transfer batch: teacher_199 leaves (WeCom's delete_user reaches one instance), HR's plan hands the 150
    // parents to teacher_198.
    await sandbox.actors.memberLeaves("teacher_199");
    const leftBy = Date.now() + 30_000;
    while (Date.now() < leftBy && (await query<{ status: number }>(`SELECT status FROM staff WHERE userid = 'teacher_199'`))[0]?.status !== 5) await sleep(200);
    await query(`INSERT INTO reassignment_plan (leaver_userid, origin, state, created_at, updated_at) VALUES ('teacher_199', 'hr', 'started', now(), now())`);
    await query(
      `INSERT INTO customer_transfer (leaver_userid, successor_userid, external_userid, mode, status, requested_at, updated_at)
       SELECT 'teacher_199', 'teacher_198', p, 'resigned', 'requested', now(), now() FROM unnest($1::text[]) p`,
      [LEAVER_PARENTS],
    );

    // The reminder sweep runs every minute, the transfer lifecycle every two: each slot on one of the two instances.
    const itSends = () =>
      sandbox.calls.callsTo("/cgi-bin/message/send").map((c) => (c.body as { text?: { content?: string } }).text?.content ?? "").filter((t) => t.startsWith("【IT任务"));
    const transferCalls = () => sandbox.calls.callsTo("/cgi-bin/externalcontact/resigned/transfer_customer");
    const deadline = Date.now() + 170_000;
    for (;;) {
      const [{ requested }] = await query<{ requested: number }>(`SELECT count(*)::int AS requested FROM customer_transfer WHERE status = 'requested'`);
      if ((itSends().length >= DISABLE_BY_HAND.length && requested === 0) || Date.now() > deadline) break;
      await sleep(1_000);
    }
    await sleep(3_000); // a second send of either would have arrived by now

    // Each reminder once: one delivery row, one message to IT naming the member.
    const reminders = await query<{ sent: number; deliveries: number }>(
      `SELECT r.reminders_sent AS sent, (SELECT count(*)::int FROM reminder_delivery d WHERE d.reminder_id = r.id) AS deliveries FROM reminder r WHERE r.subject_kind = 'it_freeze_task'`,
    );
    expect(reminders).toEqual(DISABLE_BY_HAND.map(() => ({ sent: 1, deliveries: 1 })));
    const names = itSends().map((t) => /今天是(.+?)的最后工作日/.exec(t)?.[1]);
    expect(names.sort()).toEqual(DISABLE_BY_HAND.map((u) => `教师${u.slice("teacher_".length)}`).sort());

    // Each parent asked once: two calls (100 + 50), every parent in exactly one, all accepted and now waiting.
    const asked = transferCalls().flatMap((c) => (c.response as { customer: Array<{ external_userid: string; errcode: number }> }).customer);
    expect(transferCalls()).toHaveLength(2);
    expect(asked.map((c) => c.external_userid).sort()).toEqual(LEAVER_PARENTS);
    expect(asked.filter((c) => c.errcode !== 0)).toEqual([]);
    expect(await query(`SELECT status, count(*)::int AS n FROM customer_transfer GROUP BY status`)).toEqual([{ status: "waiting", n: 150 }]);
    expect(await query(`SELECT state, count(*)::int AS n FROM transfer_call GROUP BY state`)).toEqual([{ state: "answered", n: 2 }]);
    // Still one token per secret between both instances: the agent's (replies, reminders) and now the customer
    // contact secret's (transfers). WeCom hands out the same token again while it is valid ("有效期内重复获取返回相同结果",
    // Tencent's gettoken page path/91039 as published in 2020) and so does the sandbox, so a second fetch of either
    // secret would show as a repeated token.
    const tokens = sandbox.calls.callsTo("/cgi-bin/gettoken").map((c) => (c.response as { access_token: string }).access_token);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
  }, 200_000);
});
