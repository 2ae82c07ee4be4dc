import { performance } from "node:perf_hooks";
import axios, { type AxiosInstance } from "axios";
import type { Registry } from "prom-client";
import { redactUrl, type Logger } from "../../../platform/logger";
import type { SharedRateLimiter } from "../../../platform/rateLimit";
import { WeComApiError, WeComOutcomeUnknownError, WeComTransportError } from "../errors";
import { backoffDelayMs, isTransient, outcomeOpen, type BackoffOptions } from "./retryPolicy";
import { safeToRepeat } from "./retrySafety";
import { Semaphore } from "./semaphore";
import { TokenBucket, type RateLimit, type TimeSource } from "./tokenBucket";
import { transportMetrics, type TransportMetrics } from "./transportMetrics";
import { robotKeyDigest } from "../robotKey";

/** Calls are rate-limited per family, because WeCom throttles per API area and per robot. */
export type ApiFamily =
  | "token"
  | "message"
  | "webhook"
  | "user"
  | "department"
  | "externalcontact"
  | "msgaudit"
  | "miniprogram"
  | "oauth";

export type QueryValue = string | number | undefined;

export interface WeComRequest {
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface WeComReply {
  errcode?: number;
  errmsg?: string;
}

/**
 * Our own pacing per family, well under Tencent's per-corp limit of 10,000 calls a minute per
 * API (developer.work.weixin.qq.com path/90312 and, for providers, path/90454 "访问频率限制";
 * a minute-limit breach blocks the API for 60 s); the robot's 20 messages a minute is
 * path/91770 "消息发送频率限制". With a shared limiter these hold across every instance.
 */
export const defaultRateLimits: Record<ApiFamily, RateLimit> = {
  token: { perSecond: 5, burst: 5 },
  message: { perSecond: 30, burst: 30 },
  webhook: { perSecond: 20 / 60, burst: 20 },
  user: { perSecond: 20, burst: 20 },
  department: { perSecond: 20, burst: 20 },
  externalcontact: { perSecond: 20, burst: 20 },
  msgaudit: { perSecond: 10, burst: 10 },
  miniprogram: { perSecond: 50, burst: 50 },
  oauth: { perSecond: 50, burst: 50 },
};

/**
 * What one limit counts: a family's calls, except the group robots', which WeCom counts per robot ("每个机器人
 * 发送的消息不能超过20条/分钟", path/91770 消息发送频率限制): with one count for every robot, a chain whose
 * campuses each have a robot got 20 posts a minute between them all, and a post over it slept in here and held
 * up the outbox's pass (the HR cards after it waited up to 40 s in the alert-latency bench). The key is a
 * credential: the count is named by its digest (robotKeyDigest, as the outbox names its own count).
 */
function paceScope(family: ApiFamily, request: WeComRequest): string {
  const key = family === "webhook" ? request.query?.key : undefined;
  return key === undefined ? family : `webhook:${robotKeyDigest(String(key))}`;
}

export interface TransportOptions {
  apiBase: string;
  logger: Logger;
  registry: Registry;
  timeoutMs?: number;
  /** Attempts in total for transient failures (first try included). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  maxConcurrency?: number;
  rateLimits?: Partial<Record<ApiFamily, RateLimit>>;
  /** Monotonic time and sleep for backoff and rate limiting; tests pass a virtual one. */
  time?: TimeSource;
  /**
   * Counts the family limits in PostgreSQL, shared by every instance (the service passes one on
   * wall-clock time: WeCom counts real minutes whatever a test clock says). Without it, each
   * process paces itself with in-memory token buckets.
   */
  sharedLimiter?: SharedRateLimiter;
  random?: () => number;
}

const realTime: TimeSource = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** redactUrl plus the OAuth `code`, which signs someone in for as long as it lives. */
function redactForLog(url: string): string {
  return redactUrl(url).replace(/([?&]code=)[^&#\s]*/gi, "$1[REDACTED]");
}

function pathAndQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * The only code that sends HTTP to WeCom. Knows nothing about tokens: it throttles, bounds
 * concurrency, retries what WeCom calls transient — but never repeats a call that creates something
 * once it may have reached WeCom (retrySafety.ts): that one ends in WeComOutcomeUnknownError for the
 * caller to reconcile — turns `errcode != 0` into WeComApiError, and logs and measures every attempt
 * without credentials.
 */
export class WeComTransport {
  private readonly http: AxiosInstance;
  private readonly logger: Logger;
  private readonly metrics: TransportMetrics;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly semaphore: Semaphore;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly time: TimeSource;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    this.http = axios.create({
      baseURL: options.apiBase,
      timeout: options.timeoutMs ?? 10_000,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
    this.logger = options.logger.child({ component: "wecom-client" });
    this.metrics = transportMetrics(options.registry);
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoff = options.backoff ?? { baseMs: 200, capMs: 5_000 };
    this.semaphore = new Semaphore(options.maxConcurrency ?? 8);
    this.time = options.time ?? realTime;
    this.random = options.random ?? Math.random;
  }

  async send<T extends WeComReply>(
    family: ApiFamily,
    method: "GET" | "POST",
    path: string,
    request: WeComRequest = {},
  ): Promise<T> {
    const repeatable = safeToRepeat(method, path, request.body);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.attempt<T>(family, method, path, request, attempt);
      } catch (err) {
        if (!repeatable && outcomeOpen(err)) {
          this.logger.warn({ endpoint: path, attempt }, "wecom call may have been applied; not repeated, the caller reconciles");
          throw new WeComOutcomeUnknownError(err);
        }
        if (attempt >= this.maxAttempts || !isTransient(err)) throw err;
        const delayMs = backoffDelayMs(attempt - 1, this.backoff, this.random);
        this.logger.warn({ endpoint: path, attempt, delayMs }, "wecom api call will be retried");
        await this.time.sleep(delayMs);
      }
    }
  }

  private async pace(family: ApiFamily, request: WeComRequest): Promise<void> {
    const limit = this.options.rateLimits?.[family] ?? defaultRateLimits[family];
    const scope = paceScope(family, request);
    const shared = this.options.sharedLimiter;
    if (!shared) return this.bucket(scope, limit).acquire();
    // A bucket of `burst` refilled at `perSecond` allows the same sustained rate as `burst` uses per burst/perSecond.
    await shared.acquire(`wecom-api:${scope}`, { count: limit.burst, windowMs: (limit.burst / limit.perSecond) * 1000 }, (ms) => this.time.sleep(ms));
  }

  private bucket(scope: string, limit: RateLimit): TokenBucket {
    let bucket = this.buckets.get(scope);
    if (!bucket) {
      bucket = new TokenBucket(limit, this.time);
      this.buckets.set(scope, bucket);
    }
    return bucket;
  }

  private async attempt<T extends WeComReply>(
    family: ApiFamily,
    method: "GET" | "POST",
    path: string,
    request: WeComRequest,
    attempt: number,
  ): Promise<T> {
    await this.pace(family, request);
    return this.semaphore.run(async () => {
      const url = pathAndQuery(path, request.query);
      const started = performance.now();
      let outcome = "0";
      try {
        const reply = await this.exchange<T>(method, path, url, request.body);
        outcome = String(reply.errcode ?? 0);
        if (reply.errcode !== undefined && reply.errcode !== 0) {
          throw new WeComApiError(path, reply.errcode, String(reply.errmsg ?? ""));
        }
        return reply;
      } catch (err) {
        if (err instanceof WeComTransportError) {
          outcome = err.reason === "http_status" ? `http_${err.httpStatus}` : err.reason;
        }
        throw err;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        this.metrics.requests.inc({ endpoint: path, errcode: outcome });
        this.metrics.duration.observe({ endpoint: path }, seconds);
        const line = {
          endpoint: path,
          url: redactForLog(url),
          family,
          attempt,
          errcode: outcome,
          latencyMs: Math.round(seconds * 1000),
        };
        if (outcome === "0") this.logger.info(line, "wecom api call");
        else this.logger.warn(line, "wecom api call failed");
      }
    });
  }

  /** One HTTP exchange; never lets an axios error (whose config holds the token) escape. */
  private async exchange<T extends WeComReply>(method: string, path: string, url: string, body: unknown): Promise<T> {
    let response;
    try {
      response = await this.http.request({ method, url, data: method === "POST" ? (body ?? {}) : undefined });
    } catch (err) {
      const code = axios.isAxiosError(err) ? err.code : undefined;
      const timedOut = code === "ETIMEDOUT" || code === "ECONNABORTED";
      const detail = redactForLog(err instanceof Error ? err.message : String(err));
      // Refused or unresolvable: no connection was made, so WeCom never saw the request.
      const notSent = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
      throw new WeComTransportError(path, timedOut ? "timeout" : notSent ? "not_sent" : "network", detail);
    }
    if (response.status !== 200) {
      throw new WeComTransportError(path, "http_status", `HTTP ${response.status}`, response.status);
    }
    const data: unknown = response.data;
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new WeComTransportError(path, "malformed", "reply is not a JSON object");
    }
    const errcode = (data as WeComReply).errcode;
    if (errcode !== undefined && typeof errcode !== "number") {
      throw new WeComTransportError(path, "malformed", "errcode is not a number");
    }
    return data as T;
  }
}
