import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { DataSource } from "typeorm";
import { loadStaffFacts } from "../src/alerts/detection/staffContexts";
import { createAlerts, type Alerts } from "../src/alerts/module";
import type { AlertDraft } from "../src/alerts/rules/alert";
import { branchFor, saveBranchSettings } from "../src/alerts/store/branchSettings";
import { recordNewAlert } from "../src/alerts/store/alertStore";
import { WeComOutbox } from "../src/wecom/outbox/weComOutbox";
import { createAuth } from "../src/auth/module";
import { ArchiveFanout, type ArchivedChat } from "../src/conversations/archive/archiveFanout";
import { parseArchivedMessage, type ChatMessage } from "../src/wecom/archive/archivedMessage";
import { writePageContents } from "../src/conversations/archive/archiveStore";
import { toArchivedChat } from "../src/conversations/archive/drainArchive";
import type { PreparedRow } from "../src/conversations/archive/preparePage";
import { systemClock } from "../src/platform/clock";
import { loadConfig } from "../src/platform/config";
import { DataKeyRing } from "../src/platform/dataProtection/keyRing";
import { silentLogger } from "../src/platform/logger";
import { createMetrics } from "../src/platform/metrics";
import { startSandbox, type Sandbox } from "../src/sandbox/server";
import { createWeComClient } from "../src/wecom/client";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";
import type { Bench, BenchReport } from "./benchTypes";
import { alternate, describeRatio, median } from "./support/alternate";
import { startBenchDatabase } from "./support/benchDatabase";

const RATE = 1000;
const SECONDS_PER_ROUND = Number(process.env.BENCH_SECONDS ?? 6);
/**
 * Five rounds each way (three until 2026-11-26): each round's median is of its six incidents, so one noisy
 * round moved the median of three ratios (spreads of 1.3–2.0 on a quiet machine).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TICK_MS = 100;
const STAFF = 1000;
/**
 * Campuses, each with its own HR auditor and group robot, the bench's teachers spread over them. WeCom drops
 * app messages beyond 30 a minute to one member ("每应用对同一个成员不可超过30次/分钟，1000次/小时，超过部分会被丢弃
 * 不下发", developer.work.weixin.qq.com/document/path/90236, 频率限制) and a group robot takes 20 a minute
 * (path/91770): with one HR member for every card, more rounds sent her more cards than WeCom would deliver.
 */
const CAMPUSES = 4;
/** Below the 40-distinct-parents rule: background teachers chat normally. */
const PARENTS_PER_STAFF = 30;
/** Every second one more teacher starts sending one text to many parents (crosses the 15-parent rule). */
const BURST = 20;
/** The 15th distinct parent is where the duplicate rule fires (default threshold). */
const CROSSING_PARENT = 14;
const TARGET_P99_MS = 5000;
/** Detection may add at most this factor to the rest of the path's median latency (archive commit → card accepted). */
const TARGET_RATIO = 2;
const DELIVERY_WAIT_MS = 15_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * The baseline: the same path from the archive fan-out to the HR card, minus
 * detection. It takes the fan-out's batches as the risk consumer does, and in
 * one transaction per batch records the alert for each message the detector
 * would fire on (known here from how the stream was made: a burster's 15th
 * parent) through the same recordNewAlert (alert row, outbox notification),
 * then wakes the outbox, which sends the card to WeCom as usual. What it
 * leaves out is what the comparison measures: loading per-staff risk state,
 * the rules, and saving the state.
 */
