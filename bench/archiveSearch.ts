import { constants, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ArchiveFanout } from "../src/conversations/archive/ArchiveFanout";
import { recordSingleConsent } from "../src/conversations/archive/archiveConsent";
import type { ArchiveSource, ChatDataPage, ChatDataRecord, MediaChunk } from "../src/conversations/archive/ArchiveSource";
import { parseArchivedMessage, type ChatMessage } from "../src/conversations/archive/archivedMessage";
import { drainArchive } from "../src/conversations/archive/drainArchive";
import { randomKeyDecryptorFor } from "../src/conversations/archive/randomKeyDecryptor";
import { sandboxDecryptChatMsg, sandboxEncryptChatMsg } from "../src/conversations/archive/sandboxChatCipher";
import { messageText } from "../src/conversations/presenters/messageText";
import { ConversationReads } from "../src/conversations/queries/conversationReads";
import { indexMessage } from "../src/conversations/searchIndex/indexMessage";
import { normalizeText } from "../src/conversations/searchIndex/normalizeText";
import { SearchIndexKeys } from "../src/conversations/searchIndex/searchIndexKeys";
import { StaffDirectory } from "../src/org/directory/staffDirectory";
import { systemClock } from "../src/platform/clock";
import { DataKeyRing } from "../src/platform/dataProtection/keyRing";
import { silentLogger } from "../src/platform/logger";
import type { Bench, BenchCheck, BenchReport, BenchRow } from "./benchTypes";
import { ChatCorpus } from "./support/chatCorpus";
import { startBenchDatabase, type BenchDatabase } from "./support/benchDatabase";

/**
 * Archive keyword search on the blind index at chain scale (issue 19), in one run:
 *  1. generate a year of archive (SEARCH_BENCH_MESSAGES, default 2,000,000) for 2,000 staff in 10 campuses
 *     and 50,000 parents, 12 monthly partitions, sealed bodies and index entries made by the production
 *     code (seal, indexMessage), loaded with COPY, indexes built afterwards;
 *  2. query latency through the production read path (scope, GIN, decrypt-confirm, policy per hit, names,
 *     access log) for 2-, 3-, 4-character keywords and a two-word phrase, campus HR and HQ, one year,
 *     against the linear decrypt-scan it replaces;
 *  3. ingest through the real drain with the index vs without, alternating A/B;
 *  4. index size per message and per partition.
 * SEARCH_BENCH_MESSAGES / _STAFF / _PARENTS / _RUNS / _INGEST shrink it for a quick run.
 */
const envInt = (name: string, fallback: number) => {
  const v = process.env[name];
  const n = v === undefined || v === "" ? fallback : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};

const CAMPUSES = 10;
const MONTHS = 12;
const DAY = 86_400_000;

/** Keywords planted at known rates (expected hits per year, chain-wide), beside common words that share their bigrams. */
const PLANTED = [
  { label: "2-character keyword", q: "退费", insert: ["退费"], perYear: 80 },
  { label: "3-character keyword", q: "加微信", insert: ["加微信"], perYear: 80 },
  { label: "4-character keyword", q: "私下补课", insert: ["私下补课"], perYear: 80 },
  { label: "two-word phrase", q: "红包 私聊", insert: ["红包", "私聊"], perYear: 60 },
] as const;
/** Each alone, much more often: long posting lists that the rare combinations above must be intersected with. */
const NOISE = [
  { word: "微信", perYear: 6000 },
  { word: "补课", perYear: 3000 },
  { word: "红包", perYear: 2000 },
  { word: "私聊", perYear: 2000 },
];

interface Sizes {
  messages: number;
  staff: number;
  parents: number;
  runs: number;
  ingest: number;
}

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function seedOrganisation(db: BenchDatabase, sizes: Sizes): Promise<void> {
  const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);
  await q(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '总部', NULL, 'hq', '{1}')`);
  await q(
    `INSERT INTO department (id, name, parent_id, kind, path)
     SELECT c + 1, '第' || c || '校区', 1, 'campus', ARRAY[1, c + 1] FROM generate_series(1, $1::int) c`,
    [CAMPUSES],
  );
  // Staff s works in campus (s mod 10) + 2; parent p talks to staff p mod STAFF.
  await q(
    `INSERT INTO staff (userid, name, department_ids, main_department)
     SELECT 't' || s, '老师' || s, ARRAY[(s % $2) + 2], (s % $2) + 2 FROM generate_series(0, $1::int - 1) s`,
    [sizes.staff, CAMPUSES],
  );
  await q(
    `INSERT INTO external_contact (external_userid, name, updated_at)
     SELECT 'wm' || p, '家长' || p, now() FROM generate_series(0, $1::int - 1) p`,
    [sizes.parents],
  );
  await q(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ('hq_admin', '总部管理员', '{1}', 1), ('hr_c2', '第1校区人事', '{2}', 2)`);
  await q(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hq_admin', 'hq_admin', NULL, 'bench'), ('hr_c2', 'hr', 2, 'bench')`);
}

