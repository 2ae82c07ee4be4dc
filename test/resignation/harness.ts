import { SessionTokens } from "../../src/auth/sessionToken";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { capturedLogger, type CapturedLogger } from "../support/capturedLogger";
import type { ResignationDeps } from "../../src/resignation/deps";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import { startService, type RunningService } from "../../src/service";
import { createTestDatabase } from "../support/testDatabase";
import { testConfig } from "../support/testConfig";

export const SECRET = "resignation-test-secret";

/** 总部 → 北京校区 (head_bj) / 上海校区 (head_sh); HR per campus, IT company-wide. */
export const PEOPLE = [
  { userid: "teacher_a", name: "张老师", dept: 2, hire: "2023-09-01", probationEnd: null },
  { userid: "teacher_b", name: "王老师", dept: 2, hire: "2022-03-01", probationEnd: null },
  { userid: "teacher_p", name: "新老师", dept: 2, hire: "2026-02-01", probationEnd: "2026-04-30" },
  { userid: "teacher_c", name: "刘老师", dept: 2, hire: "2021-03-01", probationEnd: null },
  { userid: "teacher_s", name: "上海老师", dept: 3, hire: "2020-03-01", probationEnd: null },
  { userid: "head_bj", name: "北京校长", dept: 2, hire: "2019-01-01", probationEnd: null },
  { userid: "head_sh", name: "上海校长", dept: 3, hire: "2019-01-01", probationEnd: null },
  { userid: "hr_bj", name: "北京人事", dept: 2, hire: "2019-01-01", probationEnd: null },
  { userid: "hr_sh", name: "上海人事", dept: 3, hire: "2019-01-01", probationEnd: null },
  { userid: "it_1", name: "IT小李", dept: 1, hire: "2019-01-01", probationEnd: null },
];

export interface Harness {
  /** The service's warnings and errors, as logged. */
  logs: CapturedLogger["lines"];
  db: Database;
  clock: TestClock;
  sandbox: Sandbox;
  service: RunningService;
  base: string;
  deps: ResignationDeps;
  consoleToken(userid: string): string;
  mpToken(userid: string, issuedAt?: Date): string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  const sandbox = await startSandbox({ clock, callbackTimeoutMs: 3000, callbackRetryDelayMs: 50 });
  sandbox.state.seed({
    departments: [
      { id: 1, name: "示例教育集团", parentId: 0 },
      { id: 2, name: "北京校区", parentId: 1, leaders: ["head_bj"] },
      { id: 3, name: "上海校区", parentId: 1, leaders: ["head_sh"] },
    ],
    users: PEOPLE.map((p) => ({ userid: p.userid, name: p.name, departments: [p.dept] })),
    follows: [
      { userid: "teacher_a", externalUserId: "wm_parent_1" },
      { userid: "teacher_a", externalUserId: "wm_parent_2" },
    ],
  });
  const m = db.dataSource.manager;
  await m.query(`INSERT INTO department (id, name, parent_id, kind, path, leader_userids) VALUES
    (1, '示例教育集团', NULL, 'hq', '{1}', '{}'), (2, '北京校区', 1, 'campus', '{1,2}', '{head_bj}'), (3, '上海校区', 1, 'campus', '{1,3}', '{head_sh}')`);
  for (const p of PEOPLE) {
    await m.query(
      `INSERT INTO staff (userid, name, department_ids, main_department, position, hire_date, probation_end) VALUES ($1, $2, $3, $4, '教师', $5, $6)`,
      [p.userid, p.name, [p.dept], p.dept, p.hire, p.probationEnd],
    );
  }
  await m.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES
    ('hr_bj', 'hr', 2, 'seed'), ('hr_sh', 'hr', 3, 'seed'), ('it_1', 'it', NULL, 'seed'), ('head_bj', 'campus_head', 2, 'seed')`);
  await m.query(`INSERT INTO external_contact (external_userid, name, updated_at) VALUES ('wm_parent_1', '家长一', now()), ('wm_parent_2', '家长二', now())`);
  await m.query(`INSERT INTO follow_relation (staff_userid, external_userid, status, last_event_at, updated_at) VALUES
    ('teacher_a', 'wm_parent_1', 'active', now(), now()), ('teacher_a', 'wm_parent_2', 'active', now(), now())`);

  const config = testConfig({ WECOM_API_BASE: sandbox.url, INBOX_POLL_MS: "50", SESSION_SECRET: SECRET, PUBLIC_BASE_URL: "https://hr.example.com" });
  const captured = capturedLogger("warn");
  const service = await startService(config, captured.logger, { database: db, clock });
  const base = `http://127.0.0.1:${service.port}`;
  sandbox.callbacks.setUrl(`${base}/wecom/callback`);
  const tokens = new SessionTokens(SECRET);
  const deps: ResignationDeps = { clock, logger: silentLogger(), publicBaseUrl: "https://hr.example.com", miniProgramAppId: "wxsandboxminiprogram", wakeOutbox: () => undefined };
  return {
    logs: captured.lines,
    db,
    clock,
    sandbox,
    service,
    base,
    deps,
    consoleToken: (userid) => tokens.issue(userid, "console", clock.now(), 8 * 3600),
    mpToken: (userid, issuedAt = clock.now()) => tokens.issue(userid, "mp", issuedAt, 2 * 3600),
    async close() {
      await service.stop();
      await sandbox.stop();
      await db.close();
    },
  };
}

/** Polls (real time) until `check` returns a value; the service's workers run on their own timers. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

export async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? safeJson(text) : undefined, headers: res.headers };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A tiny valid PNG header + payload: what a signature pad exports, as a data URL. */
export const SIGNATURE_PNG = `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("signature-strokes")]).toString("base64")}`;

/** A case in approval: the employee submits in the mini-program (last day 2026-04-01) and signs the written notice; its id. */
export async function signedCase(h: Harness, userid = "teacher_a", typedName = "张老师"): Promise<string> {
  const res = await call(h.base, "POST", "/api/mp/resignations", h.mpToken(userid), { reasonCategory: "family", reasonText: "随迁", requestedLastDay: "2026-04-01" });
  const id: string = res.body.case.id;
  await call(h.base, "POST", `/api/mp/resignations/${id}/notice/sign`, h.mpToken(userid), { typedName, signatureImage: SIGNATURE_PNG, confirm: true, device: {} });
  return id;
}
