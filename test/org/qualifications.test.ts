import { SessionTokens } from "../../src/auth/sessionToken";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { startService, type RunningService } from "../../src/service";
import { applyOverrides, confirmPlan, planView, savePlan } from "../../src/handover/plan/planStore";
import { json } from "../support/http";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

/** Teachers' qualifications: CSV/API, policies, the 90/30/7-day reminders and the successor plan's note. */
describe("teacher qualifications", () => {
  const clock = new TestClock("2026-03-02T10:00:00+08:00");
  const tokens = new SessionTokens("quals-secret");
  let db: Database;
  let service: RunningService;
  let base: string;
  const as = (userid: string, type = "application/json") => ({
    Authorization: `Bearer ${tokens.issue(userid, "console", clock.now(), 3600)}`,
    "content-type": type,
  });
  const header = "账号,姓名,证书类型,证书名称,证书编号,学科,学段,注册日期,有效期至";
  const liCsv = `${header}\nli,李老师,教师资格证,,20154405112000123,数学,高级中学,2021-09-01,\nli,李老师,其他证书,普通话水平测试等级证书,4411000123,,,2019-05-01,2029-04-30\n`;
  const importCsv = (userid: string, csv: string) => fetch(`${base}/qualifications/import`, { method: "POST", headers: as(userid, "text/csv"), body: csv });
  const outbox = async () =>
    (await db.dataSource.query(`SELECT message FROM wecom_outbox WHERE topic = 'resignation' AND ref->>'kind' = 'reminder' ORDER BY id`)).map((r: { message: { touser: string[]; content: string } }) => [
      r.message.touser.join(),
      r.message.content,
    ]);

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(
      `INSERT INTO department (id, name, parent_id, path, kind) VALUES (1, '总部', NULL, '{1}', 'hq'), (2, '朝阳校区', 1, '{1,2}', 'campus'), (3, '海淀校区', 1, '{1,3}', 'campus')`,
    );
    await db.dataSource.query(
      `INSERT INTO staff (userid, name, department_ids, main_department, subject) VALUES
        ('li', '李老师', '{2}', 2, '数学'), ('wang', '王老师', '{2}', 2, '数学'), ('zhao', '赵老师', '{3}', 3, '数学'),
        ('hr_a', '人事小周', '{2}', 2, NULL), ('head_a', '朝阳校长', '{2}', 2, NULL)`,
    );
    await db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('hr_a', 'hr', 2, 'seed'), ('head_a', 'campus_head', 2, 'seed')`);
    service = await startService(testConfig({ SESSION_SECRET: "quals-secret" }), silentLogger(), { database: db, clock });
    base = `http://127.0.0.1:${service.port}/api/admin`;
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
  });

  it("imports a CSV, says what it did, and changes nothing when the same file comes again", async () => {
    const first = await importCsv("hr_a", liCsv);
    expect(first.status).toBe(200);
    expect((await json(first)).data).toEqual({ created: 2, updated: 0, unchanged: 0, message: "已导入 2 行：新增 2 条，更新 0 条，未变化 0 条" });
    const again = await importCsv("hr_a", liCsv);
    expect((await json(again)).data).toEqual({ created: 0, updated: 0, unchanged: 2, message: "已导入 2 行：新增 0 条，更新 0 条，未变化 2 条" });
    const corrected = await importCsv("hr_a", liCsv.replace("2029-04-30", "2029-05-31"));
    expect((await json(corrected)).data).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const rows = await db.dataSource.query(
      `SELECT name, to_char(due_on, 'YYYY-MM-DD') AS due, updated_by FROM teacher_qualification WHERE staff_userid = 'li' ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: "教师资格证", due: "2026-09-01", updated_by: "hr_a" },
      { name: "普通话水平测试等级证书", due: "2029-05-31", updated_by: "hr_a" },
    ]);
  });

  it("refuses rows the importer may not write or that name the wrong person, by line, and writes none of the file", async () => {
    const readOnly = await importCsv("head_a", `${header}\nwang,王老师,其他证书,急救证,A1234,,,,2027-01-01\n`);
    expect(readOnly.status).toBe(403);
    expect((await json(readOnly)).error).toMatchObject({
      message: "CSV 中有 1 处错误，未导入任何数据",
      details: [{ path: "rows.2.userid", message: "第 2 行「账号」：您无权修改王老师的资质（不在您负责的校区，或您的角色只能查看）" }],
    });
    const mixed = await importCsv(
      "hr_a",
      `${header}\nwang,王老师,其他证书,急救证,A1234,,,,2027-01-01\nzhao,赵老师,其他证书,急救证,B1234,,,,2027-01-01\nnobody,某人,其他证书,急救证,C1234,,,,\nwang,王小明,其他证书,急救证,D1234,,,,\nwang,王老师,教师资格证,,20154405112000123,数学,小学,2022-01-01,\n`,
    );
    expect(mixed.status).toBe(403);
    expect((await json(mixed)).error.details.map((d: { message: string }) => d.message)).toEqual([
      "第 3 行「账号」：您无权修改赵老师的资质（不在您负责的校区，或您的角色只能查看）",
      "第 4 行「账号」：通讯录中没有账号为「nobody」的员工",
      "第 5 行「姓名」：「王小明」与通讯录中该账号的姓名「王老师」不一致",
      "第 6 行「证书编号」：该证书已登记在李老师名下",
    ]);
    expect(await db.dataSource.query(`SELECT 1 FROM teacher_qualification WHERE staff_userid = 'wang'`)).toEqual([]);
    const badDate = await importCsv("hr_a", `${header}\nwang,王老师,其他证书,急救证,A1234,,,,2027-02-30\n`);
    expect(badDate.status).toBe(400);
    expect((await json(badDate)).error.details[0].message).toBe("第 2 行「有效期至」：「2027-02-30」不是有效日期，应为 YYYY-MM-DD");
  });

  it("lists records by the reader's branches with names and Chinese labels; only HR may import", async () => {
    const hr = await json(await fetch(`${base}/qualifications`, { headers: as("hr_a") }));
    expect(hr.data.canImport).toBe(true);
    expect(hr.data.records.map((r: Record<string, unknown>) => [r.staffName, r.departmentName, r.kindLabel, r.subject, r.dueOn, r.statusLabel, r.remindFrom])).toEqual([
      ["李老师", "朝阳校区", "教师资格证", "数学", "2026-09-01", "有效", "2026-06-03"],
      ["李老师", "朝阳校区", "其他证书", null, "2029-05-31", "有效", "2029-03-02"],
    ]);
    const head = await json(await fetch(`${base}/qualifications`, { headers: as("head_a") }));
    expect(head.data.canImport).toBe(false);
    expect(head.data.records).toHaveLength(2);
    const teacher = await json(await fetch(`${base}/qualifications`, { headers: as("zhao") }));
    expect(teacher.data).toMatchObject({ records: [], canImport: false });
    // A teacher reads their own records; not a colleague's.
    expect((await fetch(`${base}/staff/li/qualifications`, { headers: as("li") })).status).toBe(200);
    expect((await fetch(`${base}/staff/li/qualifications`, { headers: as("wang") })).status).toBe(403);
  });

  it("records, refuses and removes one certificate by API", async () => {
    const put = (userid: string, body: unknown) => fetch(`${base}/staff/wang/qualifications`, { method: "PUT", headers: as(userid), body: JSON.stringify(body) });
    const body = { kind: "other", certificateName: "急救员证", certificateNo: "JJ2024001", registeredOn: "2024-03-01", expiresOn: "2027-02-28" };
    const saved = await put("hr_a", body);
    expect(saved.status).toBe(200);
    expect((await json(saved)).data).toEqual({ outcome: "created", message: "已登记王老师的急救员证（编号 JJ2024001）" });
    expect((await json(await put("hr_a", body))).data.message).toBe("王老师的急救员证（编号 JJ2024001）没有变化");
    expect((await put("head_a", body)).status).toBe(403);
    const invalid = await put("hr_a", { kind: "teacher_certificate", certificateNo: "1", level: "大学" });
    expect(invalid.status).toBe(400);
    expect((await json(invalid)).error.message).toBe("证书编号：只能包含字母和数字（4–40 位）；学科：教师资格证须填写任教学科；学段：应为 幼儿园、小学、初级中学、高级中学、中等职业学校、中等职业学校实习指导、高等学校 之一");
    const [{ id }] = await db.dataSource.query(`SELECT id::text FROM teacher_qualification WHERE certificate_no = 'JJ2024001'`);
    expect((await fetch(`${base}/qualifications/${id}`, { method: "DELETE", headers: as("head_a") })).status).toBe(403);
    const removed = await fetch(`${base}/qualifications/${id}`, { method: "DELETE", headers: as("hr_a") });
    expect((await json(removed)).data.message).toBe("已删除王老师的急救员证（编号 JJ2024001）");
    expect((await fetch(`${base}/qualifications/${id}`, { method: "DELETE", headers: as("hr_a") })).status).toBe(404);
  });

  it("edits one record by id, names every changed field, refuses with reasons, and keeps who changed what", async () => {
    const created = await fetch(`${base}/staff/wang/qualifications`, {
      method: "PUT",
      headers: as("hr_a"),
      body: JSON.stringify({ kind: "other", certificateName: "急救员证", certificateNo: "JJ2025002", registeredOn: "2025-03-01", expiresOn: "2027-02-28" }),
    });
    expect(created.status).toBe(200);
    const [{ id }] = await db.dataSource.query(`SELECT id::text FROM teacher_qualification WHERE certificate_no = 'JJ2025002'`);
    const edit = (userid: string, body: unknown) => fetch(`${base}/qualifications/${id}`, { method: "PUT", headers: as(userid), body: JSON.stringify(body) });
    const body = { kind: "other", certificateName: "急救员证", certificateNo: "JJ2025003", registeredOn: "2025-03-01", expiresOn: "2028-02-29" };
    const edited = await edit("hr_a", body);
    expect(edited.status).toBe(200);
    expect((await json(edited)).data).toEqual({ outcome: "updated", message: "已更新王老师的急救员证（编号 JJ2025003）：证书编号：JJ2025002 → JJ2025003；有效期至：2027-02-28 → 2028-02-29" });
    expect((await json(await edit("hr_a", body))).data).toEqual({ outcome: "unchanged", message: "王老师的急救员证（编号 JJ2025003）没有变化" });
    // Refusals say why: a campus head only reads; another teacher's certificate; a bad field.
    const head = await edit("head_a", body);
    expect(head.status).toBe(403);
    const taken = await edit("hr_a", { kind: "other", certificateName: "普通话水平测试等级证书", certificateNo: "4411000123" });
    expect(taken.status).toBe(409);
    expect((await json(taken)).error.message).toBe("该证书已登记在李老师名下");
    const bad = await edit("hr_a", { ...body, expiresOn: "2025-01-01" });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toBe("有效期至：不能早于注册日期");
    expect((await fetch(`${base}/qualifications/999999`, { method: "PUT", headers: as("hr_a"), body: JSON.stringify(body) })).status).toBe(404);

    // The teacher reads their own record and its history (names, never accounts); a colleague does not.
    const own = await fetch(`${base}/qualifications/${id}`, { headers: as("wang") });
    expect(own.status).toBe(200);
    const detail = (await json(own)).data;
    expect(detail.canEdit).toBe(false);
    expect(detail.changes.map((c: { byName: string; action: string; text: string }) => [c.byName, c.action, c.text])).toEqual([
      ["人事小周", "修改", "证书编号：JJ2025002 → JJ2025003；有效期至：2027-02-28 → 2028-02-29"],
      ["人事小周", "登记", "证书类型 其他证书，证书名称 急救员证，证书编号 JJ2025002，注册日期 2025-03-01，有效期至 2027-02-28"],
    ]);
    expect(JSON.stringify(detail.changes)).not.toContain("hr_a");
    expect((await fetch(`${base}/qualifications/${id}`, { headers: as("li") })).status).toBe(403);
    expect((await json(await fetch(`${base}/qualifications/${id}`, { headers: as("hr_a") }))).data.canEdit).toBe(true);
    // A teacher's list holds their own records only.
    const mine = (await json(await fetch(`${base}/qualifications`, { headers: as("wang") }))).data;
    expect(mine.readsOthers).toBe(false);
    expect(mine.records.map((r: { certificateNo: string }) => r.certificateNo)).toEqual(["JJ2025003"]);

    expect((await fetch(`${base}/qualifications/${id}`, { method: "DELETE", headers: as("hr_a") })).status).toBe(200);
    const log = await db.dataSource.query(
      `SELECT action, changed_by, before->>'certificateNo' AS before_no, after->>'certificateNo' AS after_no FROM teacher_qualification_change WHERE qualification_id = $1 ORDER BY id`,
      [id],
    );
    expect(log).toEqual([
      { action: "created", changed_by: "hr_a", before_no: null, after_no: "JJ2025002" },
      { action: "updated", changed_by: "hr_a", before_no: "JJ2025002", after_no: "JJ2025003" },
      { action: "deleted", changed_by: "hr_a", before_no: "JJ2025003", after_no: null },
    ]);
    // Imports are logged too (the first test's two creates and one correction).
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM teacher_qualification_change WHERE staff_userid = 'li'`);
    expect(n).toBe(3);
  });

  it("reminds the teacher and their campus HR 90, 30 and 7 days before the registration, each once", async () => {
    const day = async (at: string) => {
      clock.set(at);
      await service.capabilities.people.openQualificationReminders();
      await service.capabilities.sweepReminders();
    };
    await day("2026-06-02T09:05:00+08:00"); // 91 days before 2026-09-01
    expect(await outbox()).toEqual([]);
    await day("2026-06-03T09:05:00+08:00");
    await day("2026-06-03T15:00:00+08:00"); // the same day again: nothing new
    await day("2026-06-20T09:05:00+08:00");
    const teacher90 = "【资质提醒】您的教师资格证（高级中学·数学，编号 20154405112000123）须于2026年9月1日前完成定期注册，还有 90 天。请及时办理，办理后把新的日期交给人事登记。";
    const hr90 = "【资质提醒】李老师（朝阳校区）的教师资格证（高级中学·数学，编号 20154405112000123）须于2026年9月1日前完成定期注册，还有 90 天，请提醒并跟进。";
    expect(await outbox()).toEqual([
      ["li", teacher90],
      ["hr_a", hr90],
    ]);
    // A re-import of the same file after the send does not send again.
    clock.set("2026-06-21T09:00:00+08:00");
    expect((await importCsv("hr_a", liCsv)).status).toBe(200);
    await day("2026-08-02T09:05:00+08:00");
    await day("2026-08-03T09:05:00+08:00");
    await day("2026-08-25T22:30:00+08:00"); // opened in quiet hours: sent next morning
    expect(await outbox()).toHaveLength(4);
    await day("2026-08-26T08:00:00+08:00");
    await day("2026-09-02T09:05:00+08:00"); // past the date: no more
    const sent = await outbox();
    expect(sent.map(([to, text]: [string, string]) => [to, /还有 (\d+) 天/.exec(text)?.[1]])).toEqual([
      ["li", "90"],
      ["hr_a", "90"],
      ["li", "30"],
      ["hr_a", "30"],
      ["li", "6"],
      ["hr_a", "6"],
    ]);
  });

  it("a renewed registration starts its own reminders and closes the old date's", async () => {
    clock.set("2026-09-03T10:00:00+08:00");
    expect((await importCsv("hr_a", liCsv.replace("2021-09-01", "2026-09-02"))).status).toBe(200);
    const [{ due }] = await db.dataSource.query(`SELECT to_char(due_on, 'YYYY-MM-DD') AS due FROM teacher_qualification WHERE name = '教师资格证'`);
    expect(due).toBe("2031-09-02");
    await service.capabilities.people.openQualificationReminders();
    await service.capabilities.sweepReminders();
    expect(await outbox()).toHaveLength(6);
    clock.set("2031-06-04T09:05:00+08:00");
    await service.capabilities.people.openQualificationReminders();
    await service.capabilities.sweepReminders();
    const sent = await outbox();
    expect(sent.slice(6).map(([to, text]: [string, string]) => [to, text.includes("须于2031年9月2日前完成定期注册，还有 90 天")])).toEqual([
      ["li", true],
      ["hr_a", true],
    ]);
  });

  it("the successor plan says when no eligible teacher holds a certificate for the leaver's subject", async () => {
    const plan = () =>
      db.dataSource.transaction(async (m) => {
        await savePlan(m, "li", { parentIds: [], groupIds: [] }, { origin: "hr", now: clock.now() });
        return planView(m, "li");
      });
    expect((await plan()).qualificationNote).toBe("无同学科持证教师：没有可接替的老师持有数学学科的教师资格证，方案中的接替老师未持该学科证书，请人事确认");
    clock.set("2026-09-04T10:00:00+08:00");
    expect((await importCsv("hr_a", `${header}\nwang,王老师,教师资格证,,20164405112000456,数学,初级中学,2022-09-01,\n`)).status).toBe(200);
    expect((await plan()).qualificationNote).toBeNull();
    // 王老师 registered 2022-09-01: due again 2027-09-01. The day after, her certificate no longer counts.
    clock.set("2027-09-01T10:00:00+08:00");
    expect((await plan()).qualificationNote).toBeNull();
    clock.set("2027-09-02T10:00:00+08:00");
    expect((await plan()).qualificationNote).toBe("无同学科持证教师：没有可接替的老师持有数学学科的教师资格证，方案中的接替老师未持该学科证书，请人事确认");
  });

  it("a certificate registered later refreshes an unconfirmed plan (HR's pick kept) and only annotates a confirmed one", async () => {
    clock.set("2027-09-10T10:00:00+08:00"); // 王老师's 数学 registration lapsed on 2027-09-01
    await db.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department, subject) VALUES ('sun', '孙老师', '{2}', 2, '数学')`);
    await db.dataSource.transaction(async (m) => {
      await savePlan(m, "li", { parentIds: ["wm_p1", "wm_p2"], groupIds: [] }, { origin: "hr", now: clock.now() });
      await applyOverrides(m, "li", { parents: { wm_p2: "sun" } }, clock.now());
    });
    const items = async () =>
      Object.fromEntries(
        (await db.dataSource.query(`SELECT item_id, successor_userid, hr_choice FROM reassignment_item WHERE leaver_userid = 'li' ORDER BY item_id`)).map(
          (r: { item_id: string; successor_userid: string; hr_choice: string | null }) => [r.item_id, [r.successor_userid, r.hr_choice]],
        ),
      );
    const view = () => db.dataSource.transaction((m) => planView(m, "li"));
    // Nobody certified: the tie between 孙老师 and 王老师 goes to 孙老师.
    expect(await items()).toEqual({ wm_p1: ["sun", null], wm_p2: ["sun", "sun"] });

    const renewed = await importCsv("hr_a", `${header}\nwang,王老师,教师资格证,,20164405112000456,数学,初级中学,2027-09-05,\n`);
    expect((await json(renewed)).data.message).toBe("已导入 1 行：新增 0 条，更新 1 条，未变化 0 条；已按新的资质重新计算 1 个未确认交接方案的接替建议（李老师）");
    expect(await items()).toEqual({ wm_p1: ["wang", null], wm_p2: ["sun", "sun"] });
    let plan = await view();
    expect(plan.state).toBe("draft");
    expect(plan.qualificationNote).toBeNull();
    expect(plan.certificateChangeNote).toBe(
      "2027-09-10 教师资质有变化，接替建议已重新计算：1 位家长改由王老师接替；数学学科已有持有效教师资格证的老师，「无同学科持证教师」提示已消除。人事指定的接替老师未改动。",
    );

    // Once HR confirmed the plan, a deleted certificate changes nothing in it: the plan only says what it would change.
    await db.dataSource.transaction((m) => confirmPlan(m, "li", "hr_a", clock.now()));
    clock.set("2027-09-11T10:00:00+08:00");
    const [{ id }] = await db.dataSource.query(`SELECT id::text FROM teacher_qualification WHERE certificate_no = '20164405112000456'`);
    const removed = await fetch(`${base}/qualifications/${id}`, { method: "DELETE", headers: as("hr_a") });
    expect((await json(removed)).data.message).toBe("已删除王老师的教师资格证（编号 20164405112000456）；1 个已确认的交接方案未改动，已在方案中注明资质变化（李老师）");
    expect(await items()).toEqual({ wm_p1: ["wang", null], wm_p2: ["sun", "sun"] });
    plan = await view();
    expect(plan.state).toBe("confirmed");
    expect(plan.certificateChangeNote).toBe(
      "2027-09-11 教师资质有变化：按新的资质，1 位家长将改由孙老师接替；已没有可接替的老师持有数学学科的有效教师资格证。本方案已由人事确认，未自动修改；如需调整，请修改方案（修改后需重新确认）。",
    );
    // A write that changes nothing for the plan leaves its note as it was.
    const unrelated = await importCsv("hr_a", `${header}\nwang,王老师,其他证书,急救证,JJ2027001,,,,2030-01-01\n`);
    expect((await json(unrelated)).data.message).toBe("已导入 1 行：新增 1 条，更新 0 条，未变化 0 条");
  });

  it("a registration that lapses with time alone refreshes an unconfirmed plan the next night, once", async () => {
    clock.set("2027-09-12T10:00:00+08:00");
    expect((await importCsv("hr_a", `${header}\nwang,王老师,教师资格证,,20164405112000789,数学,初级中学,2027-09-12,\n`)).status).toBe(200);
    await db.dataSource.transaction((m) => applyOverrides(m, "li", { parents: {} }, clock.now()));
    const items = async () =>
      Object.fromEntries(
        (await db.dataSource.query(`SELECT item_id, successor_userid FROM reassignment_item WHERE leaver_userid = 'li' ORDER BY item_id`)).map(
          (r: { item_id: string; successor_userid: string }) => [r.item_id, r.successor_userid],
        ),
      );
    expect(await items()).toEqual({ wm_p1: "wang", wm_p2: "sun" });
    const job = service.capabilities.jobs.find((j) => j.name === "handover-certificate-lapses")!;
    const note = async () => (await db.dataSource.query(`SELECT certificate_change_note AS note, certificate_change_at AS at FROM reassignment_plan WHERE leaver_userid = 'li'`))[0];

    // Due again 2032-09-12: that night nothing changes yet; the night after, 王老师's certificate no longer counts.
    clock.set("2032-09-12T00:05:00+08:00");
    const before = await note();
    await job.run();
    expect(await note()).toEqual(before);
    expect(await items()).toEqual({ wm_p1: "wang", wm_p2: "sun" });

    clock.set("2032-09-13T00:05:00+08:00");
    await job.run();
    expect(await items()).toEqual({ wm_p1: "sun", wm_p2: "sun" });
    const lapsed = await note();
    expect(lapsed.note).toBe("教师资质有变化，接替建议已重新计算：1 位家长改由孙老师接替；已没有可接替的老师持有数学学科的有效教师资格证。人事指定的接替老师未改动。");
    const view = await db.dataSource.transaction((m) => planView(m, "li"));
    expect(view.certificateChangeNote).toBe(`2032-09-13 ${lapsed.note}`);

    // A second instance, or a rerun, the same night: nothing new to say.
    clock.set("2032-09-13T00:06:00+08:00");
    await job.run();
    expect(await note()).toEqual(lapsed);
  });
});
