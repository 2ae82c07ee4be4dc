import { randomBytes } from "node:crypto";
import { createAlerts } from "../src/alerts/module";
import { saveBranchSettings } from "../src/alerts/store/branchSettings";
import { createAuth } from "../src/auth/module";
import { ArchiveFanout } from "../src/conversations/archive/ArchiveFanout";
import { parseArchivedMessage, type ChatMessage } from "../src/conversations/archive/archivedMessage";
import { writePageContents } from "../src/conversations/archive/archiveStore";
import { toArchivedChat } from "../src/conversations/archive/drainArchive";
import type { PreparedRow } from "../src/conversations/archive/preparePage";
import { systemClock } from "../src/platform/clock";
import { loadConfig } from "../src/platform/config";
import { DataKeyRing } from "../src/platform/dataProtection/keyRing";
import { silentLogger } from "../src/platform/logger";
import { createMetrics } from "../src/platform/metrics";
import { startSandbox } from "../src/sandbox/server";
import { createWeComClient } from "../src/wecom/client";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";
import type { Bench, BenchReport } from "./benchTypes";
import { startBenchDatabase } from "./support/benchDatabase";

const RATE = 1000;
const SECONDS = 20;
const TICK_MS = 100;
const STAFF = 1000;
/** Below the 40-distinct-parents rule: background teachers chat normally. */
const PARENTS_PER_STAFF = 30;
/** Every second one more teacher starts sending one text to many parents (crosses the 15-parent rule). */
const BURST = 20;


