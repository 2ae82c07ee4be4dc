import { recordSingleConsent } from "../../src/conversations/archive/archiveConsent";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import { startService, type RunningService } from "../../src/service";
import { SessionTokens } from "../../src/auth/sessionToken";
import { createTestDatabase } from "../support/testDatabase";
import { testConfig } from "../support/testConfig";

const SECRET = "console-test-secret";

/**
 * 集团 (1) → 北京校区 (2): leaver teacher_a (math in C1 and C2; heads t_b, t_c), HR hr_bj, campus head head_bj;
 * 上海校区 (3): teacher_s with a case, HR hr_sh. One open alert on teacher_a. Archived chats of teacher_a with
 * wm_p1 (one recalled) through the sandbox's archive feed.
 */
export interface ConsoleHarness {
  db: Database;
  clock: TestClock;
  sandbox: Sandbox;
  service: RunningService;
  base: string;
  caseBj: string;
  caseSh: string;
  alertId: string;
  parents: { c1: string[]; c2: string[] };
  /** A bearer token for direct API calls (seeding, checks). */
  apiToken(userid: string): string;
  /** A mini-program session token (what wx.login + /api/mp/login gives a phone). */
  mpToken(userid: string): string;
  /** Signs in through the OAuth redirect flow the way a browser does; returns the session cookie value. */
  login(userid: string): Promise<string>;
  close(): Promise<void>;
}

const PEOPLE: [string, string, number][] = [
  ["teacher_a", "张老师", 2], ["t_b", "王老师", 2], ["t_c", "刘老师", 2], ["hr_bj", "北京人事", 2], ["head_bj", "北京校长", 2],
  ["teacher_s", "上海老师", 3], ["hr_sh", "上海人事", 3],
];

