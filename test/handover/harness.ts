import type { DataSource } from "typeorm";
import { TestClock, type Clock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import type { SeedInput } from "../../src/sandbox/state/seed";
import { createWeComClient } from "../../src/wecom/client/createWeComClient";
import type { WeComClient } from "../../src/wecom/client/weComClient";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import type { HandoverDeps } from "../../src/handover/deps";
import { runTransferLifecycle } from "../../src/handover/lifecycle";
import { HANDOVER_TOPIC, recordNoticeOutcome } from "../../src/handover/notices/transferNotices";
import { WeComOutbox } from "../../src/wecom/outbox/weComOutbox";
import { Reassignments } from "../../src/handover/reassignments";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

export const PATHS = {
  resigned: "/cgi-bin/externalcontact/resigned/transfer_customer",
  onJob: "/cgi-bin/externalcontact/transfer_customer",
  resignedResult: "/cgi-bin/externalcontact/resigned/transfer_result",
  onJobResult: "/cgi-bin/externalcontact/transfer_result",
  groupResigned: "/cgi-bin/externalcontact/groupchat/transfer",
  send: "/cgi-bin/message/send",
  msgTemplate: "/cgi-bin/externalcontact/add_msg_template",
};

/**
 * One branch (campus 2 under HQ 1) and another (campus 3): leaver teacher_a
 * teaches math in classes C1 (head t_b) and C2 (head t_c); hr_a is HR of
 * campus 2, hr_x of campus 3.
 */
export interface Harness {
  db: Database;
  clock: TestClock;
  sandbox: Sandbox;
  client: WeComClient;
  deps: HandoverDeps;
  reassignments: Reassignments;
  /** The one WeCom outbox, which sends the handover's notices. */
  outbox: WeComOutbox;
  /** A lifecycle pass, then the outbox's pass: noticesSent counts the messages the outbox closed. */
  run(): Promise<Awaited<ReturnType<typeof runTransferLifecycle>> & { noticesSent: number }>;
  close(): Promise<void>;
}

export interface Family {
  /** Parent ids per class. */
  c1: string[];
  c2: string[];
}

export function family(count: number, prefix = "wm_p"): Family {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);
  return { c1: ids.slice(0, Math.ceil(count / 2)), c2: ids.slice(Math.ceil(count / 2)) };
}

/**
 * The objects one process needs to run the transfer lifecycle against the
 * sandbox at `sandboxUrl`: built here for the in-process harness and by
 * support/lifecycleProcess.ts for a separate (killable) process.
 */
export function handoverObjects(dataSource: DataSource, clock: Clock, sandboxUrl: string): { client: WeComClient; deps: HandoverDeps; outbox: WeComOutbox } {
  const services = { config: testConfig(), logger: silentLogger(), clock, dataSource, metrics: createMetrics({ collectProcessMetrics: false }) };
  const client = createWeComClient(services, {
    settings: {
      corpId: SANDBOX_CORP.corpId,
      apiBase: sandboxUrl,
      agentId: SANDBOX_CORP.agentId,
      secrets: { agent: SANDBOX_CORP.agentSecret, contact: SANDBOX_CORP.contactSecret, customer: SANDBOX_CORP.customerSecret, archive: SANDBOX_CORP.archiveSecret },
      robotWebhookKey: "robot-key",
    },
    transport: { rateLimits: { externalcontact: { perSecond: 10_000, burst: 10_000 } } },
  });
  const deps: HandoverDeps = { dataSource, client, clock, logger: silentLogger() };
  // Polls only when driven by hand (drain): the tests decide when messages go out.
  const outbox = new WeComOutbox({ dataSource, client, clock, logger: silentLogger() }, 3_600_000);
  outbox.onOutcome(HANDOVER_TOPIC, recordNoticeOutcome);
  return { client, deps, outbox };
}

