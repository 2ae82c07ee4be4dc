// Scratch: PostgreSQL CPU + WAL per row for insert / claim / done under table variants.
const path = require("path"); const fs = require("fs");
const D = path.join(__dirname, "../dist");
require("reflect-metadata");
const { Pool } = require("pg");
const { startBenchDatabase } = require(D + "/bench/support/benchDatabase");
const { signedCallback } = require(D + "/bench/signedEvents");
const { CallbackCrypto } = require(D + "/src/wecom/crypto/callbackCrypto");
const { SANDBOX_CORP } = require(D + "/src/wecom/sandboxCredentials");
const { openEventCallback } = require(D + "/src/wecom/callback/openCallback");
const tick = 100;
const cpu = (pid) => { const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return (+f[11] + +f[12]) * 1000 / tick; };
const insertSql = `INSERT INTO wecom_inbox (dedupe_key, kind, raw_xml, payload, status, attempts, next_attempt_at, received_at)
  SELECT k, kd, x, p::jsonb, 'pending', 0, $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, kd, x, p)
  ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`;
const doneSql = `UPDATE wecom_inbox AS i SET status = 'done', handled_at = $3, locked_until = NULL, last_error = NULL
  FROM unnest($1::bigint[], $2::int[]) AS h(id, attempts) WHERE i.id = h.id AND i.attempts = h.attempts AND i.status = 'processing'`;
(async () => {
  const db = await startBenchDatabase("pgexp", 4);
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const crypto = new CallbackCrypto(SANDBOX_CORP.token, SANDBOX_CORP.encodingAesKey, SANDBOX_CORP.corpId);
  const N = Number(process.env.N ?? 10000), IB = 40, CB = Number(process.env.CB ?? 50);
  const now = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: N }, (_, i) => { const s = signedCallback(i, now); const q = Object.fromEntries(new URLSearchParams(s.query)); return openEventCallback(q, s.body, { crypto, windowSeconds: 600, nowMs: Date.now() }); });
  const variants = (process.env.V ?? "base").split(",");
  for (const v of variants) {
    if (v === "toast") { await pool.query(`ALTER TABLE wecom_inbox SET (toast_tuple_target = 128)`); await pool.query(`ALTER TABLE wecom_inbox ALTER raw_xml SET STORAGE EXTERNAL, ALTER payload SET STORAGE EXTERNAL`); }
    if (v === "nodoneidx") await pool.query(`DROP INDEX IF EXISTS wecom_inbox_done_idx`);
    if (v === "ff") await pool.query(`ALTER TABLE wecom_inbox SET (fillfactor = 70)`);
    for (let rep = 0; rep < Number(process.env.REP ?? 2); rep++) {
      await pool.query("TRUNCATE wecom_inbox"); await pool.query("CHECKPOINT");
      const c = await pool.connect(); const [{ pid }] = (await c.query("SELECT pg_backend_pid() pid")).rows;
      const lsn = async () => (await c.query("SELECT pg_current_wal_lsn() l")).rows[0].l;
      const m = { insert: 0, claim: 0, done: 0 }, w = { insert: 0, claim: 0, done: 0 };
      const wal = async (k, f) => { const l0 = await lsn(); const t0 = cpu(pid); await f(); m[k] += cpu(pid) - t0; const l1 = await lsn(); w[k] += Number((await c.query("SELECT pg_wal_lsn_diff($1,$2) d", [l1, l0])).rows[0].d); };
      // interleave: insert IB rows, every so often claim+done CB rows
      let claimed = 0;
      for (let i = 0; i < N; i += IB) {
        const b = events.slice(i, i + IB).map((e) => ({ ...e, dedupeKey: e.dedupeKey + ":" + rep + v }));
        await wal("insert", () => c.query({ name: "ins", text: insertSql, values: [b.map((x) => x.dedupeKey), b.map((x) => x.kind), b.map((x) => x.rawXml), b.map((x) => JSON.stringify(x.event)), new Date()] }));
        if ((i / IB) % 1 === 0) {
          let rows;
          await wal("claim", async () => { rows = (await c.query({ name: "cl", text: `SELECT id, kind, payload, attempts FROM wecom_inbox_claim($1, $2, $3)`, values: [new Date(Date.now() + 1000), new Date(Date.now() + 60000), CB] })).rows; });
          claimed += rows.length;
          await wal("done", () => c.query({ name: "dn", text: doneSql, values: [rows.map((r) => r.id), rows.map((r) => r.attempts), new Date()] }));
        }
      }
      c.release();
      const per = (o) => Object.entries(o).map(([k, x]) => `${k} ${(x * 1000 / N).toFixed(0)}`).join(", ");
      const [{ size }] = (await pool.query("SELECT pg_total_relation_size('wecom_inbox') size")).rows;
      console.log(`${v} rep ${rep}: claimed ${claimed}/${N} | CPU µs/row: ${per(m)} | WAL B/row: ${Object.entries(w).map(([k, x]) => `${k} ${(x / N).toFixed(0)}`).join(", ")} | size ${(size/1e6).toFixed(1)} MB`);
    }
  }
  await pool.end(); await db.stop(); process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
