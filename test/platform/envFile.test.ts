import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnvFile } from "../../src/platform/envFile";

describe(".env loading", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wpg-env-"));
  const file = path.join(dir, ".env");

  it("reads .env.example's format: inline comments, quotes; empty means default; the shell's variables win", () => {
    writeFileSync(file, ['PORT=3100                       # HTTP port', "LOG_PRETTY=                     # true | false", 'WECOM_CORP_ID="ww # not a comment"', "LOG_LEVEL=debug"].join("\n"));
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: "warn" };
    expect(loadEnvFile(file, env)).toEqual({ path: file, keys: ["PORT", "WECOM_CORP_ID"] });
    expect(env).toEqual({ PORT: "3100", WECOM_CORP_ID: "ww # not a comment", LOG_LEVEL: "warn" });
  });

  it("is silent without a file", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile(path.join(dir, "absent.env"), env)).toBeUndefined();
    expect(env).toEqual({});
  });
});
