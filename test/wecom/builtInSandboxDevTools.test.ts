import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { TestClock } from "../../src/platform/clock";
import { loadConfig } from "../../src/platform/config";
import type { Logger } from "../../src/platform/logger";
import { startBuiltInSandbox } from "../../src/wecom/builtInSandbox";
import { freePort } from "../support/processes";

/** `npm start` with no WeCom: WeChat DevTools' login codes sign in as the demo teacher, or as SANDBOX_DEVTOOLS_USER, and the log says how to change it. */
describe("built-in sandbox: WeChat DevTools login", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "wpg-devtools-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function start(env: Record<string, string>) {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) }) as unknown as Logger;
    const config = loadConfig({ SANDBOX_PORT: String(await freePort()), EMBEDDED_PG_DIR: path.join(dataDir, "pg"), ...env });
    const built = await startBuiltInSandbox(config, new TestClock(), logger);
    return { built, lines };
  }

  it("defaults to 张丽 and says so in the log, with the page to change it", async () => {
    const { built, lines } = await start({});
    try {
      expect(built.sandbox.devTools?.signsInAs?.userid).toBe("zhangli");
      const line = lines.find((l) => String(l.msg).startsWith("WeChat DevTools"));
      expect(line).toMatchObject({
        devToolsUser: "zhangli",
        choose: `http://127.0.0.1:${built.sandbox.port}/sandbox/devtools-login`,
        msg: "WeChat DevTools mini-program logins sign in as 张丽 (zhangli); choose another member on the sandbox page or with SANDBOX_DEVTOOLS_USER",
      });
    } finally {
      await built.sandbox.stop();
    }
  });

  it("takes SANDBOX_DEVTOOLS_USER, and refuses every DevTools code when it names nobody active", async () => {
    const hr = await start({ SANDBOX_DEVTOOLS_USER: "hr_sun" });
    try {
      expect(hr.built.sandbox.devTools?.signsInAs?.name).toBe("孙敏");
    } finally {
      await hr.built.sandbox.stop();
    }
    const nobody = await start({ SANDBOX_DEVTOOLS_USER: "no_such_person" });
    try {
      expect(nobody.built.sandbox.devTools?.signsInAs).toBeUndefined();
      expect(nobody.lines.find((l) => String(l.msg).startsWith("WeChat DevTools"))?.msg).toBe(
        "WeChat DevTools mini-program logins are refused until a member is chosen on the sandbox page (SANDBOX_DEVTOOLS_USER names no active member)",
      );
    } finally {
      await nobody.built.sandbox.stop();
    }
  });
});
