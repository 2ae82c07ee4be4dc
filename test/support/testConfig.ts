import { loadConfig, type Config } from "../../src/platform/config";

/**
 * A valid test configuration; override what a test needs. Schedules are off
 * (tests run jobs directly on a test clock) and WeCom points at a closed
 * local port until a test starts a sandbox: tests never reach the network.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    SCHEDULES_ENABLED: "false",
    WECOM_API_BASE: "http://127.0.0.1:9",
    ...overrides,
  });
}
