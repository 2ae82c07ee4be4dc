export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many calls may go at once after a quiet period. */
  burst: number;
}

export interface TimeSource {
  /** Monotonic milliseconds (performance.now in production). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Token bucket that makes callers wait (in arrival order) rather than fail, so a burst of
 * calls is spread out instead of tripping WeCom's 45009 rate limit.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: RateLimit,
    private readonly time: TimeSource,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = time.now();
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.time.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.limit.perSecond);
    this.updatedAt = now;
  }

  private async take(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.time.sleep(Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000));
      this.refill();
    }
    this.tokens -= 1;
  }
}
