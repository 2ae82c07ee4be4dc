import type { Logger } from "./logger";

/**
 * Runs a pass now and then every `pollMs`, or at once when woken, never two
 * passes at a time: a wake during a pass schedules exactly one more. Stopping
 * waits for the pass in progress. The loop behind every outbox and worker.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private rerun = false;
  private running = false;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

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

  wake(): void {
    if (!this.running) return;
    if (this.current) this.rerun = true;
    else this.schedule(0);
  }

  /** The pass in progress, if any (callers that drain by hand wait for it first). */
  get inProgress(): Promise<void> | undefined {
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
      .catch((err: unknown) => this.logger.error({ err, loop: this.name }, "pass failed; will retry"))
      .finally(() => {
        this.current = undefined;
        if (!this.running) return;
        const again = this.rerun;
        this.rerun = false;
        this.schedule(again ? 0 : this.pollMs);
      });
  }
}
