import type { Clock } from "../../platform/clock";
import { RateLimitedError } from "../../platform/errors";
import type { SharedRateLimiter, WindowLimit } from "../../platform/rateLimit";

/** Ten logins a minute per address and per account: a person retrying is never stopped, a script is. */
const LOGIN_LIMIT: WindowLimit = { count: 10, windowMs: 60_000 };
/** Per-address keys come and go; their slots are pruned every so many logins. */
const PRUNE_EVERY = 1_000;

/**
 * The mini-program login's limits, counted in PostgreSQL so that every
 * instance behind the load balancer shares them (per process, N instances
 * would allow N times the limit). jscode2session's quota is the corp's.
 */
export class LoginRateLimiter {
  private takes = 0;

  constructor(
    private readonly limiter: SharedRateLimiter,
    private readonly clock: Clock,
  ) {}

  async take(key: string): Promise<void> {
    if (++this.takes % PRUNE_EVERY === 0) await this.limiter.prune();
    const result = await this.limiter.tryTake(`mp-login:${key}`, LOGIN_LIMIT);
    if (!result.taken) {
      throw new RateLimitedError("登录过于频繁，请稍后再试", Math.max(1, Math.ceil((result.retryAt.getTime() - this.clock.now().getTime()) / 1000)));
    }
  }
}
