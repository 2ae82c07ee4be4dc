import type Router from "@koa/router";
import { edgeMiddlewareName, routeDescription, type RouteDescription } from "../../src/platform/http/route";
import { startConsoleHarness, type ConsoleHarness } from "../console/consoleHarness";

interface MountedRoute {
  methods: string[];
  path: string;
  description: RouteDescription;
}

/** Every route the running service mounts, read off its routers; anything not built by the route chain fails here. */
function walk(h: ConsoleHarness): { routes: MountedRoute[]; outside: string[] } {
  const routes: MountedRoute[] = [];
  const outside: string[] = [];
  for (const middleware of h.service.app.middleware) {
    const router = (middleware as { router?: Router }).router;
    if (!router) continue;
    for (const layer of router.stack) {
      if (layer.methods.length === 0) {
        // A router-level `use`: only error shaping (and 405 answers) may sit there.
        for (const mw of layer.stack) if (!edgeMiddlewareName(mw)) outside.push(`use ${String(layer.path)}`);
        continue;
      }
      const description = layer.stack.length === 1 ? routeDescription(layer.stack[0]) : undefined;
      if (!description) outside.push(`${layer.methods.join(",")} ${String(layer.path)}`);
      else routes.push({ methods: layer.methods, path: String(layer.path), description });
    }
  }
  return { routes, outside };
}

/**
 * Single-resource GETs whose policy check lives in the capability they call
 * (ConversationReads authorizes the exact thread or export subject and logs
 * the access), or whose resource is the caller's own.
 */
// The search index's progress is a chain-wide percentage for anyone with an archive scope (403 otherwise), nothing per campus.
// A successor's inheritance and the handover checklists they must sign are the caller's own (filtered by their userid, no subject asked for).
const AUTHORIZED_INSIDE = new Set([
  "GET /api/conversations/threads",
  "GET /api/conversations/export",
  // A stored file: ConversationReads.media finds the message's thread and authorizes that thread (403 otherwise).
  "GET /api/conversations/media/:msgid",
  "GET /api/mp/resignation/overview",
  "GET /api/conversations/search/status",
  "GET /api/handover/inherited",
  "GET /api/hr/handover-duties",
  // The work-account rules a member signs are the caller's own (the session's WeCom identity, no subject asked for).
  "GET /api/mp/work-rules",
]);