export async function startHarness(parents: Family, extraSeed: SeedInput = {}, options: { callbackUrl?: string } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const clock = new TestClock("2026-03-02T10:00:00+08:00");
  const all = [...parents.c1, ...parents.c2];
  const sandbox = await startSandbox({ clock, callbackTimeoutMs: 500, ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}) });
  sandbox.state.seed({
    departments: [
      { id: 1, name: "总部", parentId: 0 },
      { id: 2, name: "徐汇校区", parentId: 1 },
      { id: 3, name: "浦东校区", parentId: 1 },
    ],
    users: ["teacher_a", "t_b", "t_c", "hr_a"].map((userid) => ({ userid, departments: [2] })).concat([{ userid: "hr_x", departments: [3] }]),
    ...extraSeed,
    follows: [...all.map((externalUserId) => ({ userid: "teacher_a", externalUserId })), ...(extraSeed.follows ?? [])],
  });
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  await q(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '总部', NULL, 'hq', '{1}'), (2, '徐汇校区', 1, 'campus', '{1,2}'), (3, '浦东校区', 1, 'campus', '{1,3}')`);
  await q(`INSERT INTO staff (userid, name, department_ids, main_department, subject, status) VALUES
    ('teacher_a', '张老师', '{2}', 2, '数学', 1), ('t_b', '王老师', '{2}', 2, '语文', 1), ('t_c', '刘老师', '{2}', 2, '英语', 1),
    ('hr_a', '人事A', '{2}', 2, NULL, 1), ('hr_x', '人事X', '{3}', 3, NULL, 1)`);
  await q(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr_a', 'hr', 2, 'seed'), ('hr_x', 'hr', 3, 'seed'), ('t_b', 'campus_head', 2, 'seed')`);
  await q(`INSERT INTO school_class (code, name, campus_department_id) VALUES ('C1', '一班', 2), ('C2', '二班', 2)`);
  await q(`INSERT INTO class_teacher (class_code, staff_userid, role, subject) VALUES
    ('C1', 't_b', 'head_teacher', '语文'), ('C2', 't_c', 'head_teacher', '英语'), ('C1', 'teacher_a', 'subject_teacher', '数学'), ('C2', 'teacher_a', 'subject_teacher', '数学')`);
  for (const [cls, ids] of [["C1", parents.c1], ["C2", parents.c2]] as const) {
    await q(`INSERT INTO student (code, name, class_code) SELECT 's_' || id, '学生' || id, $1 FROM unnest($2::text[]) id`, [cls, ids]);
    await q(`INSERT INTO parent_student (external_userid, student_code) SELECT id, 's_' || id FROM unnest($1::text[]) id`, [ids]);
  }
  await q(`INSERT INTO external_contact (external_userid, name, updated_at) SELECT id, '家长' || id, now() FROM unnest($1::text[]) id`, [all]);
  await q(`INSERT INTO follow_relation (staff_userid, external_userid, last_event_at, updated_at) SELECT 'teacher_a', id, now(), now() FROM unnest($1::text[]) id`, [all]);

  const { client, deps, outbox } = handoverObjects(db.dataSource, clock, sandbox.url);
  return {
    db,
    clock,
    sandbox,
    client,
    deps,
    reassignments: new Reassignments(deps),
    outbox,
    run: async () => {
      const run = await runTransferLifecycle(deps);
      return { ...run, noticesSent: await outbox.drain() };
    },
    async close() {
      await outbox.stop();
      await sandbox.stop();
      await db.close();
    },
  };
}

/** The leaver is removed from WeCom and the directory mirror learns it. */
export async function leaverLeaves(h: Harness, userid = "teacher_a"): Promise<void> {
  await h.sandbox.actors.memberLeaves(userid);
  await h.db.dataSource.query(`UPDATE staff SET status = 5, left_at = $2 WHERE userid = $1`, [userid, h.clock.now()]);
}

export async function statusCounts(h: Harness): Promise<Record<string, number>> {
  const rows: { status: string; n: number }[] = await h.db.dataSource.query(
    `SELECT status, count(*)::int AS n FROM customer_transfer WHERE superseded_at IS NULL GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
