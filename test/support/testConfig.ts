import { loadConfig, type Config } from "../../src/platform/config";

/**
 * A valid test configuration; override what a test needs. Schedules are off
 * (tests run jobs directly on a test clock) and WeCom points at a closed
 * local port until a test starts a sandbox: tests never reach the network.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  // A real corp needs real secrets (config refuses to derive them): tests naming a corp get throw-away ones.
  const realCorp = overrides.WECOM_CORP_ID !== undefined ? { SESSION_SECRET: "test-session-secret", DATA_ENCRYPTION_KEYS: JSON.stringify({ t1: Buffer.alloc(32, 7).toString("base64") }), SEARCH_INDEX_KEYS: JSON.stringify({ s1: Buffer.alloc(32, 9).toString("base64") }) } : {};
  return loadConfig({
    ...realCorp,
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    SCHEDULES_ENABLED: "false",
    WECOM_API_BASE: "http://127.0.0.1:9",
    ...overrides,
  });
}
