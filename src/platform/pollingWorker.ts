import type { Background } from "./lifecycle";
import type { Logger } from "./logger";

/**
 * A background worker that runs a pass now and then every `pollMs`, or at
 * once when woken, never two passes at a time: a wake during a pass
 * schedules exactly one more. Stopping waits for the pass in progress.
 * Every outbox and the inbox worker are one of these.
 */
export abstract class PollingWorker implements Background {
  abstract readonly name: string;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private rerun = false;
  private running = false;
  private stopRequested = false;
  /** Callers of wakeAndWait, each released by the end of the first pass that starts after its call. */
  private waiters: Array<() => void> = [];

  protected constructor(
    private readonly pollMs: number,
    protected readonly workerLogger: Logger,
  ) {}

  /** One pass over the due work; resolves with how much it did. */
  protected abstract pass(): Promise<number>;

  /**
   * True once stop() was called: a pass that loops over many batches checks
   * it between batches and returns, so shutdown never waits for a backlog.
   */
  protected get stopping(): boolean {
    return this.stopRequested;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.current;
    // No pass follows a stop: whoever waits for one is released now.
    for (const release of this.waiters.splice(0)) release();
  }

  /** Run a pass now (after a commit that queued work) rather than at the next poll. */
  wake(): void {
    if (!this.running) return;
    if (this.current) this.rerun = true;
    else this.schedule(0);
  }

  /**
   * Wakes the worker and resolves once a pass that started after this call has ended, after `maxMs` at the
   * latest, or at once when the worker is not running (no pass would come). A pass already under way when it
   * is called may have looked for work before the caller's commit, so it does not count.
   */
  wakeAndWait(maxMs: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      timer.unref?.();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.wake();
    });
  }

  /**
   * Run a pass by hand (tests, the demo): after the pass in progress, if any,
   * and as the worker's own pass, so work another pass had claimed is
   * finished when this resolves and no two passes ever overlap.
   */
  async drain(): Promise<number> {
    while (this.current) await this.current;
    // A drain asked for after stop() is a deliberate hand-run pass (finish what is left once the loop is
    // stopped): it must do its work, not return 0 because an earlier stop() is still remembered. A stop()
    // during this drain still ends it between batches.
    if (!this.running) this.stopRequested = false;
    return this.runPass();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.current) this.rerun = true;
      else void this.runPass();
    }, ms);
    this.timer.unref?.();
  }

  private runPass(): Promise<number> {
    const waiting = this.waiters.splice(0);
    const pass = this.pass().catch((err: unknown) => {
      this.workerLogger.error({ err, worker: this.name }, "pass failed; will retry");
      return 0;
    });
    this.current = pass.then(
      () => undefined,
      () => undefined,
    );
    void this.current.finally(() => {
      for (const release of waiting) release();
      this.current = undefined;
      if (!this.running) return;
      const again = this.rerun;
      this.rerun = false;
      this.schedule(again ? 0 : this.pollMs);
    });
    return pass;
  }
}
