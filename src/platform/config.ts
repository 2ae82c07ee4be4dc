import { z } from "zod";
import { parseTrustProxy } from "./http/clientAddress";

/**
 * Every setting comes from the environment and is validated once at start.
 * A bad value must stop the process with a message naming the variable,
 * never surface later as a confusing runtime failure.
 */

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
/** 0 asks the OS for a free port (tests). */
const port = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));
const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(["true", "false", "1", "0"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1"),
  );

const schema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("development")),
    PORT: port(3000),
    HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
    LOG_PRETTY: z.preprocess(emptyToUndefined, z.enum(["true", "false"]).optional()),

    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),
    DATABASE_POOL_SIZE: positiveInt(10),
    EMBEDDED_PG_DIR: z.preprocess(emptyToUndefined, z.string().default(".data/postgres")),
    EMBEDDED_PG_PORT: port(54329),
    /** Production runs on a real DATABASE_URL; the embedded server only with this explicit opt-in (a one-machine trial). */
    EMBEDDED_PG_IN_PRODUCTION: booleanFlag(false),
    /** When set, /metrics is served only on this (internal) port, not on the app port. */
    METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),

    SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
    /** Reverse proxies whose X-Forwarded-For is believed: a hop count or comma-separated CIDRs; off when empty. */
    TRUST_PROXY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          try {
            parseTrustProxy(v);
          } catch (err) {
            ctx.addIssue({ code: "custom", message: (err as Error).message });
          }
        }),
    ),
    PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),

    WECOM_CORP_ID: optionalString,
    WECOM_TOKEN: optionalString,
    WECOM_ENCODING_AES_KEY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9]{43}$/, "must be the 43-character EncodingAESKey from the WeCom admin console")
        .optional(),
    ),
    /**
     * More callback URLs, each with its own pair (通讯录同步, 客户联系, 会话存档 may each have their own):
     * JSON {"<name>": {"token": "…", "encodingAesKey": "…"}}, served at /wecom/callback/<name>.
     */
    /** Validated by the WeCom ingress at start (src/wecom/callback/callbackEndpoints.ts). */
    WECOM_CALLBACK_KEYS: optionalString,
    WECOM_AGENT_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().optional()),
    WECOM_AGENT_SECRET: optionalString,
    WECOM_CONTACT_SECRET: optionalString,
    WECOM_CUSTOMER_SECRET: optionalString,
    WECOM_ARCHIVE_SECRET: optionalString,
    WECOM_API_BASE: z.preprocess(emptyToUndefined, z.string().url().default("https://qyapi.weixin.qq.com")),
    WECOM_CALLBACK_WINDOW_SECONDS: positiveInt(600),
    WECOM_CALLBACK_MAX_BYTES: positiveInt(64 * 1024),
    WECOM_MINIPROGRAM_APPID: optionalString,
    WECOM_ROBOT_WEBHOOK_KEY: optionalString,
    WECOM_FINANCE_SDK_PATH: optionalString,
    /** JSON object {"<publickey_ver>": "<PEM>"}: old messages keep their old key version. */
    WECOM_ARCHIVE_PRIVATE_KEYS: optionalString,

    /** JSON object {"<key id>": "<base64 32-byte key>"}; the first-listed or ARCHIVE_ACTIVE_KEY_ID encrypts new rows. */
    DATA_ENCRYPTION_KEYS: optionalString,
    DATA_ENCRYPTION_ACTIVE_KEY_ID: optionalString,
    /** JSON object {"<key id>": "<base64, at least 32 bytes>"}: HMAC keys of the archive's blind search index. */
    SEARCH_INDEX_KEYS: optionalString,
    SEARCH_INDEX_ACTIVE_KEY_ID: optionalString,
    ARCHIVE_RETENTION_DAYS: positiveInt(365 * 3),
    /** Days between a parent's withdrawn archive consent and the erasure of the pair's chats (HR may hold them for a dispute). */
    ARCHIVE_WITHDRAWN_GRACE_DAYS: positiveInt(30),

    /**
     * Where archived media's sealed bytes live: "fs" (files under MEDIA_DIR, default: the data folder's media/)
     * or "s3" (an S3-compatible bucket: AWS S3 or MinIO). Several instances need "s3" (or one shared volume).
     */
    MEDIA_STORE: z.preprocess(emptyToUndefined, z.enum(["fs", "s3"]).default("fs")),
    MEDIA_DIR: optionalString,
    MEDIA_S3_BUCKET: optionalString,
    MEDIA_S3_REGION: optionalString,
    /** An S3-compatible server, e.g. http://minio:9000; unset = AWS S3. */
    MEDIA_S3_ENDPOINT: z.preprocess(emptyToUndefined, z.string().url().optional()),
    /** Path-style URLs (host/bucket/key): what MinIO wants. */
    MEDIA_S3_FORCE_PATH_STYLE: booleanFlag(false),
    /** Both or neither: without them the AWS SDK's default chain (instance or task role) is used. */
    MEDIA_S3_ACCESS_KEY_ID: optionalString,
    MEDIA_S3_SECRET_ACCESS_KEY: optionalString,
    MEDIA_S3_PREFIX: z.preprocess(emptyToUndefined, z.string().default("media/")),

    SESSION_SECRET: optionalString,
    /** JSON array of {userid, role, departmentId} granted on first start (while no role exists). */
    ROLES_SEED_FILE: optionalString,
    /** Bearer token for operator endpoints (/ops/...); without it they are closed. */
    OPS_TOKEN: optionalString,
    INBOX_MAX_ATTEMPTS: positiveInt(8),
    INBOX_POLL_MS: positiveInt(500),
    INBOX_WORKER_CONCURRENCY: positiveInt(4),
    /** Handled events are kept this long (WeCom retries within minutes; the rest is forensics), then pruned. */
    INBOX_RETENTION_DAYS: positiveInt(30),
    WORKERS_ENABLED: booleanFlag(true),
    SCHEDULES_ENABLED: booleanFlag(true),
    SANDBOX_PORT: port(3900),
    /**
     * Local development only: the sandbox member WeChat DevTools' wx.qy.login codes sign in as (the built-in
     * sandbox defaults to the demo corp's teacher; `npm run sandbox` to nobody). Refused in production.
     */
    SANDBOX_DEVTOOLS_USER: optionalString,
  })
  .superRefine((env, ctx) => {
    for (const problem of mediaStoreProblems(env)) ctx.addIssue({ code: "custom", path: [problem.key], message: problem.message });
    // Secrets are never derived: with a real corp configured, in any mode, the real ones must be given.
    if (env.WECOM_CORP_ID !== undefined && env.NODE_ENV !== "production") {
      for (const key of ["SESSION_SECRET", "DATA_ENCRYPTION_KEYS", "SEARCH_INDEX_KEYS"] as const) {
        if (env[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: "is required when WeCom settings (WECOM_CORP_ID) are configured" });
      }
    }
    if (env.NODE_ENV !== "production") return;
    const required = [
      "WECOM_CORP_ID",
      "WECOM_TOKEN",
      "WECOM_ENCODING_AES_KEY",
      "WECOM_AGENT_ID",
      "WECOM_AGENT_SECRET",
      "SESSION_SECRET",
      "DATA_ENCRYPTION_KEYS",
      "SEARCH_INDEX_KEYS",
    ] as const;
    for (const key of required) {
      if (env[key] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "is required when NODE_ENV=production" });
      }
    }
    // The console's OAuth redirect_uri and every link on a card are built from it: never from a request or localhost.
    if (env.PUBLIC_BASE_URL === undefined) {
      ctx.addIssue({ code: "custom", path: ["PUBLIC_BASE_URL"], message: "is required when NODE_ENV=production (the public https origin: OAuth redirect_uri and card links)" });
    }
    // Production talks to real WeCom only; a setting that would let a code nobody issued sign in must not be there.
    if (env.SANDBOX_DEVTOOLS_USER !== undefined) {
      ctx.addIssue({ code: "custom", path: ["SANDBOX_DEVTOOLS_USER"], message: "is a local-development sandbox setting: remove it when NODE_ENV=production" });
    }
    if (env.DATABASE_URL === undefined && !env.EMBEDDED_PG_IN_PRODUCTION) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "is required when NODE_ENV=production (the embedded PostgreSQL is for development; set EMBEDDED_PG_IN_PRODUCTION=true to run it anyway)",
      });
    }
  });

