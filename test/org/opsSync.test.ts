import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { SessionTokens } from "../../src/auth/sessionToken";
import { sessionSecret } from "../../src/auth/sessionSecret";
import { seedRolesOnFirstStart } from "../../src/org/roles/seedRoles";
import { DEMO_CORP, DEMO_CORP_ROLES } from "../../src/sandbox";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import { sandboxFirstStart } from "../../src/sandboxFirstStart";
import { startService, type RunningService } from "../../src/service";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

/**
 * A local try-out against the WeCom sandbox's demo corp: its roles on the first start (never over an admin's
 * grants), its parents synced at once (once), and the ops endpoints that run the directory and parent syncs
 * now — operator token or HQ admin only, logged, answered in Chinese.
 */
describe("local try-out: first start and syncing now", () => {
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  let db: Database;
  let sandbox: Sandbox;
  let service: RunningService;
  let tokens: SessionTokens;
  const OPS = "ops-secret-token-for-sync";

  beforeAll(async () => {
    db = await createTestDatabase();
    sandbox = await startSandbox({ clock, callbackTimeoutMs: 500 });
    sandbox.state.seed(DEMO_CORP);
    const config = testConfig({ WECOM_API_BASE: sandbox.url, OPS_TOKEN: OPS });
    service = await startService(config, silentLogger(), { database: db, clock });
    tokens = new SessionTokens(sessionSecret(config, silentLogger()));
  });
  afterAll(async () => {
    await service?.stop();
    await sandbox?.stop();
    await db?.close();
  });

  const post = async (path: string, bearer?: string) => {
    const res = await fetch(`http://127.0.0.1:${service.port}${path}`, { method: "POST", headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  };
  const count = async (sql: string) => Number((await db.dataSource.query(sql))[0].n);

  it("grants the demo corp's roles on the first start only, never over what an admin granted", async () => {
    const grants = () => db.dataSource.query(`SELECT userid, role, department_id FROM role_grant ORDER BY userid`);
    expect(await seedRolesOnFirstStart(db.dataSource, undefined, clock, silentLogger(), DEMO_CORP_ROLES)).toBe(2);
    expect(await grants()).toEqual([
      { userid: "chenjing", role: "campus_head", department_id: 3 },
      { userid: "hr_sun", role: "hr", department_id: 1 },
    ]);
    await db.dataSource.query(`DELETE FROM role_grant WHERE userid = 'chenjing'`);
    expect(await seedRolesOnFirstStart(db.dataSource, undefined, clock, silentLogger(), DEMO_CORP_ROLES)).toBe(0);
    expect(await grants()).toEqual([{ userid: "hr_sun", role: "hr", department_id: 1 }]);
  });

  it("syncs the directory and the parents at the first start, and does nothing at the next", async () => {
    expect(await count(`SELECT count(*) AS n FROM follow_relation`)).toBe(0);
    const first = sandboxFirstStart(service.services, service.capabilities.jobs);
    first.start();
    await first.finished();
    await first.stop();
    expect(await count(`SELECT count(*) AS n FROM staff WHERE status = 1`)).toBe(DEMO_CORP.users!.length);
    expect(await count(`SELECT count(*) AS n FROM follow_relation WHERE status = 'active'`)).toBe(DEMO_CORP.follows!.length);

    const calls = sandbox.calls.all.length;
    const next = sandboxFirstStart(service.services, service.capabilities.jobs);
    next.start();
    await next.finished();
    await next.stop();
    expect(sandbox.calls.all.length).toBe(calls);
  });

  it("refuses a sync to anyone but the operator or an HQ admin", async () => {
    expect((await post("/ops/sync/directory")).status).toBe(401);
    const teacher = tokens.issue("zhangli", "console", clock.now(), 3600);
    const refused = await post("/ops/sync/parents", teacher);
    expect(refused.status).toBe(403);
    // HR of the whole chain is not an operator either: syncing is an HQ admin's or the ops token's.
    expect((await post("/ops/sync/directory", tokens.issue("hr_sun", "console", clock.now(), 3600))).status).toBe(403);
  });

  it("runs the directory sync now and says what it did", async () => {
    // Someone joined in WeCom and the callback did not reach us (no callback URL here): the sync now finds them.
    await sandbox.actors.memberJoins({ userid: "newcomer", name: "新老师", departments: [2] });
    const res = await post("/ops/sync/directory", OPS);
    expect(res.status).toBe(200);
    expect(res.body.message).toBe(`已从企业微信同步通讯录：4 个部门、${DEMO_CORP.users!.length + 1} 名成员。`);
    expect(await count(`SELECT count(*) AS n FROM staff WHERE userid = 'newcomer' AND status = 1`)).toBe(1);
    const logged = await db.dataSource.query(`SELECT actor_userid, action, resource_type FROM access_log WHERE resource_type = 'directory_sync'`);
    expect(logged).toEqual([{ actor_userid: "system", action: "run", resource_type: "directory_sync" }]);
  });

  it("runs the parent sync now and says what it did", async () => {
    const res = await post("/ops/sync/parents", OPS);
    expect(res.status).toBe(200);
    const staff = await count(`SELECT count(*) AS n FROM staff WHERE status = 1`);
    expect(res.body.message).toBe(`已从企业微信同步家长关系：${staff} 名在职成员的 ${DEMO_CORP.follows!.length} 条家长跟进关系。`);
    expect(await count(`SELECT count(*) AS n FROM access_log WHERE resource_type = 'parent_sync' AND action = 'run'`)).toBe(1);
  });
});
