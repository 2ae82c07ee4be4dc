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

  protected constructor(
    private readonly pollMs: number,
    protected readonly workerLogger: Logger,
  ) {}

  /** One pass over the due work. */
  protected abstract pass(): Promise<unknown>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /** Run a pass now (after a commit that queued work) rather than at the next poll. */
  wake(): void {
    if (!this.running) return;
    if (this.current) this.rerun = true;
    else this.schedule(0);
  }

  /** The scheduled pass in progress, if any (a hand-run drain waits for it first). */
  protected get passInProgress(): Promise<void> | undefined {
    return this.current;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref?.();
  }

  private run(): void {
    if (this.current) return;
    this.current = this.pass()
      .then(() => undefined)
      .catch((err: unknown) => this.workerLogger.error({ err, worker: this.name }, "pass failed; will retry"))
      .finally(() => {
        this.current = undefined;
        if (!this.running) return;
        const again = this.rerun;
        this.rerun = false;
        this.schedule(again ? 0 : this.pollMs);
      });
  }
}
