import { startConsoleHarness, type ConsoleHarness } from "../console/consoleHarness";
import { json } from "../support/http";

/**
 * Issue 14's breaks, each written as the attack: campus 上海 (3) attacks
 * campus 北京 (2), whose teacher_a is leaving with a successor plan, an open
 * alert and archived chats.
 */
describe("attacks on the HTTP surface", () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
    await h.db.dataSource.query(`INSERT INTO staff (userid, name, department_ids, main_department, position, status) VALUES ('head_sh', '上海校长', '{3}', 3, '校长', 1)`);
    await h.db.dataSource.query(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('head_sh', 'campus_head', 3, 'seed')`);
    await h.db.dataSource.query(`INSERT INTO alumni (userid, name, position, department_id, reason_category, left_on, performance_grade) VALUES ('old_bj', '北京旧老师', '教师', 2, 'relocation', '2026-01-31', 'B')`);
  }, 120_000);
  afterAll(() => h.close());

  const call = (userid: string, method: string, path: string, body?: unknown) =>
    fetch(`${h.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${path.startsWith("/api/mp/") ? h.mpToken(userid) : h.apiToken(userid)}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const planOf = async (leaver: string) =>
    h.db.dataSource.query(`SELECT item_id, hr_choice FROM reassignment_item WHERE leaver_userid = $1 ORDER BY item_id`, [leaver]);
  const onJobTransfers = () => h.sandbox.calls.callsTo("/cgi-bin/externalcontact/transfer_customer").length;

  describe("1. a body never replaces the URL's resource", () => {
    it("refuses 上海 HR's override of their own teacher's plan that names 北京's teacher in the body, and 北京's plan is untouched", async () => {
      const before = await planOf("teacher_a");
      const res = await call("hr_sh", "PUT", "/api/handover/reassignments/teacher_s/plan/overrides", {
        leaver: "teacher_a",
        parents: Object.fromEntries(h.parents.c1.map((p) => [p, "hr_sh"])),
      });
      expect(res.status).toBe(400);
      expect((await json(res)).error.details).toEqual([{ in: "body", path: "leaver", message: "请求体不能包含路径参数 leaver" }]);
      expect(await planOf("teacher_a")).toEqual(before);
    });

    it("refuses the on-job transfer of their own teacher that names 北京's teacher in the body, and queues no WeCom transfer", async () => {
      const transfers = onJobTransfers();
      const res = await call("hr_sh", "POST", "/api/handover/reassignments/teacher_s/on-job-transfer", { leaver: "teacher_a" });
      expect(res.status).toBe(400);
      expect((await json(res)).error.details[0]).toMatchObject({ in: "body", path: "leaver" });
      const queued = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM customer_transfer WHERE leaver_userid = 'teacher_a'`);
      expect(queued[0].n).toBe(0);
      expect(onJobTransfers()).toBe(transfers);
    });

    it("still refuses 上海 HR acting on 北京's teacher through the URL", async () => {
      expect((await call("hr_sh", "PUT", "/api/handover/reassignments/teacher_a/plan/overrides", { classes: { C1: "hr_sh" } })).status).toBe(403);
      expect((await call("hr_sh", "POST", "/api/handover/reassignments/teacher_a/on-job-transfer", {})).status).toBe(403);
    });
  });

  describe("2. read-only roles never write", () => {
    it("refuses a campus head marking an alert of their own campus a false positive, and the alert stays open", async () => {
      const res = await call("head_bj", "POST", `/api/hr/alerts/${h.alertId}/false-positive`, { reason: "我觉得没问题" });
      expect(res.status).toBe(403);
      const [alert] = await h.db.dataSource.query(`SELECT status FROM alert WHERE id = $1`, [h.alertId]);
      expect(alert.status).toBe("open");
      const actions = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM alert_action WHERE alert_id = $1`, [h.alertId]);
      expect(actions[0].n).toBe(0);
    });

    it("refuses a campus head freezing the account or changing branch settings", async () => {
      expect((await call("head_bj", "POST", `/api/hr/alerts/${h.alertId}/freeze`)).status).toBe(403);
      expect((await call("head_bj", "PUT", "/api/hr/reminder-policy/2", { firstAfterHours: 24, everyHours: 24, escalateAfter: 3, quietHours: { start: "22:00", end: "07:00", tz: "Asia/Shanghai" } })).status).toBe(403);
      expect((await call("head_bj", "PUT", `/api/hr/cases/${h.caseBj}/parties`, { receiverUserid: "t_b" })).status).toBe(403);
    });
  });

  describe("3. the successor reads what they inherit, never the leaver's case", () => {
    beforeAll(async () => {
      // 王老师 (t_b) receives 张老师's handover; 北京's campus head supervises it.
      const res = await call("hr_bj", "PUT", `/api/hr/cases/${h.caseBj}/parties`, { receiverUserid: "t_b", supervisorUserid: "head_bj" });
      expect(res.status).toBe(200);
    });

    it.each([
      ["the case (HR API)", ""],
      ["the dossier as JSON", "/dossier.json"],
      ["the dossier as Markdown", "/dossier.md"],
      ["the reminders sent", "/reminders"],
      ["the settlement", "/settlement"],
    ])("refuses the receiver %s", async (_what, suffix) => {
      const res = await call("t_b", "GET", `/api/hr/cases/${h.caseBj}${suffix}`);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain("张老师");
    });

    it("refuses the receiver the case, the written notice and the certificate through the mini-program API", async () => {
      for (const suffix of ["", "/notice", "/certificate"]) expect((await call("t_b", "GET", `/api/mp/resignations/${h.caseBj}${suffix}`)).status).toBe(403);
      expect((await call("t_b", "POST", `/api/hr/cases/${h.caseBj}/dossier/verify`, {})).status).toBe(403);
    });

    it("refuses the receiver the console's case page", async () => {
      const cookie = await h.login("t_b");
      const res = await fetch(`${h.base}/console/cases/${h.caseBj}`, { headers: { cookie: `wpg_session=${cookie}` }, redirect: "manual" });
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain("离职原因");
    });

    it("still lets the receiver and the supervisor open the handover checklist they sign, and nobody else", async () => {
      expect((await call("t_b", "GET", `/api/mp/resignations/${h.caseBj}/checklist`)).status).toBe(200);
      expect((await call("head_bj", "GET", `/api/mp/resignations/${h.caseBj}/checklist`)).status).toBe(200);
      expect((await call("t_c", "GET", `/api/mp/resignations/${h.caseBj}/checklist`)).status).toBe(403);
    });
  });

  describe("one scope per list", () => {
    it("shows the alumni list to 北京's campus head without grades, to 北京's HR with them, and to 上海 not at all", async () => {
      const as = async (userid: string) => (await json(await call(userid, "GET", "/api/hr/alumni"))).alumni;
      expect(await as("head_bj")).toEqual([expect.objectContaining({ userid: "old_bj", performance_grade: null })]);
      expect(await as("hr_bj")).toEqual([expect.objectContaining({ userid: "old_bj", performance_grade: "B" })]);
      expect(await as("hr_sh")).toEqual([]);
      expect(await as("head_sh")).toEqual([]);
    });
  });

  describe("5. control characters and over-long input at the edge", () => {
    const range = "from=2026-02-01T00:00:00Z&to=2026-03-03T00:00:00Z";
    const apiProbes: [string, string][] = [
      ["archive search", `/api/conversations/search?staff=teacher_a&q=%00&${range}`],
      ["staff threads", "/api/conversations/staff/teacher_a%00"],
      ["parent threads", "/api/conversations/parents/wm_p1%00"],
      ["one thread", "/api/conversations/threads?staff=teacher_a&parent=wm%00p1"],
      ["export", "/api/conversations/export?staff=teacher_a%00"],
      ["plan", "/api/handover/reassignments/teacher%00a/plan"],
    ];
    it.each(apiProbes)("answers %s with %%00 by 400 naming the field", async (_name, path) => {
      const res = await call("hr_bj", "GET", path);
      expect(res.status).toBe(400);
      const error = (await json(res)).error;
      expect(error.code).toBe("validation_failed");
      expect(error.details[0].message).toBe("包含不允许的控制字符");
    });

    it("answers the plan's POST with %00 by 400", async () => {
      expect((await call("hr_bj", "POST", "/api/handover/reassignments/teacher%00a/plan")).status).toBe(400);
    });

    it.each([
      ["console plan page", "/console/handover/teacher%00a"],
      ["console archive search", "/console/archive?who=staff&id=teacher_a%00"],
      ["console archive thread", "/console/archive/thread?staff=teacher_a&parent=wm_p1%00"],
    ])("answers the %s with %%00 by a 400 page", async (_name, path) => {
      const cookie = await h.login("hr_bj");
      const res = await fetch(`${h.base}${path}`, { headers: { cookie: `wpg_session=${cookie}` }, redirect: "manual" });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("包含不允许的控制字符");
    });

    it("answers a 5,000-character field by 400 naming it, on an id and in a body", async () => {
      const longId = await call("hr_bj", "GET", `/api/conversations/staff/${"a".repeat(5000)}`);
      expect(longId.status).toBe(400);
      expect((await json(longId)).error.details).toEqual([{ in: "params", path: "userid", message: "过长（最多 128 个字符）" }]);
      const longReason = await call("hr_bj", "POST", `/api/hr/alerts/${h.alertId}/false-positive`, { reason: "误".repeat(5000) });
      expect(longReason.status).toBe(400);
      expect((await json(longReason)).error.details).toEqual([{ in: "body", path: "reason", message: "过长（最多 2000 个字符）" }]);
    });
  });
});
