import { runTransferLifecycle } from "../../src/handover/lifecycle";
import { family, handoverObjects, leaverLeaves, PATHS, startHarness, statusCounts, type Harness } from "./harness";

/**
 * Two service instances run the transfer lifecycle at the same moment on one database, each with
 * its own WeCom client. Judged on what WeCom was asked (the sandbox's call log), not on the
 * sandbox's bookkeeping: each recorded call is sent by exactly one instance (its row lock), so
 * every parent is asked exactly once.
 */
describe("two instances running the transfer lifecycle at once", () => {
  let h: Harness;
  const parents = family(450, "wm_i");
  const everyone = [...parents.c1, ...parents.c2];
  beforeAll(async () => {
    h = await startHarness({ c1: everyone, c2: [] });
    await leaverLeaves(h);
  }, 60_000);
  afterAll(() => h.close());

  it("sends each recorded call once: 5 calls, every parent asked exactly once and accepted", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    const other = handoverObjects(h.db.dataSource, h.clock, h.sandbox.url);
    const [a, b] = await Promise.all([h.run(), runTransferLifecycle(other.deps)]);
    expect(a.customerCallsSent + b.customerCallsSent).toBe(5);

    const asked = new Map<string, number[]>();
    for (const call of h.sandbox.calls.callsTo(PATHS.resigned)) {
      const answer = call.response as { errcode: number; customer: Array<{ external_userid: string; errcode: number }> };
      for (const c of answer.customer) asked.set(c.external_userid, [...(asked.get(c.external_userid) ?? []), c.errcode]);
    }
    expect(h.sandbox.calls.callsTo(PATHS.resigned)).toHaveLength(5);
    expect([...asked.keys()].sort()).toEqual([...everyone].sort());
    expect([...asked].filter(([, codes]) => codes.join(",") !== "0").map(([p]) => p)).toEqual([]);
    expect(await statusCounts(h)).toEqual({ waiting: 450 });
    expect(await h.db.dataSource.query(`SELECT state, count(*)::int AS n FROM transfer_call GROUP BY state`)).toEqual([{ state: "answered", n: 5 }]);
  }, 120_000);
});
