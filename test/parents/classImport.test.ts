import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { startService, type RunningService } from "../../src/service";
import { json } from "../support/http";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

describe("class roster import", () => {
  let db: Database;
  let service: RunningService;
  let url: string;
  const ops = { Authorization: "Bearer ops-token-for-tests" };

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startService(testConfig({ OPS_TOKEN: "ops-token-for-tests" }), silentLogger(), { database: db, clock: new TestClock() });
    url = `http://127.0.0.1:${service.port}/api/admin/classes/import`;
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
  });

  const csv = [
    "class_code,class_name,campus_department_id,subject,teacher_userid,teacher_role,student_code,student_name,parent_external_userid,relation",
    "C1,三年级一班,3,数学,li,head_teacher,S1,王小明,wmParentA,妈妈",
    "C1,三年级一班,3,数学,zhou,subject_teacher,S2,李小红,wmParentB,爸爸",
  ].join("\n");

  it("imports a CSV roster", async () => {
    const res = await fetch(url, { method: "POST", headers: { ...ops, "content-type": "text/csv" }, body: csv });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual({ classes: 1, teachers: 2, students: 2, parents: 2 });
    const teachers = await db.dataSource.query(`SELECT staff_userid, role FROM class_teacher ORDER BY staff_userid`);
    expect(teachers).toEqual([
      { staff_userid: "li", role: "head_teacher" },
      { staff_userid: "zhou", role: "subject_teacher" },
    ]);
  });

  it("reports every bad row and applies none", async () => {
    const bad = `${csv}\nC2,,3,,x,principal,,,,`;
    const res = await fetch(url, { method: "POST", headers: { ...ops, "content-type": "text/csv" }, body: bad });
    expect(res.status).toBe(400);
    const paths = (await json(res)).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["rows.4.class_name", "rows.4.teacher_role"]));
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM school_class WHERE code = 'C2'`);
    expect(count).toBe(0);
  });

  it("accepts JSON rows and refuses anonymous callers", async () => {
    const body = JSON.stringify({ rows: [{ class_code: "C3", class_name: "四年级二班" }] });
    expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).status).toBe(401);
    const res = await fetch(url, { method: "POST", headers: { ...ops, "content-type": "application/json" }, body });
    expect(res.status).toBe(200);
  });
});
