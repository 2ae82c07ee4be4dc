import { performance } from "node:perf_hooks";

/**
 * Group commit for a durable write made inside a request: items submitted
 * while a write is on its way to disk share the next one, so a burst of
 * callbacks pays one commit (one WAL flush, one statement, one round trip)
 * for many rows instead of one each. Each submit() still resolves only once
 * the write holding its own item has returned, so a caller that answers
 * after it never acknowledges something that is not stored.
 *
 * - A lone item is written at once (no added latency when idle). While a
 *   write is in flight, the next batch waits up to `lingerMs` for company
 *   (or until `maxBatch` items wait), then goes as a second write in flight.
 * - While busy, writes start at most every `minIntervalMs` (or as soon as
 *   `maxBatch` items wait): a write's fixed cost is shared by what arrives
 *   in that time. An item arriving when the last write started longer ago
 *   than that is written at once.
 * - Every item's wait is bounded: `timeoutMs` from submit() to its answer,
 *   queueing included; past it the item fails with GroupCommitTimeout (the
 *   write may still land, which is safe: the caller said "not stored" and
 *   the client retries into a duplicate).
 * - More than `maxQueued` waiting items: new ones fail at once
 *   (GroupCommitOverloaded) instead of piling up memory and latency.
 * - A batch that fails because of one item's data (`isItemFault`) is
 *   written again item by item, so only the bad item fails; any other
 *   failure (connection lost, database down) fails the batch's items.
 */
export interface GroupCommitOptions {
  maxBatch: number;
  maxInFlight: number;
  lingerMs: number;
  timeoutMs: number;
  maxQueued: number;
  /** The least time from one write's start to the next one's (default 0: none). */
  minIntervalMs?: number;
}

export class GroupCommitTimeout extends Error {
  constructor(ms: number) {
    super(`not stored within ${ms} ms`);
    this.name = "GroupCommitTimeout";
  }
}

export class GroupCommitOverloaded extends Error {
  constructor(queued: number) {
    super(`${queued} items already waiting to be stored`);
    this.name = "GroupCommitOverloaded";
  }
}

interface Waiting<I, O> {
  item: I;
  deadline: number;
  resolve: (outcome: O) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitWrite<I, O> {
  /** Store the items together (one statement / transaction); the outcome of each, in the same order. */
  write(items: I[]): Promise<O[]>;
  /** True when the error is about one item's data (retrying the others alone would store them). */
  isItemFault(err: unknown): boolean;
}

export class GroupCommit<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private inFlight = 0;
  private linger: NodeJS.Timeout | undefined;
  /** Pending while the next write waits for minIntervalMs since the last one started. */
  private spacing: NodeJS.Timeout | undefined;
  private lastStart = -Infinity;

  constructor(
    private readonly target: GroupCommitWrite<I, O>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<O> {
    if (this.queue.length >= this.options.maxQueued) return Promise.reject(new GroupCommitOverloaded(this.queue.length));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, deadline: performance.now() + this.options.timeoutMs, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a write (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const early = this.lastStart + (this.options.minIntervalMs ?? 0) - performance.now();
      if (early > 0 && this.queue.length < this.options.maxBatch) {
        this.spacing ??= setTimeout(() => {
          this.spacing = undefined;
          this.schedule();
        }, early);
        return;
      }
      if (this.inFlight > 0 && this.queue.length < this.options.maxBatch && this.options.lingerMs > 0) {
        // A write is already on its way to disk: let company gather instead of paying a commit for a few rows.
        this.linger ??= setTimeout(() => {
          this.linger = undefined;
          if (this.inFlight < this.options.maxInFlight) this.start();
        }, this.options.lingerMs);
        return;
      }
      this.start();
    }
  }

  private start(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    clearTimeout(this.spacing);
    this.spacing = undefined;
    const now = performance.now();
    this.lastStart = now;
    const batch: Waiting<I, O>[] = [];
    while (this.queue.length > 0 && batch.length < this.options.maxBatch) {
      const next = this.queue.shift()!;
      if (next.deadline <= now) next.reject(new GroupCommitTimeout(this.options.timeoutMs));
      else batch.push(next);
    }
    if (batch.length === 0) return;
    this.inFlight++;
    void this.run(batch).finally(() => {
      this.inFlight--;
      this.schedule();
    });
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.bounded(batch, this.target.write(batch.map((w) => w.item)));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (err) {
      if (batch.length > 1 && this.target.isItemFault(err)) {
        // One item's data spoiled the statement: each alone, so only that one fails.
        await Promise.all(batch.map((w) => this.run([w])));
        return;
      }
      for (const w of batch) w.reject(err);
    }
  }

  /** The write, or a GroupCommitTimeout at the earliest deadline among its items. */
  private async bounded<T>(batch: Waiting<I, O>[], write: Promise<T>): Promise<T> {
    const ms = Math.max(0, Math.min(...batch.map((w) => w.deadline)) - performance.now());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GroupCommitTimeout(this.options.timeoutMs)), ms);
    });
    // A write that loses the race may still fail later: that rejection is expected and not unhandled.
    write.catch(() => undefined);
    try {
      return await Promise.race([write, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