export type Config = z.infer<typeof schema>;

const MEDIA_S3_SETTINGS = ["MEDIA_S3_BUCKET", "MEDIA_S3_REGION", "MEDIA_S3_ENDPOINT", "MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY"] as const;

/**
 * A half-set object store is refused at start: an "s3" store without its
 * bucket or region, or with one half of a key pair, cannot work anywhere; in
 * production, S3 settings given while MEDIA_STORE is still "fs" mean the
 * operator meant the bucket and media would silently pile up on local disk.
 */
function mediaStoreProblems(env: Pick<Config, "NODE_ENV" | "MEDIA_STORE" | (typeof MEDIA_S3_SETTINGS)[number]>): Array<{ key: string; message: string }> {
  const problems: Array<{ key: string; message: string }> = [];
  if (env.MEDIA_STORE === "s3") {
    for (const key of ["MEDIA_S3_BUCKET", "MEDIA_S3_REGION"] as const) {
      if (env[key] === undefined) problems.push({ key, message: "is required when MEDIA_STORE=s3" });
    }
    if ((env.MEDIA_S3_ACCESS_KEY_ID === undefined) !== (env.MEDIA_S3_SECRET_ACCESS_KEY === undefined)) {
      const missing = env.MEDIA_S3_ACCESS_KEY_ID === undefined ? "MEDIA_S3_ACCESS_KEY_ID" : "MEDIA_S3_SECRET_ACCESS_KEY";
      problems.push({ key: missing, message: "must be set together with its pair (or leave both unset to use the instance or task role)" });
    }
  } else if (env.NODE_ENV === "production") {
    const given = MEDIA_S3_SETTINGS.filter((key) => env[key] !== undefined);
    if (given.length > 0) {
      problems.push({ key: "MEDIA_STORE", message: `is "fs" but ${given.join(", ")} ${given.length > 1 ? "are" : "is"} set: set MEDIA_STORE=s3 to keep media in the bucket, or remove the MEDIA_S3_ settings` });
    }
  }
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parse the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const received = env[name];
    const message = received === undefined && issue.code === "invalid_type" ? "is required" : issue.message;
    return `${name} ${message}`;
  });
  throw new ConfigError(problems);
}

