// Scratch: CPU per request of node server, load driver, postgres — baseline vs real route.
const path = require("path");
const D = path.join(__dirname, "../dist");
require("reflect-metadata");
const fs = require("fs");
const http = require("http");
const Router = require("@koa/router"); const Koa = require("koa");
const { systemClock } = require(D + "/src/platform/clock");
const { loadConfig } = require(D + "/src/platform/config");
const { createApp } = require(D + "/src/platform/http/createApp");
const { createLogger } = require(D + "/src/platform/logger");
const { createMetrics } = require(D + "/src/platform/metrics");
const { createWeComIngress } = require(D + "/src/wecom/callback/createWeComIngress");
const { openEventCallback } = require(D + "/src/wecom/callback/openCallback");
const { readRawBody } = require(D + "/src/wecom/callback/readRawBody");
const { CallbackCrypto } = require(D + "/src/wecom/crypto/callbackCrypto");
const { SANDBOX_CORP } = require(D + "/src/wecom/sandboxCredentials");
const { fork } = require("child_process");
const driveLoad = (request, onStart) => new Promise((resolve, reject) => { const child = fork(path.join(__dirname, "loadDriver.js"), { stdio: ["ignore", "inherit", "inherit", "ipc"] }); let result; child.on("message", (m) => { if (m.start) onStart(); else result = m; }); child.once("exit", (code) => (result ? resolve(result) : reject(new Error("driver " + code)))); child.send(request); });
const { startBenchDatabase } = require(D + "/bench/support/benchDatabase");
const SECONDS = Number(process.env.S ?? 4);
const tick = 100; // clock ticks per second
function stat(pid) { try { const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return { ppid: +f[1], ut: +f[11], st: +f[12], cut: +f[13], cst: +f[14] }; } catch { return undefined; } }
function pgPids(port) {
  const out = [];
  for (const p of fs.readdirSync("/proc")) { if (!/^\d+$/.test(p)) continue; try { const c = fs.readFileSync(`/proc/${p}/cmdline`, "utf8"); if (c.includes("postgres") && c.includes(`port=${port}`) ) out.push(+p); } catch {} }
  return out;
}
function pgByKind(master) {
  const out = {};
  for (const p of fs.readdirSync("/proc")) { if (!/^\d+$/.test(p)) continue; const s = stat(+p); if (!s || s.ppid !== master) continue;
    let t = "?"; try { t = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ").trim(); } catch {}
    const k = t.includes("127.0.0.1") ? "backend" : t.replace(/^postgres: /, "").split(" ")[0];
    out[k] = (out[k] ?? 0) + (s.ut + s.st) * 10; }
  return out;
}
function pgCpu(master) {
  let t = 0;
  for (const p of fs.readdirSync("/proc")) { if (!/^\d+$/.test(p)) continue; const s = stat(+p); if (s && +p === master) t += s.ut + s.st + s.cut + s.cst; else if (s && s.ppid === master) t += s.ut + s.st; }
  return t / tick * 1000; // ms
}
const selfChildren = () => { const s = stat(process.pid); return (s.cut + s.cst) / tick * 1000; };
function listen(h) { const s = http.createServer(h); return new Promise((r) => s.listen(0, "127.0.0.1", () => r({ server: s, url: `http://127.0.0.1:${s.address().port}` }))); }
(async () => {
  const config = loadConfig({ NODE_ENV: "development", LOG_LEVEL: "info" });
  const db = await startBenchDatabase("prof", config.DATABASE_POOL_SIZE);
  const port = new URL(db.url).port;
  // find postmaster: process with "-p port" or "port" arg
  let master;
  for (const p of fs.readdirSync("/proc")) { if (!/^\d+$/.test(p)) continue; try { const c = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0"); if (c[0].endsWith("postgres") && c.includes(String(port))) master = +p; } catch {} }
  console.log("postmaster", master, "port", port);
  const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
  const router = new Router();
  router.post("/wecom/callback", async (ctx) => { const body = await readRawBody(ctx.req, 65536); openEventCallback(ctx.query, body.toString("utf8"), { crypto, windowSeconds: 600, nowMs: Date.now() }); ctx.status = 200; ctx.body = ""; });
  const bapp = new Koa(); bapp.use(router.routes());
  const baseline = await listen(bapp.callback());
  if (process.env.NODB) { const { InboxWriter } = require(D + "/src/wecom/inbox/inboxWriter"); InboxWriter.prototype.insert = async () => "accepted"; }
  const logger = createLogger({ level: "info", pretty: false, destination: "/dev/null" });
  const metrics = createMetrics({ collectProcessMetrics: false });
  const ingress = createWeComIngress({ config, logger, clock: systemClock, dataSource: db.dataSource, metrics });
  const app = createApp({ logger, metrics, routers: ingress.routers });
  const real = await listen(app.callback());
  const pool = ingress.worker.pool;
  const one = async (label, url, off, seconds, isReal) => {
    if (isReal) { await db.dataSource.query("TRUNCATE wecom_inbox"); ingress.worker.start(); }
    const st = async () => (await db.dataSource.query(`SELECT xact_commit::int c, tup_inserted::int i, tup_updated::int u, tup_returned::bigint ret, blks_hit::bigint hit, (SELECT wal_records::int FROM pg_stat_wal) wr, (SELECT wal_bytes::bigint FROM pg_stat_wal) wb, (SELECT seq_scan FROM pg_stat_user_tables WHERE relname='wecom_inbox') ss, (SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname='wecom_inbox') str, (SELECT idx_scan FROM pg_stat_user_tables WHERE relname='wecom_inbox') isc, (SELECT idx_tup_fetch FROM pg_stat_user_tables WHERE relname='wecom_inbox') itf, (SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname='wecom_inbox') hot FROM pg_stat_database WHERE datname = current_database()`))[0];
    const s0 = await st();
    const w0 = Date.now();
    let n0, c0, p0, k0;
    const r = await driveLoad({ url, connections: 50, durationSeconds: seconds, events: 60000, idOffset: off }, () => { if (!label.startsWith('warm')) console.log('WIN_START ' + label, String(process.hrtime.bigint() / 1000n)); n0 = process.cpuUsage(); c0 = selfChildren(); p0 = pgCpu(master); k0 = pgByKind(master); });
    if (isReal) { await new Promise((r) => setTimeout(r, 300)); await ingress.worker.stop(); await ingress.worker.drain(); }
    if (!label.startsWith('warm')) console.log('WIN_END ' + label, String(process.hrtime.bigint() / 1000n));
    await new Promise((r) => setTimeout(r, 1200)); const s1 = await st();
    const k1 = pgByKind(master); const kd = Object.entries(k1).map(([k, v]) => `${k} ${((v - (k0[k] ?? 0)) * 1000 / (r.ok + r.non2xx)).toFixed(0)}`).join(' ');
    const n1 = process.cpuUsage(n0); const c1 = selfChildren() - c0; const p1 = pgCpu(master) - p0; const w1 = Date.now() - w0;
    const req = r.ok + r.non2xx;
    const us = (ms) => (ms * 1000 / req).toFixed(0);
    console.log(`${label}: ${r.requestsPerSecond.toFixed(0)} req/s, ${req} req, wall ${w1} ms | node ${us((n1.user + n1.system) / 1000)} µs/req (user ${us(n1.user/1000)}) | driver ${us(r.driverCpuMs)} µs/req | pg ${us(p1)} µs/req [${kd}] per req: ${Object.keys(s1).map((k) => `${k} ${((s1[k] - s0[k]) / (r.ok + r.non2xx)).toFixed(2)}`).join(' ')}`);
    return r;
  };
  let off = 1e7;
  await one("warm base", baseline.url, off += 1e7, 2, false);
  await one("warm real", real.url, off += 1e7, 2, true);
  for (let i = 0; i < Number(process.env.R ?? 2); i++) {
    if (!process.env.ONLY) await one("base", baseline.url, off += 1e7, SECONDS, false);
    await one("real", real.url, off += 1e7, SECONDS, true);
  }
  if (process.env.STATS) {
    const rows = await db.dataSource.query(`SELECT calls, round(total_exec_time::numeric,1) ms, rows, left(regexp_replace(query,'\\s+',' ','g'),90) q FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`).catch((e) => [String(e)]);
    console.table(rows);
  }
  baseline.server.closeAllConnections(); baseline.server.close(); real.server.closeAllConnections(); real.server.close();
  await db.stop();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
