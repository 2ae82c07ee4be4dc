import { ConfigError, featureWarnings, loadConfig, usesWeComSandbox } from "../../src/platform/config";
import { thrown } from "../support/thrown";

describe("configuration", () => {
  it("applies defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.NODE_ENV).toBe("development");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(usesWeComSandbox(config)).toBe(true);
  });

  it("names every malformed variable in one error", () => {
    const error = thrown(() => loadConfig({ PORT: "eighty", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x", WECOM_ENCODING_AES_KEY: "short" }));
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/^PORT /m);
    expect(problems).toMatch(/^LOG_LEVEL /m);
    expect(problems).toMatch(/^DATABASE_URL must be a postgres/m);
    expect(problems).toMatch(/^WECOM_ENCODING_AES_KEY must be the 43-character/m);
    expect((error as ConfigError).message).toContain("Invalid configuration");
  });

  it("requires WeCom settings and secrets in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    const err = thrown(() => loadConfig({ NODE_ENV: "production", WECOM_CORP_ID: "ww1" }));
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toContain("WECOM_TOKEN is required when NODE_ENV=production");
    expect(problems).toContain("WECOM_AGENT_SECRET is required when NODE_ENV=production");
    expect(problems.some((p) => p.startsWith("WECOM_CORP_ID"))).toBe(false);
  });

  const production = {
    NODE_ENV: "production",
    WECOM_CORP_ID: "ww1",
    WECOM_TOKEN: "t",
    WECOM_ENCODING_AES_KEY: "a".repeat(43),
    WECOM_AGENT_ID: "1000002",
    WECOM_AGENT_SECRET: "s",
    SESSION_SECRET: "x".repeat(32),
    DATA_ENCRYPTION_KEYS: '{"k1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}',
    SEARCH_INDEX_KEYS: '{"s1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}',
  };
  const s3 = {
    MEDIA_STORE: "s3",
    MEDIA_S3_BUCKET: "guard-media",
    MEDIA_S3_REGION: "us-east-1",
    MEDIA_S3_ENDPOINT: "http://minio:9000",
    MEDIA_S3_FORCE_PATH_STYLE: "true",
    MEDIA_S3_ACCESS_KEY_ID: "guard",
    MEDIA_S3_SECRET_ACCESS_KEY: "guard-secret",
  };
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };

  it("refuses the sandbox's DevTools login person in production: no code WeCom did not issue may sign in there", () => {
    const full = { ...production, PUBLIC_BASE_URL: "https://guard.example.edu.cn", DATABASE_URL: "postgres://g:p@db:5432/guard" };
    expect(problemsOf({ ...full, SANDBOX_DEVTOOLS_USER: "zhangli" })).toEqual([
      "SANDBOX_DEVTOOLS_USER is a local-development sandbox setting: remove it when NODE_ENV=production",
    ]);
    expect(loadConfig({ SANDBOX_DEVTOOLS_USER: "hr_sun" }).SANDBOX_DEVTOOLS_USER).toBe("hr_sun");
  });

  it("refuses a half-set production config: no public origin, or the embedded database without opt-in", () => {
    const problems = problemsOf(production);
    expect(problems).toEqual([
      "PUBLIC_BASE_URL is required when NODE_ENV=production (the public https origin: OAuth redirect_uri and card links)",
      "DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development; set EMBEDDED_PG_IN_PRODUCTION=true to run it anyway)",
    ]);
    const full = { ...production, PUBLIC_BASE_URL: "https://guard.example.edu.cn", DATABASE_URL: "postgres://g:p@db:5432/guard" };
    expect(problemsOf(full)).toEqual([]);
    expect(problemsOf({ ...production, PUBLIC_BASE_URL: "https://guard.example.edu.cn", EMBEDDED_PG_IN_PRODUCTION: "true" })).toEqual([]);
  });

  it("warns loudly at start about features left off", () => {
    const config = loadConfig({ ...production, PUBLIC_BASE_URL: "http://guard.example.edu.cn", EMBEDDED_PG_IN_PRODUCTION: "true" });
    expect(featureWarnings(config)).toEqual([
      "chat archive is OFF (no WECOM_FINANCE_SDK_PATH): conversations are not mirrored, successors get no history, message alerts cannot fire",
      "HR group robot is OFF (no WECOM_ROBOT_WEBHOOK_KEY): alerts reach HR only as app cards",
      "running on the EMBEDDED PostgreSQL in production (EMBEDDED_PG_IN_PRODUCTION=true): one machine, no managed backups",
      "archived media is kept on this machine's disk (MEDIA_STORE=fs): a second instance cannot read it; use MEDIA_STORE=s3 (or one shared volume) for several instances",
      "PUBLIC_BASE_URL is not https: console cookies are not Secure and WeCom will refuse the OAuth redirect",
    ]);
    const complete = loadConfig({
      ...production,
      PUBLIC_BASE_URL: "https://guard.example.edu.cn",
      DATABASE_URL: "postgres://g:p@db:5432/guard",
      WECOM_FINANCE_SDK_PATH: "/opt/wecom-finance-sdk/libWeWorkFinanceSdk_C.so",
      WECOM_ROBOT_WEBHOOK_KEY: "robot",
      ...s3,
    });
    expect(featureWarnings(complete)).toEqual([]);
    // The development sandbox has nothing to warn about: every feature is simulated.
    expect(featureWarnings(loadConfig({}))).toEqual([]);
  });

  it("refuses a half-set media object store, with what is missing", () => {
    const full = { ...production, PUBLIC_BASE_URL: "https://guard.example.edu.cn", DATABASE_URL: "postgres://g:p@db:5432/guard" };
    expect(problemsOf({ ...full, MEDIA_STORE: "s3" })).toEqual(["MEDIA_S3_BUCKET is required when MEDIA_STORE=s3", "MEDIA_S3_REGION is required when MEDIA_STORE=s3"]);
    expect(problemsOf({ ...full, ...s3, MEDIA_S3_SECRET_ACCESS_KEY: "" })).toEqual([
      "MEDIA_S3_SECRET_ACCESS_KEY must be set together with its pair (or leave both unset to use the instance or task role)",
    ]);
    // Settings for a bucket while the store is still the local disk: the operator meant the bucket.
    expect(problemsOf({ ...full, MEDIA_S3_BUCKET: "guard-media", MEDIA_S3_ENDPOINT: "http://minio:9000" })).toEqual([
      'MEDIA_STORE is "fs" but MEDIA_S3_BUCKET, MEDIA_S3_ENDPOINT are set: set MEDIA_STORE=s3 to keep media in the bucket, or remove the MEDIA_S3_ settings',
    ]);
    expect(problemsOf({ ...full, ...s3 })).toEqual([]);
    // Without a key pair the SDK's default chain (an instance or task role) signs.
    expect(problemsOf({ ...full, MEDIA_STORE: "s3", MEDIA_S3_BUCKET: "guard-media", MEDIA_S3_REGION: "cn-north-1" })).toEqual([]);
    expect(problemsOf({ MEDIA_STORE: "s3", MEDIA_S3_REGION: "us-east-1" })).toEqual(["MEDIA_S3_BUCKET is required when MEDIA_STORE=s3"]);
    expect(loadConfig({}).MEDIA_STORE).toBe("fs");
  });

  it("treats blank values as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "  " }).PORT).toBe(3000);
  });

  it("rejects out-of-range ports", () => {
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
  });
});