/**
 * Features a production operator may have left off by mistake: each is a
 * warning logged at every start (the service runs, but not fully).
 */
export function featureWarnings(config: Config): string[] {
  if (usesWeComSandbox(config)) return [];
  const warnings: string[] = [];
  if (!config.WECOM_FINANCE_SDK_PATH) {
    warnings.push("chat archive is OFF (no WECOM_FINANCE_SDK_PATH): conversations are not mirrored, successors get no history, message alerts cannot fire");
  }
  if (!config.WECOM_ROBOT_WEBHOOK_KEY) {
    warnings.push("HR group robot is OFF (no WECOM_ROBOT_WEBHOOK_KEY): alerts reach HR only as app cards");
  }
  if (config.NODE_ENV === "production" && config.DATABASE_URL === undefined) {
    warnings.push("running on the EMBEDDED PostgreSQL in production (EMBEDDED_PG_IN_PRODUCTION=true): one machine, no managed backups");
  }
  if (config.NODE_ENV === "production" && config.MEDIA_STORE === "fs") {
    warnings.push("archived media is kept on this machine's disk (MEDIA_STORE=fs): a second instance cannot read it; use MEDIA_STORE=s3 (or one shared volume) for several instances");
  }
  if (config.PUBLIC_BASE_URL?.startsWith("http://")) {
    warnings.push("PUBLIC_BASE_URL is not https: console cookies are not Secure and WeCom will refuse the OAuth redirect");
  }
  return warnings;
}

/** True when no real WeCom corp is configured: development runs against the built-in sandbox. */
export function usesWeComSandbox(config: Config): boolean {
  return config.NODE_ENV !== "production" && config.WECOM_CORP_ID === undefined;
}
