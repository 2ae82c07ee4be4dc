import { Writable } from "node:stream";
import pino from "pino";
import { TestClock } from "../../../src/platform/clock";
import type { Database } from "../../../src/platform/db/database";
import { redactedPaths } from "../../../src/platform/logger";
import { createMetrics, type Metrics } from "../../../src/platform/metrics";
import type { PlatformServices } from "../../../src/platform/services";
import { createWeComClient, type WeComClientOptions } from "../../../src/wecom/client/createWeComClient";
import type { WeComClientSettings } from "../../../src/wecom/client/settings";
import type { WeComClient } from "../../../src/wecom/client/weComClient";
import { testConfig } from "../../support/testConfig";
import { createTestDatabase } from "../../support/testDatabase";
import { ScriptedWeCom } from "./scriptedWeCom";

export const secrets = {
  agent: "agent-secret-DO-NOT-LOG-1234567890",
  contact: "contact-secret-DO-NOT-LOG-1234567890",
  customer: "customer-secret-DO-NOT-LOG-1234567890",
  archive: "archive-secret-DO-NOT-LOG-1234567890",
};

/** Monotonic time that only moves when the code under test sleeps, so backoff and rate limits cost no wall time. */
export class VirtualTime {
  current = 0;
  readonly sleeps: number[] = [];
  now = () => this.current;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.current += ms;
  };
}

export interface ClientUnderTest {
  client: WeComClient;
  clock: TestClock;
  time: VirtualTime;
  logs: string[];
  metrics: Metrics;
}

export interface HarnessOptions {
  settings?: Partial<WeComClientSettings>;
  transport?: WeComClientOptions["transport"];
  clock?: TestClock;
  metrics?: Metrics;
}

/** A real client (real PostgreSQL token store) pointed at the scripted server, with logs captured as JSON lines. */
export function clientFor(server: { url: string; wecom: ScriptedWeCom }, db: Database, options: HarnessOptions = {}): ClientUnderTest {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: "debug", redact: { paths: redactedPaths, censor: "[REDACTED]" } }, sink);
  const clock = options.clock ?? new TestClock();
  const metrics = options.metrics ?? createMetrics({ collectProcessMetrics: false });
  const time = new VirtualTime();
  const services: PlatformServices = { config: testConfig(), logger, clock, dataSource: db.dataSource, metrics };
  const settings: WeComClientSettings = {
    corpId: "ww-test-corp",
    apiBase: server.url,
    agentId: 1000002,
    secrets: { ...secrets },
    robotWebhookKey: "robot-key-DO-NOT-LOG",
    ...options.settings,
  };
  const client = createWeComClient(services, {
    settings,
    transport: { time, random: () => 0.5, timeoutMs: 2_000, ...options.transport },
  });
  return { client, clock, time, logs, metrics };
}

export interface ScriptedEnvironment {
  wecom: ScriptedWeCom;
  db: Database;
  server: { url: string; wecom: ScriptedWeCom };
}

/**
 * Jest hooks for a client test file: one scripted WeCom and one database for
 * the file; every test starts with no scripted replies and no stored token.
 */
export function useScriptedWeCom(): ScriptedEnvironment {
  const wecom = new ScriptedWeCom();
  const env = { wecom } as ScriptedEnvironment;
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.server = { url: await wecom.start(), wecom };
  });
  afterAll(async () => {
    await wecom.stop();
    await env.db.close();
  });
  beforeEach(async () => {
    wecom.reset();
    await env.db.dataSource.query("TRUNCATE wecom_access_token");
  });
  return env;
}