class NoDetectionConsumer {
  private queue: ArchivedChat[] = [];
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly fanout: ArchiveFanout,
    private readonly alerts: Alerts,
    private readonly outbox: WeComOutbox,
    private readonly fires: (chat: ArchivedChat) => boolean,
  ) {}

  start(): void {
    this.unsubscribe = this.fanout.subscribe((chat) => {
      this.queue.push(chat);
      this.running ??= this.loop().finally(() => (this.running = undefined));
    });
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 1000);
      const now = systemClock.now();
      const settings = await this.alerts.settings.get();
      const hits = batch.filter(this.fires);
      const ids = await this.dataSource.transaction(async (m) => {
        const created: string[] = [];
        const facts = await loadStaffFacts(m, [...new Set(hits.map((c) => c.staffUserid!))]);
        for (const chat of hits) {
          const staff = facts.get(chat.staffUserid!)!;
          const branch = branchFor(staff.path, settings)!;
          const auditorUserId = branch.risk.config.massMessaging.auditorUserId;
          const draft: AlertDraft = {
            incidentKey: `bench:${chat.staffUserid}`,
            ruleId: "mm",
            kind: "mass_messaging",
            severity: "warning",
            delivery: "immediate",
            staffUserId: chat.staffUserid!,
            auditorUserId,
            parentsAffected: Array.from({ length: CROSSING_PARENT + 1 }, (_, i) => `wm_${chat.staffUserid}_${i}`),
            hitMsgids: [chat.message.msgid],
            reasons: ["同一内容发给15位家长"],
            title: "群发家长",
            summary: "同一内容发给15位家长",
            openedAt: now,
          };
          const id = await recordNewAlert(m, draft, { branch, staff, publicBaseUrl: "http://localhost" }, now);
          if (id) created.push(id);
        }
        return created;
      });
      if (ids.length > 0) this.outbox.wake();
    }
  }
}

interface LatencyRound {
  latencies: number[];
  incidents: number;
  alerts: number;
  falseAlarms: number;
  messages: number;
  seconds: number;
  lagMs: number;
  /** This process's CPU time over the round (user + system), producer and sandbox included on both sides. */
  cpuMs: number;
}

/**
 * Detection latency: a 1,000-message-per-second archive stream (stored
 * through the archive's own insert path, then fanned out), measured from a
 * message's arrival in the archive (its page committed) to the HR card being
 * accepted by the sandbox WeCom API. Among the background traffic, one
 * teacher per second mass-messages; the clock for each incident starts at
 * the message that crossed the threshold. Rounds alternate the baseline
 * (NoDetectionConsumer: the same path minus detection) and the real risk
 * consumer, each round with teachers of its own.
 */
