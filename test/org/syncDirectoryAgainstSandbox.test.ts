import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { StaffDirectory } from "../../src/org/directory/staffDirectory";
import { syncDirectory } from "../../src/org/directory/syncDirectory";
import { WeComDirectorySource } from "../../src/org/directory/weComDirectorySource";
import { startSandbox, type Sandbox } from "../../src/sandbox/server";
import { createWeComClient } from "../../src/wecom/client/createWeComClient";
import { SANDBOX_CORP } from "../../src/wecom/sandboxCredentials";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

/**
 * Whole-company sync against the sandbox, which answers like WeCom: user/list returns a department's
 * direct members only (fetch_child ignored, developer.work.weixin.qq.com/document/path/96260) and a
 * deleted member is absent from every list with user/get answering 60111 (path/90313).
 */
describe("directory sync against WeCom's list semantics", () => {
  let db: Database;
  let sandbox: Sandbox;
  let source: WeComDirectorySource;
  const clock = new TestClock("2026-03-02T10:00:00+08:00");
  const logger = silentLogger();

  beforeAll(async () => {
    db = await createTestDatabase();
    // No callback URL: directory events go nowhere, as when they are missed.
    sandbox = await startSandbox({ clock, callbackTimeoutMs: 500 });
    sandbox.state.seed({
      departments: [
        { id: 1, name: "总部", parentId: 0 },
        { id: 2, name: "华东区", parentId: 1 },
        { id: 3, name: "徐汇校区", parentId: 2 },
        { id: 4, name: "浦东校区", parentId: 2 },
      ],
      users: [
        { userid: "ceo", name: "总经理", departments: [1] },
        { userid: "region", name: "区域经理", departments: [2] },
        { userid: "li", name: "李老师", departments: [3] },
        { userid: "wang", name: "王老师", departments: [3, 4] },
        { userid: "zhao", name: "赵老师", departments: [4] },
      ],
    });
    const services = { config: testConfig(), logger, clock, dataSource: db.dataSource, metrics: createMetrics({ collectProcessMetrics: false }) };
    const client = createWeComClient(services, {
      settings: {
        corpId: SANDBOX_CORP.corpId,
        apiBase: sandbox.url,
        agentId: SANDBOX_CORP.agentId,
        secrets: { agent: SANDBOX_CORP.agentSecret, contact: SANDBOX_CORP.contactSecret, customer: SANDBOX_CORP.customerSecret, archive: SANDBOX_CORP.archiveSecret },
        robotWebhookKey: "robot-key",
      },
    });
    source = new WeComDirectorySource(client);
  });
  afterAll(async () => {
    await sandbox.stop();
    await db.close();
  });

  const statuses = async () =>
    Object.fromEntries(
      ((await db.dataSource.query(`SELECT userid, status FROM staff ORDER BY userid`)) as { userid: string; status: number }[]).map((r) => [r.userid, r.status]),
    );

  it("reads members at every level of a three-level directory, once each", async () => {
    const report = await syncDirectory(db.dataSource, source, clock, logger);
    expect(report).toMatchObject({ departments: 4, members: 5, membersMarkedLeft: 0 });
    expect(await statuses()).toEqual({ ceo: 1, li: 1, region: 1, wang: 1, zhao: 1 });
    expect((await new StaffDirectory(db.dataSource.manager).find("wang"))?.departmentIds).toEqual([3, 4]);
    // One user/list per department, never with fetch_child.
    const lists = sandbox.calls.callsTo("/cgi-bin/user/list");
    expect(lists.map((c) => c.query.department_id).sort()).toEqual(["1", "2", "3", "4"]);
    expect(lists.every((c) => c.query.fetch_child === undefined)).toBe(true);
  });

  it("marks a member HR deleted as left at the next sync although its delete_user event never arrived", async () => {
    const delivery = await sandbox.actors.memberLeaves("zhao");
    expect(delivery.outcome).toBe("no_receiver");
    const report = await syncDirectory(db.dataSource, source, clock, logger);
    expect(report).toMatchObject({ members: 4, membersMarkedLeft: 1 });
    expect(await statuses()).toEqual({ ceo: 1, li: 1, region: 1, wang: 1, zhao: 5 });
    // The absence was confirmed by userid: 60111.
    expect(sandbox.calls.callsTo("/cgi-bin/user/get").map((c) => [c.query.userid, c.errcode])).toEqual([["zhao", 60111]]);
  });

  it("keeps a member who is missing from every list but whom WeCom still returns as active", async () => {
    // Moved into a department outside the listed tree (e.g. the app's visible range changed).
    sandbox.state.users.get("li")!.departments = [99];
    const report = await syncDirectory(db.dataSource, source, clock, logger);
    expect(report.membersMarkedLeft).toBe(0);
    expect((await statuses()).li).toBe(1);
  });
});
