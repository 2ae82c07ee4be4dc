import { reassignmentFacts } from "../../src/handover/reassignmentFacts";
import { inheritedThreads } from "../../src/handover/successorAccess";
import { family, leaverLeaves, PATHS, startHarness, statusCounts, type Harness } from "./harness";

describe("resigned reassignment of 5,000 parents against the sandbox", () => {
  let h: Harness;
  const parents = family(5000);
  beforeAll(async () => {
    h = await startHarness(parents);
    await leaverLeaves(h);
  }, 60_000);
  afterAll(() => h.close());

  it("plans by class co-teacher, sends exactly 50 calls of 100, and completes after 24 h with result polls", async () => {
    const started = await h.reassignments.startResignedReassignment("teacher_a");
    expect(started.parentsQueued).toBe(5000);
    const [perSuccessor] = [await h.db.dataSource.query(`SELECT successor_userid, count(*)::int AS n FROM reassignment_item GROUP BY 1 ORDER BY 1`)];
    expect(perSuccessor).toEqual([{ successor_userid: "t_b", n: 2500 }, { successor_userid: "t_c", n: 2500 }]);

    const first = await h.run();
    expect(first.customerCallsSent).toBe(50);
    const calls = h.sandbox.calls.callsTo(PATHS.resigned);
    expect(calls).toHaveLength(50);
    expect(calls.every((c) => (c.body as { external_userid: string[] }).external_userid.length === 100)).toBe(true);
    expect(await statusCounts(h)).toEqual({ waiting: 5000 });
    expect(h.sandbox.calls.callsTo(PATHS.resignedResult)).toHaveLength(0);

    h.clock.advanceHours(24);
    await h.sandbox.tick();
    const second = await h.run();
    expect(h.sandbox.calls.callsTo(PATHS.resigned)).toHaveLength(50);
    // Two successors, 2,500 parents each: pages of 1000, 1000, 500.
    expect(second.resultPages).toBe(6);
    expect(h.sandbox.calls.callsTo(PATHS.resignedResult)).toHaveLength(6);
    expect(await statusCounts(h)).toEqual({ done: 5000 });
    expect(h.sandbox.state.followsOf("t_b")).toHaveLength(2500);

    const facts = await reassignmentFacts(h.db.dataSource.manager, "teacher_a");
    expect(facts).toMatchObject({ parentsTotal: 5000, parentsTransferred: 5000, problems: [] });
    const inherited = await inheritedThreads(h.db.dataSource.manager, "t_c");
    expect(inherited).toEqual([{ predecessor: "teacher_a", externalUserIds: parents.c2 }]);

    // Parents learn who their new teacher is: one 群发 per successor for them to confirm.
    const intros = h.sandbox.calls.callsTo(PATHS.msgTemplate);
    expect(intros).toHaveLength(2);
    expect((intros[0]!.body as { text: { content: string } }).text.content).toContain("王老师");
    // Staff named "王老师" in WeCom: the title is not added twice.
    expect((intros[0]!.body as { text: { content: string } }).text.content).not.toContain("王老师老师");
    const recorded = await h.db.dataSource.query(`SELECT state, msgid FROM transfer_notification WHERE kind = 'parent_intro'`);
    expect(recorded).toEqual([expect.objectContaining({ state: "sent", msgid: expect.any(String) }), expect.objectContaining({ state: "sent" })]);

    // Nothing is due any more: another pass (or another instance) sends nothing.
    const idle = await h.run();
    expect(idle).toMatchObject({ customerCallsSent: 0, resultPages: 0, noticesSent: 0 });
  }, 120_000);
});
