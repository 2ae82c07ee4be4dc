import type { Clock } from "../../platform/clock";
import { RateLimitedError } from "../../platform/errors";

/**
 * Per-key token buckets in memory (one instance's view; enough to stop a
 * client hammering jscode2session, whose quota is the corp's). Idle buckets
 * are dropped so the map cannot grow without bound.
 */
export class LoginRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 10,
    private readonly refillPerSecond = 1 / 6,
  ) {}

  take(key: string): void {
    const now = this.clock.now().getTime();
    if (this.buckets.size > 10_000) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      throw new RateLimitedError("登录过于频繁，请稍后再试", Math.ceil((1 - bucket.tokens) / this.refillPerSecond));
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }

  private sweep(now: number): void {
    const full = (this.capacity / this.refillPerSecond) * 1000;
    for (const [key, b] of this.buckets) if (now - b.at > full) this.buckets.delete(key);
  }
}