describe("route walk", () => {
  let h: ConsoleHarness;
  let mounted: ReturnType<typeof walk>;
  beforeAll(async () => {
    h = await startConsoleHarness();
    const q = (sql: string) => h.db.dataSource.query(sql);
    await q(`INSERT INTO staff (userid, name, department_ids, main_department, position, status) VALUES ('head_sh', '上海校长', '{3}', 3, '校长', 1), ('hq_boss', '集团管理员', '{1}', 1, '管理员', 1)`);
    await q(`INSERT INTO role_grant (userid, role, department_id, granted_by) VALUES ('head_sh', 'campus_head', 3, 'seed'), ('hq_boss', 'hq_admin', NULL, 'seed')`);
    await q(`INSERT INTO alumni (userid, name, position, department_id, reason_category, left_on, performance_grade) VALUES ('teacher_a_old', '张老师', '教师', 2, 'relocation', '2026-01-31', 'A')`);
    await q(`INSERT INTO teacher_qualification (staff_userid, kind, name, certificate_no, subject, level, registered_on, due_on, updated_by, updated_at)
             VALUES ('teacher_a', 'teacher_certificate', '教师资格证', '20154405112000123', '数学', '高级中学', '2022-09-01', '2027-09-01', 'hr_bj', now())`);
    await q(`INSERT INTO work_rules_signature (userid, opened_at) VALUES ('teacher_a', now() - interval '3 days')`);
    h.sandbox.state.seed({ users: [{ userid: "head_sh", name: "上海校长", departments: [3] }, { userid: "hq_boss", name: "集团管理员", departments: [1] }] });
    mounted = walk(h);
  }, 120_000);
  afterAll(() => h.close());

  it("finds every mounted route built by the shared chain, and nothing else mounted beside it", () => {
    expect(mounted.outside).toEqual([]);
    expect(mounted.routes.length).toBeGreaterThan(60);
  });

  it("has every session-guarded API read either load and authorize its one resource or declare the scope of its list", () => {
    const unguarded = mounted.routes
      .filter((r) => r.methods.includes("GET") && r.path.startsWith("/api/") && !r.description.auth.startsWith("public"))
      .filter((r) => !r.description.load && !r.description.list && !AUTHORIZED_INSIDE.has(`GET ${r.path}`))
      .map((r) => r.path);
    expect(unguarded).toEqual([]);
  });

  it("has every change load and authorize exactly the resource it acts on", () => {
    const open = mounted.routes
      .filter((r) => !r.methods.includes("GET") && r.path.startsWith("/api/") && r.description.auth.includes("session"))
      .filter((r) => !r.description.load)
      .map((r) => `${r.methods.join(",")} ${r.path}`);
    // Creating a case authorizes the employee it names inside registerInformalNotice; an employee opens only their own;
    // a terms or qualifications CSV authorizes each person on its rows (all or nothing); a member signs their own work rules.
    expect(open.sort()).toEqual([
      "POST /api/admin/qualifications/import",
      "POST /api/admin/staff/terms/import",
      "POST /api/hr/resignations",
      "POST /api/mp/resignations",
      "POST /api/mp/work-rules/sign",
    ]);
  });

  /** One request per list endpoint, asking for campus 北京's things where the list takes a subject. */
  const range = "from=2026-02-01T00:00:00Z&to=2026-03-03T00:00:00Z";
  const probes: Record<string, { path: string; page?: boolean; hqSees: boolean }> = {
    "/ops/inbox/dead": { path: "/ops/inbox/dead", hqSees: false },
    "/api/admin/roles": { path: "/api/admin/roles", hqSees: true },
    // Teachers' certificates: one of 张老师's is seeded below.
    "/api/admin/qualifications": { path: "/api/admin/qualifications", hqSees: true },
    "/api/conversations/staff/:userid": { path: `/api/conversations/staff/teacher_a?${range}`, hqSees: true },
    "/api/conversations/parents/:externalUserid": { path: `/api/conversations/parents/wm_p1?${range}`, hqSees: true },
    // Keyword search across the reader's whole scope (no staff filter): the blind index must keep 北京 out for 上海.
    "/api/conversations/search": { path: `/api/conversations/search?q=${encodeURIComponent("作业")}&${range}`, hqSees: true },
    "/api/hr/cases": { path: "/api/hr/cases", hqSees: true },
    "/api/hr/alumni": { path: "/api/hr/alumni", hqSees: true },
    // Who has not signed the work-account rules: 张老师 is seeded below as unsigned.
    "/api/hr/work-rules/unsigned": { path: "/api/hr/work-rules/unsigned", hqSees: true },
    // Whom HR may name on a case (register, receiver, supervisor): the change scope's staff only.
    "/api/hr/case-people": { path: "/api/hr/case-people", hqSees: true },
    "/api/hr/alerts": { path: "/api/hr/alerts", hqSees: true },
    // Withdrawn archive consents HR may hold from erasure: none is withdrawn here, so scope only (erasureHoldsBrowser
    // shows 上海's HR none of 北京's withdrawals).
    "/api/conversations/erasure-holds": { path: "/api/conversations/erasure-holds", hqSees: false },
    // No handover has happened in this harness: the probe checks scope only (handover health has its own tests).
    "/api/hr/handover-health": { path: "/api/hr/handover-health", hqSees: false },
    "/console": { path: "/console", page: true, hqSees: true },
    "/console/settings": { path: "/console/settings", page: true, hqSees: true },
    // The handover-health API's page: scoped by that API (no handover in this harness, as above).
    "/console/retention": { path: "/console/retention", page: true, hqSees: false },
  };
  const campusA = () => ["teacher_a", "张老师", h.caseBj, "北京", "wm_p1", "hr_bj"];
  const read = async (userid: string, probe: { path: string; page?: boolean }) => {
    const auth: Record<string, string> = probe.page ? { cookie: `wpg_session=${await h.login(userid)}` } : { Authorization: `Bearer ${h.apiToken(userid)}` };
    const res = await fetch(`${h.base}${probe.path}`, { headers: auth, redirect: "manual" });
    return { status: res.status, text: await res.text() };
  };

  it("has a probe for every list endpoint", () => {
    const lists = mounted.routes.filter((r) => r.description.list).map((r) => r.path);
    expect(lists.sort()).toEqual(Object.keys(probes).sort());
  });

  it.each(["hr_sh", "head_sh"])("gives %s (campus 上海) nothing of campus 北京 from any list", async (userid) => {
    for (const [route, probe] of Object.entries(probes)) {
      const { status, text } = await read(userid, probe);
      expect({ route, status: [200, 401, 403, 404].includes(status) }).toEqual({ route, status: true });
      for (const marker of campusA()) expect({ route, leaked: text.includes(marker) ? marker : null }).toEqual({ route, leaked: null });
    }
  });

  it("while HQ sees campus 北京 in those lists (the probes reach real data)", async () => {
    for (const [route, probe] of Object.entries(probes)) {
      if (!probe.hqSees) continue;
      const { status, text } = await read("hq_boss", probe);
      expect({ route, status }).toEqual({ route, status: 200 });
      expect({ route, sees: campusA().some((m) => text.includes(m)) }).toEqual({ route, sees: true });
    }
  });
});
