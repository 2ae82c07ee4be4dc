import { loadConfig, type Config } from "../../src/platform/config";

/** A valid test configuration; override what a test needs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1", ...overrides });
}
