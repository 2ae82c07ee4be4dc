import { availableParallelism } from "node:os";
import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { indexMessage } from "../../src/conversations/searchIndex/indexMessage";
import { SearchIndexKeys } from "../../src/conversations/searchIndex/searchIndexKeys";
import { DataKeyRing } from "../../src/platform/dataProtection/keyRing";
import { ChatCorpus } from "./chatCorpus";

/**
 * The archive-search bench's data set, made in parallel: worker threads
 * write sentences, seal them with the production key ring (AES-256-GCM, the
 * msgid bound) and index them with the production blind index, and hand back
 * ready COPY text; the caller only streams it to PostgreSQL. Every chunk
 * draws from its own seed over one shared vocabulary, so the archive is the
 * same whatever the number of threads (and a cached copy stays valid while
 * GENERATOR_VERSION is unchanged).
 */

/** Bump when anything below changes what is generated: a cached data set of another version is rebuilt. */
export const GENERATOR_VERSION = 1;

/** Keywords planted at known rates (expected hits per year, chain-wide), beside common words that share their bigrams. */
export const PLANTED = [
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

export interface ArchiveShape {
  messages: number;
  staff: number;
  parents: number;
  /** First instant of the year (ms); message i is sent at yearStart + i/messages of the year. */
  yearStart: number;
  yearMs: number;
}

export interface GeneratorKeys {
  dataKeyId: string;
  dataKey: Buffer;
  searchKeyId: string;
  searchKey: Buffer;
}

export interface GeneratedChunk {
  index: number;
  /** Rows for COPY archive_message (msgid, seq, publickey_ver, action, msgtype, from_id, to_list, room_id, msg_time, staff_userid, external_userid, body_ciphertext, body_key_id, search_tokens, search_key_id), UTF-8. */
  messages: Uint8Array;
  /** Rows for COPY archive_msgid (msgid, msg_time, seq), UTF-8. */
  ids: Uint8Array;
  /** Messages whose final text contains every word of each planted query. */
  planted: Record<string, number>;
}

export const CHUNK = 20_000;

let rings: { keyRing: DataKeyRing; searchKeys: SearchIndexKeys } | undefined;

const copyText = (v: string | null) => (v === null ? "\\N" : v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n"));
const insertAt = (s: string, w: string, at: number) => s.slice(0, at) + w + s.slice(at);

/** One chunk of the archive: messages [index*CHUNK, min(messages, (index+1)*CHUNK)). */
export function generateChunk(shape: ArchiveShape, keys: GeneratorKeys, index: number): GeneratedChunk {
  // One key ring per thread, as a process has: the index keeps its per-token hash cache across chunks.
  const { keyRing, searchKeys } = (rings ??= {
    keyRing: new DataKeyRing({ [keys.dataKeyId]: Buffer.from(keys.dataKey) }, keys.dataKeyId),
    searchKeys: new SearchIndexKeys({ [keys.searchKeyId]: Buffer.from(keys.searchKey) }, keys.searchKeyId),
  });
  const corpus = new ChatCorpus(19, 20_000, 0x5eed0000 + index * 7919);
  const planted: Record<string, number> = Object.fromEntries(PLANTED.map((p) => [p.q, 0]));
  const parentsPerStaff = Math.max(1, Math.floor(shape.parents / shape.staff));
  const rows: string[] = [];
  const ids: string[] = [];
  const end = Math.min(shape.messages, (index + 1) * CHUNK);
  for (let i = index * CHUNK; i < end; i++) {
    const msgid = `b${i}`;
    const at = shape.yearStart + Math.floor((i / shape.messages) * shape.yearMs);
    const staff = corpus.int(shape.staff);
    const parent = `wm${(staff + shape.staff * corpus.int(parentsPerStaff)) % shape.parents}`;
    const inRoom = corpus.chance(0.08);
    const fromStaff = inRoom || corpus.chance(0.6);
    let content = corpus.sentence();
    for (const p of PLANTED) {
      if (corpus.chance(p.perYear / shape.messages)) for (const w of p.insert) content = insertAt(content, w, corpus.int(content.length + 1));
    }
    for (const n of NOISE) if (corpus.chance(n.perYear / shape.messages)) content = insertAt(content, n.word, corpus.int(content.length + 1));
    // Ground truth on the final text of every message: a later insertion can split an earlier one, and random words can form a keyword.
    for (const p of PLANTED) if (p.insert.every((w) => content.includes(w))) planted[p.q]!++;
    const room = inRoom ? `wr${staff}_${corpus.int(3)}` : null;
    const from = fromStaff ? `t${staff}` : parent;
    const to = room ? [parent] : [fromStaff ? parent : `t${staff}`];
    const message = { msgid, action: "send", from, tolist: to, roomid: room ?? "", msgtime: at, msgtype: "text", text: { content } };
    const sealed = keyRing.seal(JSON.stringify(message), msgid);
    const entry = indexMessage(searchKeys, { msgtype: "text", content });
    const time = new Date(at).toISOString();
    rows.push(
      `${msgid}\t${i + 1}\t1\tsend\ttext\t${from}\t{${to.join(",")}}\t${copyText(room)}\t${time}\tt${staff}\t${room ? "\\N" : parent}\t\\\\x${sealed.ciphertext.toString("hex")}\t${sealed.keyId}\t{${entry.tokens.join(",")}}\t${entry.keyId}\n`,
    );
    ids.push(`${msgid}\t${time}\t${i + 1}\n`);
  }
  return { index, messages: Buffer.from(rows.join(""), "utf8"), ids: Buffer.from(ids.join(""), "utf8"), planted };
}

/**
 * Every chunk, made on worker threads (one per core) and delivered to
 * `write` in order (the archive is written in time order, as ingest does),
 * with at most a few chunks waiting in memory.
 */
export async function generateArchiveChunks(shape: ArchiveShape, keys: GeneratorKeys, write: (chunk: GeneratedChunk) => Promise<void>): Promise<void> {
  const chunks = Math.ceil(shape.messages / CHUNK);
  const threads = Math.max(1, Math.min(availableParallelism(), chunks));
  const workers = Array.from({ length: threads }, () => new Worker(path.join(__dirname, "searchArchiveGenerator.js"), { workerData: { shape, keys } }));
  const done = new Map<number, GeneratedChunk>();
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));
  // Chunks made but not yet written stay few: a worker gets more work only while the writer keeps up.
  const ahead = 2 * threads;
  let next = 0;
  let issued = 0;
  let wake: (() => void) | undefined;
  let failure: unknown;
  const feed = () => {
    for (const w of workers) {
      while (issued < chunks && issued - next < ahead && inFlight.get(w)! < 2) {
        inFlight.set(w, inFlight.get(w)! + 1);
        w.postMessage(issued++);
      }
    }
  };
  try {
    for (const w of workers) {
      w.on("message", (chunk: GeneratedChunk) => {
        inFlight.set(w, inFlight.get(w)! - 1);
        done.set(chunk.index, chunk);
        feed();
        wake?.();
      });
      w.on("error", (err) => {
        failure = err;
        wake?.();
      });
    }
    feed();
    while (next < chunks) {
      if (failure) throw failure;
      const chunk = done.get(next);
      if (!chunk) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      done.delete(next);
      next++;
      feed();
      await write(chunk);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

if (!isMainThread && parentPort) {
  const { shape, keys } = workerData as { shape: ArchiveShape; keys: GeneratorKeys };
  const port = parentPort;
  port.on("message", (index: number) => {
    const chunk = generateChunk(shape, keys, index);
    // Hand the bytes over instead of copying them (Buffer.from of a long string owns its ArrayBuffer).
    port.postMessage(chunk, [chunk.messages.buffer as ArrayBuffer, chunk.ids.buffer as ArrayBuffer]);
  });
}
