import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAuth } from "../../src/auth/module";
import { reassignmentRoutes } from "../../src/handover/routes/reassignmentRoutes";
import { sweepUnassigned } from "../../src/handover/unassigned/unassignedSweep";
import { createApp } from "../../src/platform/http/createApp";
import { silentLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { json } from "../support/http";
import { testConfig } from "../support/testConfig";
import { family, leaverLeaves, PATHS, startHarness, type Harness } from "./harness";

describe("HR reassignment API", () => {
  let h: Harness;
  let server: Server;
  let base: string;
  let as: (userid: string) => Record<string, string>;
  const parents = family(6, "wm_r");
  beforeAll(async () => {
    h = await startHarness(parents);
    const services = { config: testConfig(), logger: silentLogger(), clock: h.clock, dataSource: h.db.dataSource, metrics: createMetrics({ collectProcessMetrics: false }) };
    const auth = createAuth(services);
    const app = createApp({
      logger: silentLogger(),
      metrics: services.metrics,
      routers: [reassignmentRoutes({ dataSource: h.db.dataSource, clock: h.clock, auth: auth.console, reassignments: h.reassignments })],
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/handover/reassignments/teacher_a`;
    as = (userid) => ({ Authorization: `Bearer ${auth.tokens.issue(userid, "console", h.clock.now(), 3600)}`, "content-type": "application/json" });
  }, 60_000);
  afterAll(async () => {
    server.close();
    await h.close();
  });

  it("shows HR the plan with counts per successor, takes overrides by class and by parent, and needs confirmation", async () => {
    expect((await fetch(`${base}/plan`, { method: "POST", headers: as("hr_a") })).status).toBe(201);
    const plan = (await json(await fetch(`${base}/plan`, { headers: as("hr_a") }))).data;
    expect(plan.state).toBe("draft");
    expect(plan.perSuccessor).toEqual([
      { successorUserid: "t_b", name: "王老师", parents: 3, groups: 0 },
      { successorUserid: "t_c", name: "刘老师", parents: 3, groups: 0 },
    ]);
    expect(plan.progress).toMatchObject({ parentsTotal: 6, parentsTransferred: 0 });

    const changed = await fetch(`${base}/plan/overrides`, {
      method: "PUT",
      headers: as("hr_a"),
      body: JSON.stringify({ classes: { C2: "t_b" }, parents: { [parents.c2[0]!]: "t_c" } }),
    });
    expect(changed.status).toBe(200);
    const after = (await json(changed)).data;
    expect(after.perSuccessor).toEqual([
      { successorUserid: "t_b", name: "王老师", parents: 5, groups: 0 },
      { successorUserid: "t_c", name: "刘老师", parents: 1, groups: 0 },
    ]);
    expect(after.items.find((i: { id: string }) => i.id === parents.c2[1]).reason).toBe("hr_choice");

    // A pick the plan would pass over is refused with the reason, and nothing changes.
    const refused = await fetch(`${base}/plan/overrides`, { method: "PUT", headers: as("hr_a"), body: JSON.stringify({ parents: { [parents.c1[0]!]: "teacher_a" } }) });
    expect(refused.status).toBe(422);
    expect((await json(refused)).error).toMatchObject({ code: "successor_refused", details: { successor: "teacher_a", refusal: "is_leaver" } });
    expect((await json(await fetch(`${base}/plan`, { headers: as("hr_a") }))).data.perSuccessor).toEqual(after.perSuccessor);

    const early = await fetch(`${base}/on-job-transfer`, { method: "POST", headers: as("hr_a"), body: "{}" });
    expect(early.status).toBe(409);
    expect((await fetch(`${base}/plan/confirm`, { method: "POST", headers: as("hr_a") })).status).toBe(200);
    const tooLong = await fetch(`${base}/on-job-transfer`, { method: "POST", headers: as("hr_a"), body: JSON.stringify({ message: "长".repeat(201) }) });
    expect(tooLong.status).toBe(400);
    const started = await fetch(`${base}/on-job-transfer`, { method: "POST", headers: as("hr_a"), body: JSON.stringify({ message: "家长您好，今后由新老师负责孩子的学习沟通。" }) });
    expect(started.status).toBe(202);
    await h.run();
    const calls = h.sandbox.calls.callsTo(PATHS.onJob);
    expect(calls.map((c) => (c.body as { external_userid: string[] }).external_userid.length).sort()).toEqual([1, 5]);
    expect((calls[0]!.body as { transfer_success_msg: string }).transfer_success_msg).toBe("家长您好，今后由新老师负责孩子的学习沟通。");
    const locked = await fetch(`${base}/plan/overrides`, { method: "PUT", headers: as("hr_a"), body: JSON.stringify({ classes: { C1: "t_c" } }) });
    expect(locked.status).toBe(409);
  });

  it("refuses HR of another branch and plain employees", async () => {
    expect((await fetch(`${base}/plan`, { headers: as("hr_x") })).status).toBe(403);
    expect((await fetch(`${base}/plan/overrides`, { method: "PUT", headers: as("hr_x"), body: JSON.stringify({ classes: { C1: "hr_x" } }) })).status).toBe(403);
    expect((await fetch(`${base}/plan`, { headers: as("t_b") })).status).toBe(403);
    expect((await fetch(`${base}/plan`)).status).toBe(401);
  });
});

describe("unassigned sweep", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ c1: ["wm_u1"], c2: ["wm_u2"] }, { groupChats: [{ chatId: "wr_only", owner: "t_c" }] });
  }, 60_000);
  afterAll(() => h.close());

  it("catches staff removed from WeCom outside the flow (parents or only groups) and runs the same lifecycle once", async () => {
    // teacher_a leaves in WeCom only; t_c leaves in WeCom and the directory, owning a group but no parents.
    await h.sandbox.actors.memberLeaves("teacher_a");
    await leaverLeaves(h, "t_c");
    await h.db.dataSource.query(`UPDATE staff SET status = 5 WHERE userid = 'teacher_a'`);
    const started = await sweepUnassigned(h.deps, h.reassignments);
    expect(started.sort()).toEqual(["t_c", "teacher_a"]);
    await h.run();
    const sent = h.sandbox.calls.callsTo(PATHS.resigned).flatMap((c) => (c.body as { external_userid: string[] }).external_userid);
    expect(sent.sort()).toEqual(["wm_u1", "wm_u2"]);
    expect(h.sandbox.calls.callsTo(PATHS.groupResigned)).toHaveLength(1);
    expect(h.sandbox.state.groupChats.get("wr_only")!.owner).toBe("t_b");
    // Leavers already in a flow are skipped.
    expect(await sweepUnassigned(h.deps, h.reassignments)).toEqual([]);
    const [{ origin }] = await h.db.dataSource.query(`SELECT origin FROM reassignment_plan WHERE leaver_userid = 'teacher_a'`);
    expect(origin).toBe("unassigned_sweep");
  });
});