export async function startConsoleHarness(configOverrides: Record<string, string> = {}): Promise<ConsoleHarness> {
  const db = await createTestDatabase();
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  const sandbox = await startSandbox({ clock, callbackTimeoutMs: 3000, callbackRetryDelayMs: 50 });
  const parents = { c1: ["wm_p1", "wm_p2"], c2: ["wm_p3", "wm_p4"] };
  const all = [...parents.c1, ...parents.c2];
  sandbox.state.seed({
    departments: [{ id: 1, name: "示例教育集团", parentId: 0 }, { id: 2, name: "北京校区", parentId: 1 }, { id: 3, name: "上海校区", parentId: 1 }],
    users: PEOPLE.map(([userid, name, dept]) => ({ userid, name, departments: [dept] })),
    follows: all.map((externalUserId) => ({ userid: "teacher_a", externalUserId })),
  });
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  await q(`INSERT INTO department (id, name, parent_id, kind, path) VALUES (1, '示例教育集团', NULL, 'hq', '{1}'), (2, '北京校区', 1, 'campus', '{1,2}'), (3, '上海校区', 1, 'campus', '{1,3}')`);
  for (const [userid, name, dept] of PEOPLE) {
    await q(`INSERT INTO staff (userid, name, department_ids, main_department, position, hire_date, status) VALUES ($1, $2, $3, $4, '教师', '2022-03-01', 1)`, [userid, name, [dept], dept]);
  }
  await q(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr_bj', 'hr', 2, 'seed'), ('hr_sh', 'hr', 3, 'seed'), ('head_bj', 'campus_head', 2, 'seed')`);
  await q(`INSERT INTO school_class (code, name, campus_department_id) VALUES ('C1', '一班', 2), ('C2', '二班', 2)`);
  await q(`INSERT INTO class_teacher (class_code, staff_userid, role, subject) VALUES
    ('C1', 't_b', 'head_teacher', '语文'), ('C2', 't_c', 'head_teacher', '英语'), ('C1', 'teacher_a', 'subject_teacher', '数学'), ('C2', 'teacher_a', 'subject_teacher', '数学')`);
  for (const [cls, ids] of [["C1", parents.c1], ["C2", parents.c2]] as const) {
    await q(`INSERT INTO student (code, name, class_code) SELECT 's_' || id, '学生' || id, $1 FROM unnest($2::text[]) id`, [cls, ids]);
    await q(`INSERT INTO parent_student (external_userid, student_code) SELECT id, 's_' || id FROM unnest($1::text[]) id`, [ids]);
  }
  await q(`INSERT INTO external_contact (external_userid, name, updated_at) SELECT id, '家长' || id, now() FROM unnest($1::text[]) id`, [all]);
  await q(`INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) SELECT 'teacher_a', id, 'active', now(), now() FROM unnest($1::text[]) id`, [all]);

  const archiveKey = sandbox.archive.addKeyVersion(1);
  const chatAt = clock.now().getTime() - 2 * 3600_000;
  await recordSingleConsent(db.dataSource, [{ staffUserid: "teacher_a", externalUserid: "wm_p1", status: "agree", changedAt: new Date(chatAt - 86_400_000), source: "check_single_agree" }], clock.now());
  const chat = (msgid: string, from: string, to: string, at: number, body: Record<string, unknown>) =>
    sandbox.archive.append({ msgid, action: body.msgtype === "revoke" ? "recall" : "send", from, tolist: [to], roomid: "", msgtime: at, ...body });
  chat("m1", "teacher_a", "wm_p1", chatAt, { msgtype: "text", text: { content: "明天的数学作业是第三章" } });
  chat("m2", "wm_p1", "teacher_a", chatAt + 60_000, { msgtype: "text", text: { content: "好的老师，谢谢" } });
  chat("m3", "teacher_a", "wm_p1", chatAt + 120_000, { msgtype: "text", text: { content: "我下个月离职，加我私人微信" } });
  chat("m4", "teacher_a", "wm_p1", chatAt + 180_000, { msgtype: "revoke", revoke: { pre_msgid: "m3" } });

  const config = testConfig({
    WECOM_API_BASE: sandbox.url,
    INBOX_POLL_MS: "50",
    SESSION_SECRET: SECRET,
    WECOM_ARCHIVE_PRIVATE_KEYS: JSON.stringify({ "1": archiveKey }),
    ...configOverrides,
  });
  const service = await startService(config, silentLogger(), { database: db, clock });
  const base = `http://127.0.0.1:${service.port}`;
  sandbox.callbacks.setUrl(`${base}/wecom/callback`);
  await service.capabilities.conversations.archive!.drainer.request();
  const tokens = new SessionTokens(SECRET);
  const apiToken = (userid: string) => tokens.issue(userid, "console", clock.now(), 3600);
  const mpToken = (userid: string) => tokens.issue(userid, "mp", clock.now(), 3600);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const api = async (userid: string, method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiToken(userid)}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const register = (hr: string, employeeUserid: string) =>
    api(hr, "POST", "/api/hr/resignations", {
      employeeUserid,
      channel: "in_person",
      receivedAt: "2026-03-02T08:30:00+08:00",
      evidenceText: "当面提出离职",
      requestedLastDay: "2026-04-01",
      reasonCategory: "relocation",
    });
  const caseBj = (await register("hr_bj", "teacher_a")).case.id as string;
  const caseSh = (await register("hr_sh", "teacher_s")).case.id as string;
  await api("hr_bj", "POST", "/api/handover/reassignments/teacher_a/plan");
  const [alert] = await q(
    `INSERT INTO alert (incident_key, branch_id, rule_id, kind, severity, delivery, staff_userid, auditor_userid, parents, hit_msgids, reasons, title, summary, opened_at, last_hit_at, created_at)
     VALUES ('console-test-1', 2, 'mass_messaging', 'mass_messaging', 'high', 'immediate', 'teacher_a', 'teacher_a', $1, '{}', '{同一内容发给 30 位家长}', '群发可疑消息', '张老师 10 分钟内向 30 位家长发送相同内容', $2, $2, $2)
     RETURNING id`,
    [all, clock.now()],
  );

  async function login(userid: string): Promise<string> {
    const start = await fetch(`${base}/console/login?next=/console`, { redirect: "manual" });
    const stateCookie = (start.headers.get("set-cookie") ?? "").split(";")[0]!;
    const state = new URL(start.headers.get("location")!, base).searchParams.get("state")!;
    const code = sandbox.actors.oauthLogin(userid);
    const back = await fetch(`${base}/console/oauth/callback?code=${code}&state=${state}`, { redirect: "manual", headers: { cookie: stateCookie } });
    const session = (back.headers.getSetCookie?.() ?? []).find((c) => c.startsWith("wpg_session="));
    if (!session) throw new Error(`login failed: ${back.status}`);
    return session.split(";")[0]!.slice("wpg_session=".length);
  }

  return {
    db, clock, sandbox, service, base, caseBj, caseSh, alertId: String(alert.id), parents, apiToken, mpToken, login,
    async close() {
      await service.stop();
      await sandbox.stop();
      await db.close();
    },
  };
}
