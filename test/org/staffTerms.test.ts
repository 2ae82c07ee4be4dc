import { SessionTokens } from "../../src/auth/sessionToken";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { startService, type RunningService } from "../../src/service";
import { json } from "../support/http";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

describe("employment terms maintained by HR", () => {
  const clock = new TestClock();
  const tokens = new SessionTokens("terms-secret");
  let db: Database;
  let service: RunningService;
  let base: string;
  const as = (userid: string, type = "application/json") => ({
    Authorization: `Bearer ${tokens.issue(userid, "console", clock.now(), 3600)}`,
    "content-type": type,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(`INSERT INTO department (id, name, parent_id, path) VALUES (1, '总部', NULL, '{1}'), (2, 'A校区', 1, '{1,2}'), (3, 'B校区', 1, '{1,3}')`);
    await db.dataSource.query(`INSERT INTO staff (userid, name, department_ids) VALUES ('li', '李老师', '{2}'), ('zhao', '赵老师', '{3}'), ('wang', '王老师', '{2}')`);
    await db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr_a', 'hr', 2, 'seed')`);
    service = await startService(testConfig({ SESSION_SECRET: "terms-secret" }), silentLogger(), { database: db, clock });
    base = `http://127.0.0.1:${service.port}/api/admin/staff`;
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
  });

  it("lets HR of the branch set a hire date and contract term, and records who did", async () => {
    const res = await fetch(`${base}/li/terms`, {
      method: "PATCH",
      headers: as("hr_a"),
      body: JSON.stringify({ hireDate: "2021-09-01", contractStart: "2024-09-01", contractEnd: "2027-08-31", subject: "数学" }),
    });
    expect(res.status).toBe(204);
    const [row] = await db.dataSource.query(
      `SELECT to_char(hire_date, 'YYYY-MM-DD') AS hire, to_char(contract_end, 'YYYY-MM-DD') AS until, subject, terms_updated_by FROM staff WHERE userid = 'li'`,
    );
    expect(row).toEqual({ hire: "2021-09-01", until: "2027-08-31", subject: "数学", terms_updated_by: "hr_a" });
  });

  it("refuses HR of another branch, a plain employee, and inconsistent dates", async () => {
    expect((await fetch(`${base}/zhao/terms`, { method: "PATCH", headers: as("hr_a"), body: JSON.stringify({ hireDate: "2020-01-01" }) })).status).toBe(403);
    expect((await fetch(`${base}/li/terms`, { method: "PATCH", headers: as("wang"), body: JSON.stringify({ hireDate: "2020-01-01" }) })).status).toBe(403);
    const bad = await fetch(`${base}/li/terms`, { method: "PATCH", headers: as("hr_a"), body: JSON.stringify({ contractStart: "2025-01-01", contractEnd: "2024-01-01" }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.details[0].path).toBe("contractEnd");
    expect((await fetch(`${base}/nobody/terms`, { method: "PATCH", headers: as("hr_a"), body: "{}" })).status).toBe(404);
  });

  it("imports a CSV all or nothing", async () => {
    const refused = await fetch(`${base}/terms/import`, {
      method: "POST",
      headers: as("hr_a", "text/csv"),
      body: "userid,hire_date,probation_end\nwang,2026-02-01,2026-04-30\nzhao,2019-03-01,",
    });
    expect(refused.status).toBe(403);
    const [wang] = await db.dataSource.query(`SELECT hire_date FROM staff WHERE userid = 'wang'`);
    expect(wang.hire_date).toBeNull();
    const ok = await fetch(`${base}/terms/import`, { method: "POST", headers: as("hr_a", "text/csv"), body: "userid,hire_date,probation_end\nwang,2026-02-01,2026-04-30\n" });
    expect(ok.status).toBe(200);
    expect((await json(ok)).data).toEqual({ updated: 1 });
    const bad = await fetch(`${base}/terms/import`, { method: "POST", headers: as("hr_a", "text/csv"), body: "userid,hire_date\nwang,2026-13-01\n" });
    expect(bad.status).toBe(400);
  });
});
