import { randomBytes } from "node:crypto";
import { SessionTokens } from "../auth";
import { TestClock } from "../platform/clock";
import { loadConfig } from "../platform/config";
import type { Database } from "../platform/db/database";
import type { Logger } from "../platform/logger";
import { startSandbox, type Sandbox } from "../sandbox";
import { startService, type RunningService } from "../service";

/** Monday 2 March 2026, 09:00 in Beijing: the morning 李老师 decides to leave. */
export const STORY_START = "2026-03-02T09:00:00+08:00";

export interface StoryEnv {
  clock: TestClock;
  sandbox: Sandbox;
  service: RunningService;
  /** http://127.0.0.1:<port> of the service. */
  base: string;
  opsToken: string;
  /** An HR-console session for a staff member (what the console's login would issue). */
  consoleToken(userid: string): string;
  stop(): Promise<void>;
}

/**
 * The service and the WeCom sandbox on one test clock, wired as in
 * development: the service calls the sandbox's API and the sandbox posts
 * encrypted callbacks to the service. Schedules are off: the story runs each
 * job itself after moving the clock, so a month passes in seconds.
 */
export interface StoryEnvOptions {
  /** Where the service listens (0: any free port). `npm run demo -- --serve` takes a fixed one so people can browse it. */
  port?: number;
  /** The service's address in links and the login's redirect_uri; the story's example domain by default. */
  publicBaseUrl?: string;
  /** `--serve` only: whom WeChat DevTools' login codes sign in as (the sandbox's DevTools login; off otherwise). */
  devToolsSignInAs?: string;
}

export async function startStoryEnv(database: Database, logger: Logger, options: StoryEnvOptions = {}): Promise<StoryEnv> {
  const clock = new TestClock(STORY_START);
  const sandbox = await startSandbox({
    clock,
    callbackTimeoutMs: 3000,
    callbackRetryDelayMs: 50,
    ...(options.devToolsSignInAs !== undefined ? { devToolsLogin: { signInAs: options.devToolsSignInAs } } : {}),
  });
  const archiveKeyPem = sandbox.archive.addKeyVersion(1);
  const sessionSecret = randomBytes(32).toString("hex");
  const opsToken = randomBytes(24).toString("hex");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: String(options.port ?? 0),
    HOST: "127.0.0.1",
    SCHEDULES_ENABLED: "false",
    INBOX_POLL_MS: "50",
    WECOM_API_BASE: sandbox.url,
    WECOM_ARCHIVE_PRIVATE_KEYS: JSON.stringify({ 1: archiveKeyPem }),
    DATA_ENCRYPTION_KEYS: JSON.stringify({ story1: randomBytes(32).toString("base64") }),
    SEARCH_INDEX_KEYS: JSON.stringify({ story1: randomBytes(32).toString("base64") }),
    SESSION_SECRET: sessionSecret,
    OPS_TOKEN: opsToken,
    PUBLIC_BASE_URL: options.publicBaseUrl ?? "https://guard.example.com",
  });
  let service: RunningService;
  try {
    service = await startService(config, logger, { database, clock });
  } catch (err) {
    await sandbox.stop();
    throw err;
  }
  const base = `http://127.0.0.1:${service.port}`;
  sandbox.callbacks.setUrl(`${base}/wecom/callback`);
  const tokens = new SessionTokens(sessionSecret);
  return {
    clock,
    sandbox,
    service,
    base,
    opsToken,
    consoleToken: (userid) => tokens.issue(userid, "console", clock.now(), 8 * 3600),
    async stop() {
      await service.stop();
      await sandbox.stop();
    },
  };
}
