import { ConfigError, loadConfig, usesWeComSandbox } from "../../src/platform/config";
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

  it("treats blank values as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "  " }).PORT).toBe(3000);
  });

  it("rejects out-of-range ports", () => {
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
  });
});