const copyText = (v: string | null) => (v === null ? "\\N" : v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n"));

interface Generated {
  seconds: number;
  copySeconds: number;
  indexBuildSeconds: number;
  planted: Record<string, number>;
}

/** Generate and COPY the archive; secondary indexes are dropped first and rebuilt afterwards (as a bulk load would). */
async function generateArchive(db: BenchDatabase, sizes: Sizes, keyRing: DataKeyRing, searchKeys: SearchIndexKeys, yearStart: number): Promise<Generated> {
  const started = performance.now();
  for (let m = 0; m < MONTHS; m++) {
    const d = new Date(yearStart);
    d.setUTCMonth(d.getUTCMonth() + m);
    await db.dataSource.query(`SELECT archive_ensure_month_partition($1::date)`, [d.toISOString().slice(0, 10)]);
  }
  const indexes: Array<{ indexname: string; indexdef: string }> = await db.dataSource.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'archive_message' AND indexname NOT LIKE '%pkey'`,
  );
  for (const i of indexes) await db.dataSource.query(`DROP INDEX ${i.indexname}`);

  // One connection per COPY: a connection runs one statement at a time.
  const client = new Client({ connectionString: db.url });
  const idClient = new Client({ connectionString: db.url });
  await client.connect();
  await idClient.connect();
  const corpus = new ChatCorpus(19);
  const planted: Record<string, number> = Object.fromEntries(PLANTED.map((p) => [p.q, 0]));
  const yearMs = MONTHS * 30.4 * DAY;
  const parentsPerStaff = Math.max(1, Math.floor(sizes.parents / sizes.staff));
  let copySeconds = 0;
  try {
    const messages = client.query(
      copyFrom(`COPY archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id, msg_time,
                staff_userid, external_userid, body_ciphertext, body_key_id, search_tokens, search_key_id) FROM STDIN`),
    );
    const ids = idClient.query(copyFrom(`COPY archive_msgid (msgid, msg_time, seq) FROM STDIN`));
    let chunk = "";
    let idChunk = "";
    const flush = async () => {
      const t = performance.now();
      if (!messages.write(chunk)) await new Promise((r) => messages.once("drain", r));
      if (!ids.write(idChunk)) await new Promise((r) => ids.once("drain", r));
      copySeconds += (performance.now() - t) / 1000;
      chunk = "";
      idChunk = "";
    };
    for (let i = 0; i < sizes.messages; i++) {
      const msgid = `b${i}`;
      const at = yearStart + Math.floor((i / sizes.messages) * yearMs);
      const staff = corpus.int(sizes.staff);
      const parent = `wm${(staff + sizes.staff * corpus.int(parentsPerStaff)) % sizes.parents}`;
      const inRoom = corpus.chance(0.08);
      const fromStaff = inRoom || corpus.chance(0.6);
      let content = corpus.sentence();
      for (const p of PLANTED) {
        if (corpus.chance(p.perYear / sizes.messages)) for (const w of p.insert) content = insertAt(content, w, corpus.int(content.length + 1));
      }
      for (const n of NOISE) if (corpus.chance(n.perYear / 2_000_000)) content = insertAt(content, n.word, corpus.int(content.length + 1));
      // Ground truth on the final text of every message: a later insertion can split an earlier one, and random words can form a keyword.
      for (const p of PLANTED) if (p.insert.every((w) => content.includes(w))) planted[p.q]!++;
      const room = inRoom ? `wr${staff}_${corpus.int(3)}` : null;
      const from = fromStaff ? `t${staff}` : parent;
      const to = room ? [parent] : [fromStaff ? parent : `t${staff}`];
      const message = { msgid, action: "send", from, tolist: to, roomid: room ?? "", msgtime: at, msgtype: "text", text: { content } };
      const sealed = keyRing.seal(JSON.stringify(message), msgid);
      const entry = indexMessage(searchKeys, parseLite(content));
      const time = new Date(at).toISOString();
      chunk += `${msgid}\t${i + 1}\t1\tsend\ttext\t${from}\t{${to.join(",")}}\t${copyText(room)}\t${time}\tt${staff}\t${room ? "\\N" : parent}\t\\\\x${sealed.ciphertext.toString("hex")}\t${sealed.keyId}\t{${entry.tokens.join(",")}}\t${entry.keyId}\n`;
      idChunk += `${msgid}\t${time}\t${i + 1}\n`;
      if ((i + 1) % 5000 === 0) await flush();
    }
    await flush();
    await new Promise<void>((resolve, reject) => {
      messages.once("finish", () => resolve());
      messages.once("error", reject);
      messages.end();
    });
    await new Promise<void>((resolve, reject) => {
      ids.once("finish", () => resolve());
      ids.once("error", reject);
      ids.end();
    });
  } finally {
    await client.end();
    await idClient.end();
  }
  const loaded = performance.now();
  const runner = db.dataSource.createQueryRunner();
  try {
    await runner.query(`SET maintenance_work_mem = '1GB'`);
    await runner.query(`SET max_parallel_maintenance_workers = 2`);
    // pg_indexes shows a partitioned index as "ON ONLY" (parent only); built "ON" the table it recurses into every partition.
    for (const i of indexes) await runner.query(i.indexdef.replace(" ON ONLY ", " ON "));
    await runner.query(`ANALYZE archive_message`);
    await runner.query(`ANALYZE archive_msgid`);
  } finally {
    await runner.release();
  }
  const done = performance.now();
  return { seconds: (loaded - started) / 1000, copySeconds, indexBuildSeconds: (done - loaded) / 1000, planted };
}

function insertAt(s: string, w: string, at: number): string {
  return s.slice(0, at) + w + s.slice(at);
}

const parseLite = (content: string) => ({ msgtype: "text" as const, content });

/** An archive in memory, as in the ingest bench: ingest is measured, not the SDK's network. */
class PreparedArchive implements ArchiveSource {
  constructor(private readonly records: ChatDataRecord[]) {}
  async getChatData(seq: number, limit: number): Promise<ChatDataPage> {
    return { chatdata: this.records.filter((r) => r.seq > seq).slice(0, limit) };
  }
  decryptData(key: string, msg: string): string {
    return sandboxDecryptChatMsg(key, msg);
  }
  async getMediaData(): Promise<MediaChunk> {
    throw new Error("no media in the bench");
  }
  async close(): Promise<void> {}
}

function ingestRecords(publicKey: KeyObject, corpus: ChatCorpus, count: number, prefix: string, at: number, staffCount: number, parents: number): ChatDataRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const key = randomBytes(24).toString("base64");
    const staff = i % staffCount;
    const parent = `wm${staff % parents}`;
    const message = { msgid: `${prefix}-${i}`, action: "send", from: `t${staff}`, tolist: [parent], roomid: "", msgtime: at + i, msgtype: "text", text: { content: corpus.sentence() } };
    return {
      seq: i + 1,
      msgid: message.msgid,
      publickey_ver: 1,
      encrypt_random_key: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(key, "latin1")).toString("base64"),
      encrypt_chat_msg: sandboxEncryptChatMsg(key, JSON.stringify(message)),
    };
  });
}

export async function runArchiveSearchBench(): Promise<BenchReport> {
  const sizes: Sizes = {
    messages: envInt("SEARCH_BENCH_MESSAGES", 2_000_000),
    staff: envInt("SEARCH_BENCH_STAFF", 2_000),
    parents: envInt("SEARCH_BENCH_PARENTS", 50_000),
    runs: envInt("SEARCH_BENCH_RUNS", 20),
    ingest: envInt("SEARCH_BENCH_INGEST", 3_000),
  };
  const rows: BenchRow[] = [];
  const checks: BenchCheck[] = [];
  const notes: string[] = [];
  const keyRing = new DataKeyRing({ bench: randomBytes(32) }, "bench");
  const searchKeys = new SearchIndexKeys({ idx: randomBytes(32) }, "idx");
  const now = systemClock.now();
  // Twelve months ending with the current one, so live ingest lands in a real partition.
  const yearStart = Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1);
  const range = { from: new Date(yearStart), to: new Date(yearStart + 366 * DAY) };

  const db = await startBenchDatabase("search", 4);
  try {
    await seedOrganisation(db, sizes);
    const gen = await generateArchive(db, sizes, keyRing, searchKeys, yearStart);
    const [{ n: stored }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM archive_message`);
    rows.push({
      variant: `generate + COPY ${stored} messages`,
      values: { s: gen.seconds, "msg/s": Math.round(stored / gen.seconds), "index build s": gen.indexBuildSeconds },
      note: `${sizes.staff} staff in ${CAMPUSES} campuses, ${sizes.parents} parents, ${MONTHS} monthly partitions; COPY wait ${gen.copySeconds.toFixed(1)} s`,
    });
    checks.push({ name: "archive generated", ok: stored === sizes.messages, detail: `${stored} of ${sizes.messages} rows`, kind: "correctness" });

    // 2. Query latency through the production read path.
    const directory = new StaffDirectory(db.dataSource.manager);
    const actors = { campus: await directory.actor("hr_c2"), chain: await directory.actor("hq_admin") };
    const deps = { dataSource: db.dataSource, keyRing, searchKeys, clock: systemClock };
    const samples = new Map<string, number[]>();
    const totals = new Map<string, number>();
    const queries = [...PLANTED.map((p) => ({ label: p.label, q: p.q })), { label: "common word (over the candidate cap)", q: "作业" }];
    for (let run = 0; run < sizes.runs + 1; run++) {
      for (const query of queries) {
        for (const [scopeName, actor] of Object.entries(actors)) {
          const key = `${query.label}|${scopeName}`;
          const t = performance.now();
          const answer = await new ConversationReads(deps, actor).search({ q: query.q, ...range, page: 1, pageSize: 20 });
          const ms = performance.now() - t;
          if (run === 0) {
            totals.set(key, answer.total); // first run warms caches and is not counted
            continue;
          }
          samples.set(key, [...(samples.get(key) ?? []), ms]);
        }
      }
    }

    // The linear decrypt-scan the index replaces: every message of the campus for the year, decrypted and matched.
    const scanStarted = performance.now();
    const scanRows: Array<{ msgid: string; body_ciphertext: Buffer; body_key_id: string }> = await db.dataSource.query(
      `SELECT m.msgid, m.body_ciphertext, m.body_key_id FROM archive_message m JOIN staff s ON s.userid = m.staff_userid
        WHERE s.department_ids && ARRAY[2] AND m.msg_time >= $1 AND m.msg_time < $2`,
      [range.from, range.to],
    );
    let scanHits = 0;
    for (const r of scanRows) {
      const chat = parseArchivedMessage(keyRing.open({ ciphertext: r.body_ciphertext, keyId: r.body_key_id }, r.msgid).toString("utf8")) as ChatMessage;
      if (normalizeText(messageText(chat.content)).includes("退费")) scanHits++;
    }
    const campusScanMs = performance.now() - scanStarted;
    const chainScanMs = (campusScanMs / scanRows.length) * stored;
    notes.push(
      `linear decrypt-scan, campus (${scanRows.length} messages, measured): ${(campusScanMs / 1000).toFixed(1)} s, found 退费 ${scanHits}×; ` +
        `whole chain (${stored} messages): ${(chainScanMs / 1000).toFixed(1)} s extrapolated from the campus rate`,
    );

    for (const query of queries) {
      for (const scopeName of Object.keys(actors)) {
        const key = `${query.label}|${scopeName}`;
        const s = samples.get(key)!;
        const p95 = percentile(s, 95);
        const total = totals.get(key)!;
        const scan = scopeName === "campus" ? campusScanMs : chainScanMs;
        rows.push({
          variant: `${query.label} “${query.q}”, ${scopeName === "campus" ? "campus HR" : "HQ, whole chain"}`,
          values: { hits: total, "p50 ms": percentile(s, 50), "p95 ms": p95, "scan/index": Math.round(scan / p95) },
        });
        if (total <= 100) {
          checks.push({ name: `p95 ≤ 200 ms: ${query.q} (${scopeName})`, ok: p95 <= 200, detail: `p95 ${p95.toFixed(1)} ms, ${total} hits, ${Math.round(scan / p95)}× faster than the decrypt-scan`, kind: "target" });
        }
      }
    }
    // The planted hits must all be found chain-wide (decrypt-confirm loses nothing the index yields).
    for (const p of PLANTED) {
      const found = totals.get(`${p.label}|chain`)!;
      checks.push({ name: `chain-wide search finds every message containing “${p.q}”`, ok: found === gen.planted[p.q]!, detail: `generated ${gen.planted[p.q]}, found ${found}`, kind: "correctness" });
    }

    // 3. Ingest with the index vs without, through the real drain, alternating A/B.
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const consentAt = new Date(now.getTime() - DAY);
    await recordSingleConsent(
      db.dataSource.manager,
      Array.from({ length: sizes.staff }, (_, s) => ({ staffUserid: `t${s}`, externalUserid: `wm${s % sizes.parents}`, status: "agree" as const, changedAt: consentAt, source: "check_single_agree" as const })),
      consentAt,
    );
    const corpus = new ChatCorpus(7);
    const rates = { with: [] as number[], without: [] as number[] };
    for (let round = 0; round < 3; round++) {
      for (const variant of round % 2 === 0 ? (["without", "with"] as const) : (["with", "without"] as const)) {
        const records = ingestRecords(publicKey, corpus, sizes.ingest, `ing-${round}-${variant}`, now.getTime() - DAY + round * 1000, sizes.staff, sizes.parents);
        const randomKeys = randomKeyDecryptorFor(new Map([[1, privateKey]]), 2);
        const t = performance.now();
        const report = await drainArchive({
          dataSource: db.dataSource,
          source: new PreparedArchive(records),
          randomKeys,
          keyRing,
          searchKeys: variant === "with" ? searchKeys : undefined,
          fanout: new ArchiveFanout(silentLogger()),
          clock: systemClock,
          logger: silentLogger(),
          corpId: `ing-${round}-${variant}`,
        });
        rates[variant].push(report.stored / ((performance.now() - t) / 1000));
        await randomKeys.close();
      }
    }
    const median = (v: number[]) => percentile(v, 50);
    const ingestRatio = median(rates.with) / median(rates.without);
    rows.push({ variant: "ingest without the index (real drain, RSA threaded)", values: { "msg/s": Math.round(median(rates.without)) } });
    rows.push({ variant: "ingest with the index", values: { "msg/s": Math.round(median(rates.with)), ratio: Number(ingestRatio.toFixed(2)) }, note: `median of 3 alternating rounds of ${sizes.ingest}, into the ${stored}-message archive` });
    checks.push({ name: "ingest with index / without ≥ 0.8", ok: ingestRatio >= 0.8, detail: `ratio ${ingestRatio.toFixed(2)}`, kind: "target" });

    // 4. Index size.
    const sizesByPartition: Array<{ name: string; rows: number; gin: string; tokens: string }> = await db.dataSource.query(
      `SELECT c.relname AS name,
              (SELECT count(*) FROM archive_message m WHERE m.tableoid = c.oid)::int AS rows,
              (SELECT pg_relation_size(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                WHERE i.indrelid = c.oid AND am.amname = 'gin')::bigint AS gin,
              (SELECT coalesce(sum(pg_column_size(m.search_tokens)), 0) FROM archive_message m WHERE m.tableoid = c.oid)::bigint AS tokens
         FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'archive_message'::regclass ORDER BY c.relname`,
    );
    let ginTotal = 0;
    let tokensTotal = 0;
    let rowsTotal = 0;
    for (const p of sizesByPartition) {
      if (p.rows === 0) continue;
      ginTotal += Number(p.gin);
      tokensTotal += Number(p.tokens);
      rowsTotal += p.rows;
      rows.push({
        variant: `partition ${p.name}`,
        values: { messages: p.rows, "GIN MB": Number(p.gin) / 1_048_576, "tokens MB": Number(p.tokens) / 1_048_576 },
      });
    }
    rows.push({
      variant: "index per message",
      values: { "GIN bytes": Math.round(ginTotal / rowsTotal), "token array bytes": Math.round(tokensTotal / rowsTotal), "total bytes": Math.round((ginTotal + tokensTotal) / rowsTotal) },
    });
    notes.push(`sizes: SEARCH_BENCH_MESSAGES=${sizes.messages} STAFF=${sizes.staff} PARENTS=${sizes.parents} RUNS=${sizes.runs} INGEST=${sizes.ingest}; p95 over ${sizes.runs} runs after one warm-up`);
    return { rows, checks, notes };
  } finally {
    await db.stop();
  }
}

export const archiveSearchBench: Bench = { name: "archive search (blind index)", run: runArchiveSearchBench };
