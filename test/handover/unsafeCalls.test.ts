import { WeComOutcomeUnknownError } from "../../src/wecom/client/errors";
import { family, leaverLeaves, PATHS, startHarness, statusCounts, type Harness } from "./harness";

/**
 * Calls that create something on WeCom's side, answered by a lost reply: the sandbox applies the call and
 * then answers 502 (faults `afterHandling`), as a gateway dying after WeCom did the work would. The product
 * must neither do it twice nor lose it.
 */
describe("a WeCom call applied but its answer lost", () => {
  let h: Harness;
  const parents = family(4, "wm_u");
  const everyone = [...parents.c1, ...parents.c2];
  beforeEach(async () => {
    h = await startHarness(parents);
    await leaverLeaves(h);
  }, 60_000);
  afterEach(() => h.close());

  it("resigned transfer: not repeated by the transport; the next pass re-asks and WeCom's 40129 says it is under way; done after 24 h, each parent moved once", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    h.sandbox.faults.inject({ path: PATHS.resigned, httpStatus: 502, afterHandling: true, times: 1 });
    await expect(h.run()).rejects.toBeInstanceOf(WeComOutcomeUnknownError);
    // WeCom took the first call (both calls: one per successor; the first lost its answer).
    const firstTry = h.sandbox.calls.callsTo(PATHS.resigned);
    expect(firstTry).toHaveLength(1);
    expect(await statusCounts(h)).toEqual({ requested: 4 });

    await h.run();
    const calls = h.sandbox.calls.callsTo(PATHS.resigned);
    expect(calls).toHaveLength(3);
    // The repeated call's parents are answered 40129 (already being transferred to this successor).
    const repeat = calls[1]!.response as { customer: Array<{ errcode: number }> };
    expect(repeat.customer.map((c) => c.errcode)).toEqual(expect.arrayContaining([40129]));
    expect(await statusCounts(h)).toEqual({ waiting: 4 });

    h.clock.advanceHours(24);
    await h.sandbox.tick();
    await h.run();
    expect(await statusCounts(h)).toEqual({ done: 4 });
    expect(h.sandbox.state.followsOf("t_b").length + h.sandbox.state.followsOf("t_c").length).toBe(everyone.length);
  }, 60_000);

  it("parent introduction (add_msg_template, no dedupe at WeCom): one task, found in WeCom's 群发 records and recorded as sent", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    h.sandbox.faults.inject({ path: PATHS.msgTemplate, httpStatus: 502, afterHandling: true, times: 2 });
    // Two successors, two tasks at WeCom, both answers lost: nothing is recorded as sent yet.
    expect(await h.run()).toMatchObject({ noticesQueued: 2, noticesSent: 0 });
    expect(h.sandbox.state.msgTemplates.size).toBe(2);
    // Within the look-up wait nobody tries again (WeCom may not list a task created a moment ago).
    expect(await h.run()).toMatchObject({ noticesSent: 0 });
    h.clock.advance(6 * 60_000);
    expect(await h.run()).toMatchObject({ noticesSent: 2 });
    // Each created once, found in the records instead of created again.
    expect(h.sandbox.calls.callsTo(PATHS.msgTemplate)).toHaveLength(2);
    expect(h.sandbox.state.msgTemplates.size).toBe(2);
    const recorded: Array<{ state: string; msgid: string; reconciled: boolean }> = await h.db.dataSource.query(
      `SELECT state, msgid, (response->>'reconciled')::boolean AS reconciled FROM transfer_notification WHERE kind = 'parent_intro' ORDER BY id`,
    );
    const taskIds = [...h.sandbox.state.msgTemplates.values()].map((t) => t.msgid).sort();
    expect(recorded.map((r) => r.msgid).sort()).toEqual(taskIds);
    expect(recorded.map((r) => [r.state, r.reconciled])).toEqual([["sent", true], ["sent", true]]);
    h.clock.advanceHours(1);
    expect(await h.run()).toMatchObject({ noticesQueued: 0, noticesSent: 0 });
    expect(h.sandbox.calls.callsTo(PATHS.msgTemplate)).toHaveLength(2);
  }, 60_000);

  it("parent introduction after a crash between the call and our commit: the next try finds the task instead of creating another", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    h.sandbox.faults.inject({ path: PATHS.msgTemplate, latencyMs: 0, httpStatus: 502, afterHandling: true, times: 2 });
    await h.run();
    // What a process killed after WeCom's answer leaves: the claim (attempt counted, lease taken) is
    // committed, nothing of the answer is.
    await h.db.dataSource.query(`DELETE FROM wecom_outbox_attempt`);
    await h.db.dataSource.query(`UPDATE wecom_outbox SET result = NULL, next_attempt_at = $1`, [new Date(h.clock.now().getTime() + 5 * 60_000)]);
    h.clock.advance(6 * 60_000);
    expect(await h.run()).toMatchObject({ noticesSent: 2 });
    expect(h.sandbox.calls.callsTo(PATHS.msgTemplate)).toHaveLength(2);
    expect(h.sandbox.state.msgTemplates.size).toBe(2);
  }, 60_000);

  it("a notice an older version had tried before the upgrade: handed to the outbox, which finds WeCom's task before calling", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    h.sandbox.faults.inject({ path: PATHS.msgTemplate, latencyMs: 0, httpStatus: 502, afterHandling: true, times: 2 });
    await h.run();
    // The state the old claim loop left: the attempt stamped, nothing recorded, never handed to an outbox.
    await h.db.dataSource.query(`DELETE FROM wecom_outbox`);
    await h.db.dataSource.query(`UPDATE transfer_notification SET state = 'pending', queued_at = NULL, msgid = NULL, response = NULL, sent_at = NULL, attempted_at = $1`, [h.clock.now()]);
    expect(await h.run()).toMatchObject({ noticesQueued: 2, noticesSent: 2 });
    expect(h.sandbox.calls.callsTo(PATHS.msgTemplate)).toHaveLength(2);
    const states = await h.db.dataSource.query(`SELECT state, (response->>'reconciled')::boolean AS reconciled FROM transfer_notification WHERE kind = 'parent_intro'`);
    expect(states).toEqual([{ state: "sent", reconciled: true }, { state: "sent", reconciled: true }]);
  }, 60_000);

  it("a notice whose task WeCom does not have is sent once the lease has passed", async () => {
    await h.reassignments.startResignedReassignment("teacher_a");
    await h.run();
    h.clock.advanceHours(24);
    await h.sandbox.tick();
    // The gateway fails BEFORE WeCom acts on it: an unknown outcome to us, but WeCom has nothing.
    h.sandbox.faults.inject({ path: PATHS.msgTemplate, httpStatus: 502, times: 2 });
    const failed = await h.run();
    expect(failed.noticesSent).toBe(0);
    expect(h.sandbox.state.msgTemplates.size).toBe(0);
    // Within the lease nobody touches it (another instance may be on it).
    expect(await h.run()).toMatchObject({ noticesSent: 0 });
    h.clock.advance(6 * 60_000);
    expect(await h.run()).toMatchObject({ noticesSent: 2 });
    expect(h.sandbox.state.msgTemplates.size).toBe(2);
  }, 60_000);
});
