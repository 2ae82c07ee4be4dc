import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encrypt, getSignature } from "@wecom/crypto";
import { loadConfig } from "../src/platform/config";
import { silentLogger } from "../src/platform/logger";
import { startService } from "../src/service";
import { SANDBOX_CORP } from "../src/wecom/sandboxCredentials";
import type { Bench, BenchReport } from "./benchTypes";
import { startBenchDatabase } from "./support/benchDatabase";

const INTAKE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SENDERS = 16;
const BACKLOG = 30_000;
const TARGET_RATIO = 1.0;
const DRAIN_LIMIT_MS = 15 * 60_000;

/** Mixed contact events on the demo corp's real relations: an edit reads WeCom (the sandbox), deletions are database-only. */
const MIX = [
  { changeType: "edit_external_contact", userId: "zhangli", externalUserId: "wmParentLi0001" },
  { changeType: "edit_external_contact", userId: "zhangli", externalUserId: "wmParentZhao002" },
  { changeType: "del_follow_user", userId: "liuyang", externalUserId: "wmParentZhou004" },
  { changeType: "del_external_contact", userId: "zhangli", externalUserId: "wmParentQian003" },
];

function contactEventXml(id: number, createTime: number): string {
  const m = MIX[id % MIX.length]!;
  return (
    `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>` +
    `<ChangeType><![CDATA[${m.changeType}]]></ChangeType><UserID><![CDATA[${m.userId}]]></UserID>` +
    `<ExternalUserID><![CDATA[${m.externalUserId}]]></ExternalUserID><State><![CDATA[bench-${id}]]></State></xml>`
  );
}

function signed(id: number, timestamp: number): { query: string; body: string } {
  const cipher = encrypt(SANDBOX_CORP.encodingAesKey, contactEventXml(id, timestamp), SANDBOX_CORP.corpId);
  const nonce = String(200000 + id);
  return {
    query: `msg_signature=${getSignature(SANDBOX_CORP.token, timestamp, nonce, cipher)}&timestamp=${timestamp}&nonce=${nonce}`,
    body: `<xml><ToUserName><![CDATA[${SANDBOX_CORP.corpId}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt></xml>`,
  };
}

/**
 * Issue 16: does event handling keep up with intake? One service (built-in
 * sandbox as WeCom, inbox workers on) takes mixed contact events over HTTP
 * for INTAKE_SECONDS; in the same window the handled rate is measured, and
 * handled/intake is the ratio (target ≥ 1.0: no growing backlog). Then a
 * 30,000-event backlog is put in the inbox at once and the time to drain it
 * is measured.
 */
async function run(): Promise<BenchReport> {
  const db = await startBenchDatabase("inbox-keeps-up", 20);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-inbox-"));
  const config = loadConfig({
    NODE_ENV: "development",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    SANDBOX_PORT: "0",
    SCHEDULES_ENABLED: "false",
    WORKERS_ENABLED: "true",
    EMBEDDED_PG_DIR: path.join(scratch, "pg"),
    DATABASE_POOL_SIZE: "20",
  });
  const service = await startService(config, silentLogger(), { database: { dataSource: db.dataSource, url: db.url, close: async () => undefined } });
  const base = `http://127.0.0.1:${service.port}`;
  const count = async (where: string) => Number((await db.dataSource.query(`SELECT count(*)::int AS n FROM wecom_inbox WHERE ${where}`))[0].n);
  try {
    // Intake vs handling, same window.
    const doneBefore = await count("status = 'done'");
    let next = 0;
    let accepted = 0;
    const until = Date.now() + INTAKE_SECONDS * 1000;
    const sender = async () => {
      while (Date.now() < until) {
        const s = signed(next++, Math.floor(Date.now() / 1000));
        const res = await fetch(`${base}/wecom/callback?${s.query}`, { method: "POST", body: s.body, headers: { "content-type": "text/xml" } });
        if (res.status === 200) accepted += 1;
        await res.arrayBuffer();
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const windowS = (Date.now() - t0) / 1000;
    const handled = (await count("status = 'done'")) - doneBefore;
    const intakeRate = accepted / windowS;
    const handledRate = handled / windowS;
    const ratio = handledRate / intakeRate;
    // Let the intake backlog finish before the drain measurement.
    while ((await count("status IN ('pending', 'processing')")) > 0) await new Promise((r) => setTimeout(r, 200));

    // A 30,000-event backlog at once (a mass transfer's worth).
    const now = Math.floor(Date.now() / 1000);
    const values: string[] = [];
    for (let i = 0; i < BACKLOG; i++) values.push(JSON.stringify({ type: "change_external_contact", corpId: SANDBOX_CORP.corpId, from: "sys", createTime: now, ...MIX[i % MIX.length] }));
    const d0 = Date.now();
    await db.dataSource.query(
      `INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, received_at)
       SELECT 'drain-' || i, 'change_external_contact:' || (p::jsonb->>'changeType'), '<xml/>', p::jsonb, 'pending', 0, now(), now()
       FROM unnest($1::text[]) WITH ORDINALITY AS t(p, i)`,
      [values],
    );
    let left = BACKLOG;
    while (left > 0 && Date.now() - d0 < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 500));
      left = await count(`dedupe_key LIKE 'drain-%' AND status IN ('pending', 'processing')`);
    }
    const drainS = (Date.now() - d0) / 1000;
    const dead = await count(`status = 'dead'`);
    return {
      rows: [
        { variant: "intake (callbacks accepted)", values: { "events/s": intakeRate } },
        { variant: "handling (events handled, same window)", values: { "events/s": handledRate, ratio } },
        { variant: `drain ${BACKLOG} backlog`, values: { s: drainS, "events/s": (BACKLOG - left) / drainS }, ...(left > 0 ? { note: `${left} left after ${DRAIN_LIMIT_MS / 60000} min` } : {}) },
      ],
      checks: [
        { name: "handling keeps up with intake", ok: ratio >= TARGET_RATIO, detail: `handled/intake ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO})`, kind: "target" },
        { name: "backlog drained", ok: left === 0, detail: `${BACKLOG - left}/${BACKLOG} in ${drainS.toFixed(1)} s`, kind: "correctness" },
        { name: "no dead letters", ok: dead === 0, detail: `${dead} dead`, kind: "correctness" },
      ],
      notes: [`${SENDERS} senders for ${INTAKE_SECONDS} s; INBOX_WORKER_CONCURRENCY ${config.INBOX_WORKER_CONCURRENCY}; machine load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`],
    };
  } finally {
    await service.stop();
    await db.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export const inboxKeepsUpBench: Bench = { name: "inbox-keeps-up", run };
