import { constants, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { ArchiveFanout } from "../src/conversations/archive/archiveFanout";
import { recordSingleConsent } from "../src/conversations/archive/archiveConsent";
import type { ChatDataRecord } from "../src/wecom/archive/archiveSource";
import { drainArchive, type DrainReport } from "../src/conversations/archive/drainArchive";
import { randomKeyDecryptorFor, WorkerRandomKeyDecryptor } from "../src/wecom/archive/randomKeyDecryptor";
import { sandboxEncryptChatMsg } from "../src/wecom/archive/sandboxChatCipher";
import { systemClock } from "../src/platform/clock";
import { DataKeyRing } from "../src/platform/dataProtection/keyRing";
import { silentLogger } from "../src/platform/logger";
import type { Bench, BenchReport } from "./benchTypes";
import { alternate, describeRatio, median, type Comparison } from "./support/alternate";
import { PreparedArchive } from "./support/preparedArchive";
import { startBenchDatabase } from "./support/benchDatabase";

const STAFF = 50;
const PARENTS = 200;


function makeRecords(publicKey: KeyObject, count: number, firstSeq: number, now: number): ChatDataRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = firstSeq + i;
    const key = randomBytes(24).toString("base64");
    const staff = `t_${seq % STAFF}`;
    const parent = `wm_${seq % PARENTS}`;
    const fromStaff = seq % 3 !== 0;
    const message = {
      msgid: `bench-${seq}-${randomBytes(4).toString("hex")}`,
      action: "send",
      from: fromStaff ? staff : parent,
      tolist: [fromStaff ? parent : staff],
      roomid: "",
      msgtime: now - (count - i) * 50,
      msgtype: "text",
      text: { content: `老师您好，孩子今天的作业第${seq}题不太会，麻烦您有空看一下，谢谢！` },
    };
    return {
      seq,
      msgid: message.msgid,
      publickey_ver: 1,
      encrypt_random_key: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(key, "latin1")).toString("base64"),
      encrypt_chat_msg: sandboxEncryptChatMsg(key, JSON.stringify(message)),
    };
  });
}


const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_ARCHIVE_MESSAGES ?? 25_000);
const PAGE = 1000;
const TARGET_RATIO = 0.6;

interface IngestRound {
  perSec: number;
  stored: number;
  lost: number;
  duplicates: number;
  deadLettered: number;
}

/**
 * Chat-archive ingest against RSA on the same cores. RSA bounds ingest (one
 * private-key operation per message), so the baseline is exactly that work
 * done the way production does it on this machine (randomKeyDecryptorFor:
 * worker threads on every core, at most 4), page by page, and nothing else.
 * The subject is the full ingest (RSA + DecryptData + parse + consent + seal
 * + store) with a decryptor of the same kind. Rounds alternate A B A B, each
 * on messages of its own (records generated before the round, not timed);
 * every ingest round is checked for zero loss and zero duplicates.
 * Target: median ingest/RSA ratio ≥ 0.6.
 */
