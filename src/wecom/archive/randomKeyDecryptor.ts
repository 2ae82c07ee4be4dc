import type { KeyObject } from "node:crypto";
import { Worker } from "node:worker_threads";
import { decryptRandomKey, rsaWorkerSource, type EncryptedRandomKey, type RandomKeyResult } from "./rsaPkcs1";

export type { EncryptedRandomKey, RandomKeyResult };

/**
 * RSA bounds archive throughput (~1,300 decrypts/s per core), hence a batch
 * interface: the worker pool spreads a page over cores, the inline version
 * runs on the caller's thread.
 */
export interface RandomKeyDecryptor {
  decryptBatch(items: EncryptedRandomKey[]): Promise<RandomKeyResult[]>;
  close(): Promise<void>;
}

export class InlineRandomKeyDecryptor implements RandomKeyDecryptor {
  constructor(private readonly keys: ReadonlyMap<number, KeyObject>) {}

  async decryptBatch(items: EncryptedRandomKey[]): Promise<RandomKeyResult[]> {
    return items.map((item) => decryptRandomKey(this.keys, item));
  }

  async close(): Promise<void> {}
}

const workerMain = `
const { parentPort, workerData } = require("node:worker_threads");
const crypto = require("node:crypto");
${rsaWorkerSource()}
const keys = new Map(workerData.keys.map(([ver, key]) => [ver, crypto.createPrivateKey({ key, format: "der", type: "pkcs8" })]));
parentPort.on("message", ({ id, items }) => {
  try {
    parentPort.postMessage({ id, results: items.map((item) => decryptRandomKey(keys, item, crypto)) });
  } catch (err) {
    parentPort.postMessage({ id, failure: String(err && err.message || err) });
  }
});
`;

type Pending = { resolve: (r: RandomKeyResult[]) => void; reject: (e: Error) => void };

/**
 * RSA on worker threads: each batch is split across the workers, so a page
 * is decrypted on several cores while the main thread parses, seals and
 * writes. Keys travel to the workers once, as PKCS#8 DER. The threads keep
 * the process alive (a pending batch must not be abandoned), so close() it on
 * shutdown.
 */
export class WorkerRandomKeyDecryptor implements RandomKeyDecryptor {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(keys: ReadonlyMap<number, KeyObject>, threads: number) {
    const keyData = [...keys].map(([ver, key]) => [ver, key.export({ format: "der", type: "pkcs8" })]);
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const worker = new Worker(workerMain, { eval: true, workerData: { keys: keyData } });
      worker.on("message", (msg: { id: number; results?: RandomKeyResult[]; failure?: string }) => {
        const waiting = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.results) waiting?.resolve(msg.results);
        else waiting?.reject(new Error(`RSA worker failed: ${msg.failure}`));
      });
      worker.on("error", (err) => this.failAll(err));
      return worker;
    });
  }

  async decryptBatch(items: EncryptedRandomKey[]): Promise<RandomKeyResult[]> {
    const size = Math.ceil(items.length / this.workers.length);
    const parts = this.workers.map((worker, i) => this.send(worker, items.slice(i * size, (i + 1) * size)));
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error("RSA worker pool closed"));
  }

  private send(worker: Worker, items: EncryptedRandomKey[]): Promise<RandomKeyResult[]> {
    if (items.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, items });
    });
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}

/**
 * RSA is ~90% of the CPU an archived message costs (DecryptData, parse, seal
 * and the batched INSERT are the rest, and PostgreSQL's share is small), so
 * with two or more cores RSA goes to one worker thread per core (at most 4).
 * On the 2-core build machine, quiet: 2 workers ≈ 1.2 × the one-core RSA
 * rate, inline ≈ 0.85; under heavy load from other processes the two swap, so
 * compare in one run (bench/archiveIngest.ts measures both).
 */
export function randomKeyDecryptorFor(keys: ReadonlyMap<number, KeyObject>, cores: number): RandomKeyDecryptor {
  const threads = Math.min(4, cores);
  return threads >= 2 ? new WorkerRandomKeyDecryptor(keys, threads) : new InlineRandomKeyDecryptor(keys);
}