const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * Detection latency: a 1,000-message-per-second archive stream (stored
 * through the archive's own insert path, then fanned out) into the detector;
 * measured from a message's arrival in the archive (its page committed) to
 * the HR card being accepted by the sandbox WeCom API. Among the background
 * traffic, one teacher per second mass-messages; the clock for each incident
 * starts at the message that crossed the threshold.
 */
export async function alertLatencyBench(): Promise<BenchReport> {
  const db = await startBenchDatabase("alerts", 8);
  const { dataSource } = db;
  const sandbox = await startSandbox({ clock: systemClock, callbackTimeoutMs: 500 });
  const staffIds = Array.from({ length: STAFF }, (_, i) => `t${i}`);
  sandbox.state.seed({
    departments: [{ id: 1, name: "集团", parentId: 0 }, { id: 2, name: "校区", parentId: 1 }],
    users: [...staffIds, "hr"].map((userid) => ({ userid, name: userid, departments: [2] })),
    robots: { robot: "HR" },
  });
  try {
    await dataSource.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '集团', NULL, 'hq', '{1}'), (2, '校区', 1, 'campus', '{1,2}')`);
    await dataSource.query(
      `INSERT INTO staff (userid, name, department_ids, main_department) SELECT u, u, '{2}', 2 FROM unnest($1::text[]) u`,
      [[...staffIds, "hr"]],
    );
    await dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr', 'hr', 2, 'bench')`);
    await dataSource.transaction((m) =>
      saveBranchSettings(m, 2, {
        rules: {
          massMessaging: { ruleId: "mm", auditorUserId: "hr" },
          massDeletion: { ruleId: "md", auditorUserId: "hr" },
          parentLeft: { ruleId: "pl", auditorUserId: "hr" },
          afterLastDay: { ruleId: "ald", auditorUserId: "hr" },
          sensitive: [{ ruleId: "kw", auditorUserId: "hr", name: "敏感词", words: ["退费骗局"] }],
        },
        notifier: { webhookKey: "robot" },
      }, "bench", systemClock.now()),
    );

    const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0", WECOM_API_BASE: sandbox.url, INBOX_POLL_MS: "200", SESSION_SECRET: randomBytes(32).toString("hex") });
    const services = { config, logger: silentLogger(), clock: systemClock, dataSource, metrics: createMetrics() };
    const client = createWeComClient(services, {
      settings: { corpId: SANDBOX_CORP.corpId, apiBase: sandbox.url, agentId: SANDBOX_CORP.agentId, secrets: { agent: SANDBOX_CORP.agentSecret, contact: SANDBOX_CORP.contactSecret } },
    });
    const keyRing = new DataKeyRing({ k1: randomBytes(32) }, "k1");
    const fanout = new ArchiveFanout(silentLogger());
    const alerts = createAlerts(services, { auth: createAuth(services), client, archive: { fanout, keyRing } });
    alerts.notifier.start();
    alerts.consumer!.start();

    let seq = 0;
    const arrival = new Map<string, number>(); // staff → when the message that crossed the threshold arrived
    const burstSent = new Map<string, number>();
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
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const started = performance.now();
    let lagMs = 0;
    for (let tick = 0; tick < (SECONDS * 1000) / TICK_MS; tick++) {
      const now = Date.now();
      const rows: PreparedRow[] = [];
      const second = Math.floor((tick * TICK_MS) / 1000);
      const burster = `t${second}`;
      for (let i = 0; i < (RATE * TICK_MS) / 1000; i++) {
        const sent = burstSent.get(burster) ?? 0;
        if (i < 2 && sent < BURST) {
          burstSent.set(burster, sent + 1);
          rows.push(row(burster, `wm_${burster}_${sent}`, `各位家长请注意，本校区即将停课，请尽快联系我办理转班（${second}）`, now));
          continue;
        }
        const staff = `t${SECONDS + Math.floor(Math.random() * (STAFF - SECONDS))}`;
        rows.push(row(staff, `wm_${staff}_${Math.floor(Math.random() * PARENTS_PER_STAFF)}`, `${randomBytes(12).toString("base64")} ${seq}`, now));
      }
      await runner.startTransaction();
      await writePageContents(runner, "bench", { maxSeq: seq, rows, deadLetters: [], consentChanges: [], skipped: { internal: 0, switch: 0, malformed: 0, no_consent: 0 } }, new Date(now));
      await runner.commitTransaction();
      const storedAt = Date.now();
      // The 15th distinct parent is where the duplicate rule fires (default threshold).
      for (const r of rows) if (r.staffUserid === burster && r.toList[0] === `wm_${burster}_14`) arrival.set(burster, storedAt);
      fanout.publish(rows.map(toArchivedChat));
      const behind = performance.now() - started - (tick + 1) * TICK_MS;
      lagMs = Math.max(lagMs, behind);
      if (behind < 0) await new Promise((r) => setTimeout(r, -behind));
    }
    const elapsed = (performance.now() - started) / 1000;
    await runner.release();
    // Let the last incidents reach HR.
    const deadline = Date.now() + 15_000;
    const cards = async () =>
      new Map<string, string>(
        (await dataSource.query(`SELECT id, staff_userid FROM alert WHERE kind = 'mass_messaging'`)).map((a: { id: string; staff_userid: string }) => [`alert-${a.id}`, a.staff_userid]),
      );
    let byTask = await cards();
    while (Date.now() < deadline) {
      byTask = await cards();
      const delivered = sandbox.state.messages.filter((m) => m.taskId && arrival.has(byTask.get(m.taskId) ?? "")).length;
      if (delivered >= arrival.size) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const latencies: number[] = [];
    for (const m of sandbox.state.messages) {
      const staff = m.taskId ? byTask.get(m.taskId) : undefined;
      const at = staff ? arrival.get(staff) : undefined;
      if (at !== undefined) latencies.push(m.at.getTime() - at);
    }
    latencies.sort((a, b) => a - b);
    const falseAlarms = [...byTask.values()].filter((s) => !arrival.has(s)).length;
    await alerts.consumer!.stop();
    await alerts.notifier.stop();
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return {
      rows: [
        {
          variant: `archive ${RATE}/s → HR card (${latencies.length} incidents)`,
          values: { "msg/s": Math.round(seq / elapsed), "p50 ms": p50, "p99 ms": p99 },
          note: `${seq} messages in ${elapsed.toFixed(1)} s; producer max lag ${lagMs.toFixed(0)} ms`,
        },
      ],
      checks: [
        { name: "every incident alerted once", ok: latencies.length === arrival.size && byTask.size === arrival.size, detail: `${latencies.length}/${arrival.size} incidents delivered, ${byTask.size} mass-messaging alerts, ${falseAlarms} false` , kind: "correctness" },
        { name: "p99 detection latency ≤ 5 s", ok: p99 <= 5000, detail: `p99 ${p99} ms, p50 ${p50} ms`, kind: "target" },
      ],
    };
  } finally {
    await sandbox.stop();
    await db.stop();
  }
}

export const alertLatencyBenchEntry: Bench = { name: "alert-latency", run: alertLatencyBench };
