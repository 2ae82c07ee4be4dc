import { createPrivateKey, randomBytes, randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { createAlerts, type Alerts } from "../../src/alerts/module";
import { saveBranchSettings } from "../../src/alerts/store/branchSettings";
import { ArchiveFanout } from "../../src/conversations/archive/archiveFanout";
import { recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { drainArchive, type ArchiveIngestDeps } from "../../src/conversations/archive/drainArchive";
import { InlineRandomKeyDecryptor } from "../../src/wecom/archive/randomKeyDecryptor";
import { SandboxFeedSource } from "../../src/wecom/archive/sandboxFeedSource";
import { createAuth } from "../../src/auth/module";
import { SessionTokens } from "../../src/auth/sessionToken";
import { TestClock } from "../../src/platform/clock";
import { DataKeyRing } from "../../src/platform/dataProtection/keyRing";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import type { PlatformServices } from "../../src/platform/services";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import { createWeComClient, type WeComClient } from "../../src/wecom/client";
import { InboxDispatcher } from "../../src/wecom/inbox/dispatcher";
import { WeComOutbox } from "../../src/wecom/outbox/weComOutbox";
import type { WeComEvent } from "../../src/wecom/events/types";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { createTestDatabase } from "../support/testDatabase";
import { testConfig } from "../support/testConfig";

export const ROBOT = "hr-robot";
export const PARENTS = Array.from({ length: 40 }, (_, i) => `wm_parent_${i + 1}`);
const STAFF = [
  { userid: "teacher_a", name: "张老师", dept: 2 },
  { userid: "teacher_b", name: "王老师", dept: 2 },
  { userid: "hr_bj", name: "北京人事", dept: 2 },
  { userid: "it_1", name: "IT小李", dept: 1 },
];

export const RULES = {
  massMessaging: { ruleId: "mm", auditorUserId: "hr_bj", windowMinutes: 10, distinctParents: 40, duplicateParents: 15 },
  massDeletion: { ruleId: "md", auditorUserId: "hr_bj", windowMinutes: 30, deletions: 10 },
  parentLeft: { ruleId: "pl", auditorUserId: "hr_bj" },
  afterLastDay: { ruleId: "ald", auditorUserId: "hr_bj" },
  sensitive: [{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局", "黑心机构"], acts: ["phone"] }],
};

export interface AlertsHarness {
  db: Database;
  dataSource: DataSource;
  clock: TestClock;
  sandbox: Sandbox;
  client: WeComClient;
  alerts: Alerts;
  /** The WeCom outbox the alerts go out from (not started: tests drain it by hand). */
  outbox: WeComOutbox;
  dispatcher: InboxDispatcher;
  ingest: ArchiveIngestDeps;
  keyRing: DataKeyRing;
  consoleToken(userid: string): string;
  /** Drain the sandbox archive into the store; the fan-out feeds the detector. */
  archive(): Promise<void>;
  /** Run an inbox event through every handler registered for it, in one transaction. */
  dispatch(event: WeComEvent): Promise<void>;
  openCase(userid: string, lastDay: string): Promise<string>;
  close(): Promise<void>;
}

export async function startAlertsHarness(options: { contactSecret?: boolean; startConsumer?: boolean } = {}): Promise<AlertsHarness> {
  const db = await createTestDatabase();
  const { dataSource } = db;
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  const sandbox = await startSandbox({ clock, callbackTimeoutMs: 500 });
  sandbox.state.seed({
    departments: [
      { id: 1, name: "示例教育集团", parentId: 0 },
      { id: 2, name: "北京校区", parentId: 1 },
    ],
    users: STAFF.map((s) => ({ userid: s.userid, name: s.name, departments: [s.dept] })),
    robots: { [ROBOT]: "HR群机器人" },
  });
  const privatePem = sandbox.archive.addKeyVersion(1);

  const m = dataSource.manager;
  await m.query(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '示例教育集团', NULL, 'hq', '{1}'), (2, '北京校区', 1, 'campus', '{1,2}')`);
  for (const s of STAFF) {
    await m.query(`INSERT INTO staff (userid, name, department_ids, main_department) VALUES ($1, $2, $3, $4)`, [s.userid, s.name, [s.dept], s.dept]);
  }
  await m.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr_bj', 'hr', 2, 'seed'), ('it_1', 'it', NULL, 'seed')`);
  const agreedAt = new Date(clock.now().getTime() - 86_400_000);
  await recordSingleConsent(
    m,
    ["teacher_a", "teacher_b"].flatMap((staff) => PARENTS.map((p) => ({ staffUserid: staff, externalUserid: p, status: "agree" as const, changedAt: agreedAt, source: "check_single_agree" as const }))),
    agreedAt,
  );

  const config = testConfig({ WECOM_API_BASE: sandbox.url, PUBLIC_BASE_URL: "https://hr.example.com", INBOX_POLL_MS: "50", SESSION_SECRET: "alerts-test-secret-alerts-test-secret" });
  const services: PlatformServices = { config, logger: silentLogger(), clock, dataSource, metrics: createMetrics() };
  const client = createWeComClient(services, {
    settings: {
      corpId: SANDBOX_CORP.corpId,
      apiBase: sandbox.url,
      agentId: SANDBOX_CORP.agentId,
      secrets: { agent: SANDBOX_CORP.agentSecret, customer: SANDBOX_CORP.customerSecret, ...(options.contactSecret === false ? {} : { contact: SANDBOX_CORP.contactSecret }) },
    },
    // The outbox owns retries and throttling in business time; the transport must not sleep on them.
    transport: { maxAttempts: 1, rateLimits: { webhook: { perSecond: 1000, burst: 1000 } } },
  });
  const keyRing = new DataKeyRing({ k1: randomBytes(32) }, "k1");
  const fanout = new ArchiveFanout(silentLogger());
  const dispatcher = new InboxDispatcher();
  const outbox = new WeComOutbox({ dataSource, client, clock, logger: silentLogger() }, 50);
  const alerts = createAlerts(services, { auth: createAuth(services), client, outbox, dispatcher, archive: { fanout, keyRing } });
  await dataSource.transaction((tx) => saveBranchSettings(tx, 2, { rules: RULES, notifier: { webhookKey: ROBOT } }, "seed", clock.now()));
  if (options.startConsumer !== false) alerts.consumer!.start();

  const ingest: ArchiveIngestDeps = {
    dataSource,
    source: new SandboxFeedSource({ apiBase: sandbox.url, secret: SANDBOX_CORP.archiveSecret }),
    randomKeys: new InlineRandomKeyDecryptor(new Map([[1, createPrivateKey(privatePem)]])),
    keyRing,
    fanout,
    clock,
    logger: silentLogger(),
    corpId: "sandbox",
  };
  const tokens = new SessionTokens("alerts-test-secret-alerts-test-secret");
  return {
    db,
    dataSource,
    clock,
    sandbox,
    client,
    alerts,
    outbox,
    dispatcher,
    ingest,
    keyRing,
    consoleToken: (userid) => tokens.issue(userid, "console", clock.now(), 3600),
    async archive() {
      await drainArchive(ingest);
      await alerts.consumer?.idle();
    },
    async dispatch(event) {
      const handler = dispatcher.handlerFor(event.type === "change_external_contact" ? `change_external_contact:${event.changeType}` : event.type);
      if (!handler) throw new Error(`no handler for ${event.type}`);
      const afterCommit: (() => void)[] = [];
      await dataSource.transaction((manager) => handler(event, { manager, inboxId: "test", log: silentLogger(), afterCommit: (fn) => afterCommit.push(fn), shared: (_key, load) => load() }));
      for (const fn of afterCommit) fn();
    },
    async openCase(userid, lastDay) {
      const id = randomUUID();
      await m.query(
        `INSERT INTO resignation_case (id, employee_userid, origin, state, notice_date, requested_last_day, earliest_last_day, last_day, reason_category, department_id, created_at, updated_at)
         VALUES ($1, $2, 'employee', 'approved', '2026-02-27', $3, $3, $3, 'personal', 2, $4, $4)`,
        [id, userid, lastDay, clock.now()],
      );
      return id;
    },
    async close() {
      await alerts.consumer?.stop();
      await outbox.stop();
      await sandbox.stop();
      await db.close();
    },
  };
}