export async function alertLatencyBench(): Promise<BenchReport> {
  const db = await startBenchDatabase("alerts", 8);
  const { dataSource } = db;
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({ clock: systemClock, callbackTimeoutMs: 500 });
    const totalRounds = (ROUNDS + 1) * 2;
    const bursters = (round: number, side: "b" | "s") => Array.from({ length: SECONDS_PER_ROUND }, (_, s) => `burst_${side}${round + 1}_${s}`);
    const burstStaff = Array.from({ length: totalRounds / 2 }, (_, i) => [...bursters(i - 1, "b"), ...bursters(i - 1, "s")]).flat();
    const staffIds = [...Array.from({ length: STAFF }, (_, i) => `t${i}`), ...burstStaff];
    // Campus k is department 2 + k with HR member hr{k} and robot robot{k}; teachers (bursters too) take turns.
    const campuses = Array.from({ length: CAMPUSES }, (_, k) => ({ dept: 2 + k, hr: `hr${k}`, robot: `robot${k}` }));
    const members = [
      ...staffIds.map((userid, i) => ({ userid, dept: campuses[i % CAMPUSES]!.dept })),
      ...campuses.map((c) => ({ userid: c.hr, dept: c.dept })),
    ];
    sandbox.state.seed({
      departments: [{ id: 1, name: "集团", parentId: 0 }, ...campuses.map((c) => ({ id: c.dept, name: `校区${c.dept - 1}`, parentId: 1 }))],
      users: members.map((u) => ({ userid: u.userid, name: u.userid, departments: [u.dept] })),
      robots: Object.fromEntries(campuses.map((c) => [c.robot, `${c.hr}的群`])),
    });
    await dataSource.query(
      `INSERT INTO department (id, name, parent_id, kind, path)
       SELECT 1, '集团', NULL, 'hq', '{1}' UNION ALL SELECT d, '校区' || (d - 1), 1, 'campus', ARRAY[1, d] FROM unnest($1::int[]) d`,
      [campuses.map((c) => c.dept)],
    );
    await dataSource.query(
      `INSERT INTO staff (userid, name, department_ids, main_department) SELECT u, u, ARRAY[d], d FROM unnest($1::text[], $2::int[]) AS m(u, d)`,
      [members.map((u) => u.userid), members.map((u) => u.dept)],
    );
    for (const c of campuses) {
      await dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ($1, 'hr', $2, 'bench')`, [c.hr, c.dept]);
      await dataSource.transaction((m) =>
        saveBranchSettings(m, c.dept, {
          rules: {
            massMessaging: { ruleId: "mm", auditorUserId: c.hr },
            massDeletion: { ruleId: "md", auditorUserId: c.hr },
            parentLeft: { ruleId: "pl", auditorUserId: c.hr },
            afterLastDay: { ruleId: "ald", auditorUserId: c.hr },
            sensitive: [{ ruleId: "kw", auditorUserId: c.hr, name: "敏感词", words: ["退费骗局"] }],
          },
          notifier: { webhookKey: c.robot },
        }, "bench", systemClock.now()),
      );
    }

    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0", WECOM_API_BASE: sandbox.url, INBOX_POLL_MS: "200", SESSION_SECRET: randomBytes(32).toString("hex") });
    const services = { config, logger: silentLogger(), clock: systemClock, dataSource, metrics: createMetrics() };
    const client = createWeComClient(services, {
      settings: { corpId: SANDBOX_CORP.corpId, apiBase: sandbox.url, agentId: SANDBOX_CORP.agentId, secrets: { agent: SANDBOX_CORP.agentSecret, contact: SANDBOX_CORP.contactSecret } },
    });
    const keyRing = new DataKeyRing({ k1: randomBytes(32) }, "k1");
    const fanout = new ArchiveFanout(silentLogger());
    const outbox = new WeComOutbox({ dataSource, client, clock: systemClock, logger: silentLogger() }, 200);
    const alerts = createAlerts(services, { auth: createAuth(services), client, outbox, archive: { fanout, keyRing } });
    outbox.start();
    const sandboxState = sandbox.state;

    let seq = 0;
    const row = (from: string, to: string, text: string, at: number): PreparedRow => {
      seq++;
      const msgid = `m${seq}`;
      const raw = { msgid, action: "send", from, tolist: [to], roomid: "", msgtime: at, msgtype: "text", text: { content: text } };
      const sealed = keyRing.seal(JSON.stringify(raw), msgid);
      return {
        msgid, seq, publickeyVer: 1, action: "send", msgtype: "text", fromId: from, toList: [to], roomId: null, msgTime: new Date(at),
        staffUserid: from, externalUserid: to, recallsMsgid: null, bodyCiphertext: sealed.ciphertext, bodyKeyId: sealed.keyId, media: null,
        message: parseArchivedMessage(JSON.stringify(raw)) as ChatMessage,
      };
    };

    /** One round: SECONDS_PER_ROUND of stream with one new burster a second, then wait for their cards. */
    const streamRound = async (names: string[], caughtUp: () => Promise<void>): Promise<LatencyRound> => {
      const arrival = new Map<string, number>(); // burster → when the message that crossed the threshold was stored
      const burstSent = new Map<string, number>();
      const firstSeq = seq;
      const cpuAtStart = process.cpuUsage();
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      const started = performance.now();
      let lagMs = 0;
      for (let tick = 0; tick < (SECONDS_PER_ROUND * 1000) / TICK_MS; tick++) {
        const now = Date.now();
        const rows: PreparedRow[] = [];
        const burster = names[Math.floor((tick * TICK_MS) / 1000)]!;
        for (let i = 0; i < (RATE * TICK_MS) / 1000; i++) {
          const sent = burstSent.get(burster) ?? 0;
          if (i < 2 && sent < BURST) {
            burstSent.set(burster, sent + 1);
            rows.push(row(burster, `wm_${burster}_${sent}`, `各位家长请注意，本校区即将停课，请尽快联系我办理转班（${burster}）`, now));
            continue;
          }
          const staff = `t${Math.floor(Math.random() * STAFF)}`;
          rows.push(row(staff, `wm_${staff}_${Math.floor(Math.random() * PARENTS_PER_STAFF)}`, `${randomBytes(12).toString("base64")} ${seq}`, now));
        }
        await runner.startTransaction();
        await writePageContents(runner, "bench", { maxSeq: seq, rows, deadLetters: [], consentChanges: [], skipped: { internal: 0, switch: 0, malformed: 0, no_consent: 0 } }, new Date(now));
        await runner.commitTransaction();
        const storedAt = Date.now();
        for (const r of rows) if (r.staffUserid === burster && r.toList[0] === `wm_${burster}_${CROSSING_PARENT}`) arrival.set(burster, storedAt);
        fanout.publish(rows.map(toArchivedChat));
        const behind = performance.now() - started - (tick + 1) * TICK_MS;
        lagMs = Math.max(lagMs, behind);
        if (behind < 0) await new Promise((r) => setTimeout(r, -behind));
      }
      const seconds = (performance.now() - started) / 1000;
      await runner.release();
      // Let the round's last incidents reach HR: first the consumer works through its queue, then the cards go out.
      await caughtUp();
      const cards = async () =>
        new Map<string, string>(
          (await dataSource.query(`SELECT id, staff_userid FROM alert WHERE kind = 'mass_messaging' AND created_at >= $1`, [new Date(Date.now() - 3_600_000)]))
            .map((a: { id: string; staff_userid: string }) => [`alert-${a.id}`, a.staff_userid]),
        );
      // A card counts once WeCom delivered it to someone: one it dropped (over a member's 30 a minute) reached no HR.
      const deliveredCards = () => sandboxState.messages.filter((m) => m.taskId !== undefined && m.deliveredTo.length > 0);
      const deadline = Date.now() + DELIVERY_WAIT_MS;
      let byTask = await cards();
      while (Date.now() < deadline) {
        byTask = await cards();
        const delivered = deliveredCards().filter((m) => arrival.has(byTask.get(m.taskId!) ?? "")).length;
        if (delivered >= arrival.size) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const latencies: number[] = [];
      for (const m of deliveredCards()) {
        const staff = m.taskId ? byTask.get(m.taskId) : undefined;
        const at = staff ? arrival.get(staff) : undefined;
        if (at !== undefined) latencies.push(m.at.getTime() - at);
      }
      latencies.sort((a, b) => a - b);
      const roundAlerts = [...byTask.values()].filter((s) => names.includes(s)).length;
      const falseAlarms = [...byTask.values()].filter((s) => !s.startsWith("burst_")).length;
      const cpu = process.cpuUsage(cpuAtStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      return { latencies, incidents: arrival.size, alerts: roundAlerts, falseAlarms, messages: seq - firstSeq, seconds, lagMs, cpuMs };
    };

    const fires = (chat: ArchivedChat) => chat.staffUserid?.startsWith("burst_") === true && chat.externalUserid === `wm_${chat.staffUserid}_${CROSSING_PARENT}`;
    const comparison = await alternate<LatencyRound>({
      rounds: ROUNDS,
      warmupRounds: 1,
      baseline: async (round) => {
        const consumer = new NoDetectionConsumer(dataSource, fanout, alerts, outbox, fires);
        consumer.start();
        try {
          return await streamRound(bursters(round, "b"), () => consumer.idle());
        } finally {
          await consumer.stop();
        }
      },
      subject: async (round) => {
        // The risk consumer resumes from its cursor: move it past the baseline's messages so they are not re-detected.
        await dataSource.query(
          `INSERT INTO risk_cursor (name, last_seq, updated_at) VALUES ('archive', $1, now()) ON CONFLICT (name) DO UPDATE SET last_seq = EXCLUDED.last_seq`,
          [seq],
        );
        alerts.consumer!.start();
        try {
          return await streamRound(bursters(round, "s"), () => alerts.consumer!.idle());
        } finally {
          await alerts.consumer!.idle();
          await alerts.consumer!.stop();
        }
      },
      figure: (r) => median(r.latencies),
    });
    await outbox.stop();

    const all = (side: "baseline" | "subject") => comparison.rounds.flatMap((r) => r[side].latencies).sort((a, b) => a - b);
    const withDetection = all("subject");
    const without = all("baseline");
    const sum = (f: (r: LatencyRound) => number) => comparison.rounds.reduce((n, r) => n + f(r.subject), 0);
    const incidents = sum((r) => r.incidents);
    const delivered = sum((r) => r.latencies.length);
    const raised = sum((r) => r.alerts);
    const falseAlarms = sum((r) => r.falseAlarms);
    const baselineDelivered = comparison.rounds.reduce((n, r) => n + r.baseline.latencies.length, 0);
    const baselineIncidents = comparison.rounds.reduce((n, r) => n + r.baseline.incidents, 0);
    const p = (sorted: number[], q: number) => percentile(sorted, q);
    const lag = Math.max(...comparison.rounds.flatMap((r) => [r.baseline.lagMs, r.subject.lagMs]));
    return {
      rows: [
        {
          variant: `path minus detection (baseline, ${without.length} incidents)`,
          values: { "p50 ms": p(without, 50), "p99 ms": p(without, 99) },
          note: `median per round ${comparison.rounds.map((r) => median(r.baseline.latencies)).join(" / ")} ms`,
        },
        {
          variant: `archive ${RATE}/s → detection → HR card (${withDetection.length} incidents)`,
          values: { "p50 ms": p(withDetection, 50), "p99 ms": p(withDetection, 99), ratio: comparison.median },
          note: `median per round ${comparison.rounds.map((r) => median(r.subject.latencies)).join(" / ")} ms; producer max lag ${lag.toFixed(0)} ms`,
        },
      ],
      checks: [
        {
          name: "every incident alerted once, no false alarm",
          ok: delivered === incidents && raised === incidents && falseAlarms === 0 && baselineDelivered === baselineIncidents,
          detail: `${delivered}/${incidents} incidents delivered, ${raised} mass-messaging alerts, ${falseAlarms} false; baseline ${baselineDelivered}/${baselineIncidents}`,
          kind: "correctness",
        },
        { name: `p99 detection latency ≤ ${TARGET_P99_MS / 1000} s`, ok: p(withDetection, 99) <= TARGET_P99_MS, detail: `p99 ${p(withDetection, 99)} ms, p50 ${p(withDetection, 50)} ms`, kind: "target" },
        {
          name: `detection adds at most ${TARGET_RATIO}× to the path's median latency`,
          ok: comparison.median <= TARGET_RATIO,
          detail: `ratio of medians ${describeRatio(comparison)}`,
          kind: "target",
        },
      ],
      notes: [
        `${ROUNDS} rounds of ${SECONDS_PER_ROUND} s each way after a warm-up pair, ${SECONDS_PER_ROUND} incidents a round, cards to ${CAMPUSES} campuses' HR members`,
        // CPU time moves far less with the machine's load than latency does: the cost of detection itself.
        `this process's CPU per round (ms): baseline ${comparison.rounds.map((r) => r.baseline.cpuMs.toFixed(0)).join(" / ")}, with detection ${comparison.rounds.map((r) => r.subject.cpuMs.toFixed(0)).join(" / ")}`,
      ],
    };
  } finally {
    await sandbox?.stop();
    await db.stop();
  }
}

export const alertLatencyBenchEntry: Bench = { name: "alert-latency", run: alertLatencyBench };