export async function benchArchiveIngest(): Promise<{ comparison: Comparison<number | IngestRound>; cores: number; threads: string; notes: string[] }> {
  const notes: string[] = [];
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keys = new Map([[1, privateKey]]);
  const now = systemClock.now().getTime();
  const cores = os.availableParallelism();
  const decryptor = () => randomKeyDecryptorFor(keys, cores);
  const probe = decryptor();
  const threads = probe instanceof WorkerRandomKeyDecryptor ? `${Math.min(4, cores)} worker threads` : "inline (one core)";
  await probe.close();

  const db = await startBenchDatabase("archive", 4);
  const { dataSource } = db;
  try {
    const consentAt = new Date(now - 86_400_000);
    // Every parent agreed with the one teacher they talk to (see makeRecords).
    await recordSingleConsent(
      dataSource.manager,
      Array.from({ length: PARENTS }, (_, p) => ({
        staffUserid: `t_${p % STAFF}`,
        externalUserid: `wm_${p}`,
        status: "agree" as const,
        changedAt: consentAt,
        source: "check_single_agree" as const,
      })),
      consentAt,
    );
    const keyRing = new DataKeyRing({ bench: randomBytes(32) }, "bench");
    const recordsFor = (count: number) => {
      const t = performance.now();
      const records = makeRecords(publicKey, count, 1, now);
      if (notes.length === 0) notes.push(`generating ${count} encrypted records takes ${((performance.now() - t) / 1000).toFixed(1)} s (not timed)`);
      return records;
    };

    /** Baseline: only the RSA step, page by page, on the production decryptor. */
    const rsaOnly = async (round: number): Promise<number> => {
      const records = recordsFor(round < 0 ? PAGE * 2 : PER_ROUND);
      const randomKeys = decryptor();
      const started = performance.now();
      for (let i = 0; i < records.length; i += PAGE) {
        const results = await randomKeys.decryptBatch(records.slice(i, i + PAGE).map((r) => ({ publickeyVer: r.publickey_ver, encryptedKey: r.encrypt_random_key })));
        if (results.some((r) => "error" in r)) throw new Error("RSA baseline failed to decrypt a key");
      }
      const perSec = records.length / ((performance.now() - started) / 1000);
      await randomKeys.close();
      return perSec;
    };

    /** Subject: the full ingest of a fresh archive (its own corp id, so its cursor starts at 0). */
    const ingest = async (round: number): Promise<IngestRound> => {
      const count = round < 0 ? PAGE * 2 : PER_ROUND;
      const records = recordsFor(count);
      const corpId = `bench-corp-${round}`;
      const [before] = await dataSource.query(`SELECT (SELECT count(*)::int FROM archive_message) AS rows, (SELECT count(*)::int FROM archive_msgid) AS ids`);
      const randomKeys = decryptor();
      const started = performance.now();
      const report: DrainReport = await drainArchive({
        dataSource,
        source: new PreparedArchive(records),
        randomKeys,
        keyRing,
        fanout: new ArchiveFanout(silentLogger()),
        clock: systemClock,
        logger: silentLogger(),
        corpId,
      });
      const perSec = report.stored / ((performance.now() - started) / 1000);
      await randomKeys.close();
      const [after] = await dataSource.query(
        `SELECT (SELECT count(*)::int FROM archive_message) AS rows, (SELECT count(*)::int FROM archive_msgid) AS ids,
                (SELECT last_seq::int FROM archive_cursor WHERE corp_id = $1) AS cursor`,
        [corpId],
      );
      const stored = after.rows - before.rows;
      const ids = after.ids - before.ids;
      return {
        perSec,
        stored,
        lost: after.cursor === count ? count - ids : count,
        duplicates: stored - ids,
        deadLettered: report.deadLettered,
      };
    };

    const comparison = await alternate<number | IngestRound>({
      rounds: ROUNDS,
      warmupRounds: 1,
      baseline: rsaOnly,
      subject: ingest,
      figure: (r) => (typeof r === "number" ? r : r.perSec),
    });
    return { comparison, cores, threads, notes };
  } finally {
    await db.stop();
  }
}

/** The archive ingest bench in `npm run bench`'s report shape. */
export const archiveIngestBench: Bench = {
  name: "archive ingest (RSA + decrypt + at-rest encrypt + store)",
  async run(): Promise<BenchReport> {
    const { comparison, cores, threads, notes } = await benchArchiveIngest();
    const rounds = comparison.rounds.map((r) => ({ rsa: r.baseline as number, ingest: r.subject as IngestRound }));
    const list = (values: number[]) => values.map((v) => Math.round(v)).join(" / ");
    const total = rounds.reduce((n, r) => n + r.ingest.stored, 0);
    const lost = rounds.reduce((n, r) => n + r.ingest.lost + r.ingest.deadLettered, 0);
    const duplicates = rounds.reduce((n, r) => n + r.ingest.duplicates, 0);
    return {
      rows: [
        { variant: `RSA only, ${threads} (baseline)`, values: { "decrypts/s": Math.round(median(rounds.map((r) => r.rsa))) }, note: `per round ${list(rounds.map((r) => r.rsa))}` },
        {
          variant: `full ingest, ${threads}`,
          values: { "msg/s": Math.round(median(rounds.map((r) => r.ingest.perSec))), ratio: comparison.median },
          note: `per round ${list(rounds.map((r) => r.ingest.perSec))}`,
        },
      ],
      checks: [
        { name: `ingest >= ${TARGET_RATIO} x RSA on the same ${cores} cores`, ok: comparison.median >= TARGET_RATIO, detail: `ratio ${describeRatio(comparison)}`, kind: "target" },
        {
          name: `${ROUNDS} catch-ups of ${PER_ROUND} messages: nothing lost, nothing doubled`,
          ok: lost === 0 && duplicates === 0 && total === ROUNDS * PER_ROUND,
          detail: `stored ${total}, lost ${lost}, duplicates ${duplicates}`,
          kind: "correctness",
        },
      ],
      notes: [...notes, `${cores} cores; ${ROUNDS} rounds after a warm-up pair; pages of ${PAGE}; embedded PostgreSQL, durable settings`],
    };
  },
};
