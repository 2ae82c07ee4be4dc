import {
  applyTransferInput,
  IllegalTransferTransition,
  isFinal,
  needsResultPoll,
  newTransfer,
  Transfer,
  TransferInput,
} from "../../../src/handover/rules/transferState";

const t0 = new Date("2026-03-02T10:00:00+08:00");
const later = (h: number) => new Date(t0.getTime() + h * 3_600_000);
const fresh = () => newTransfer("t_leaver", "t_head", "wm_parent", t0);
const feed = (t: Transfer, ...inputs: TransferInput[]) => inputs.reduce(applyTransferInput, t);
const waiting = () => feed(fresh(), { type: "call_result", errcode: 0, at: t0 });

describe("transfer call result (per-customer errcode)", () => {
  test.each([
    [0, "waiting", false],
    [40129, "waiting", false],
    [40096, "failed", false],
    [40130, "failed", false],
    [40128, "failed", true],
    [-1, "failed", true],
    [45009, "failed", true],
    [99999, "failed", false],
  ])("errcode %i → %s (retryable %s)", (errcode, status, retryable) => {
    const t = applyTransferInput(fresh(), { type: "call_result", errcode, at: t0 });
    expect(t.status).toBe(status);
    expect(t.errcode).toBe(errcode);
    if (status === "failed") expect(t.retryable).toBe(retryable);
  });

  test("started transfers wait 24 h for WeCom's automatic takeover", () => {
    expect(waiting().takeoverAt).toEqual(later(24));
    expect(needsResultPoll(waiting(), later(23))).toBe(false);
    expect(needsResultPoll(waiting(), later(24))).toBe(true);
  });

  test("on-job quota exhausted: failed, retryable after the quota frees", () => {
    const t = applyTransferInput(fresh(), { type: "quota_exhausted", availableAt: later(24 * 30), at: t0 });
    expect(t).toMatchObject({ status: "failed", retryable: true, retryAfter: later(24 * 30) });
  });
});

describe("WeCom reports", () => {
  test.each<[string, TransferInput, string]>([
    ["poll status 1", { type: "result_polled", status: 1, at: later(25) }, "done"],
    ["poll status 2", { type: "result_polled", status: 2, at: later(25) }, "waiting"],
    ["poll status 3", { type: "result_polled", status: 3, at: later(25) }, "refused"],
    ["poll status 4", { type: "result_polled", status: 4, at: later(25) }, "successor_over_limit"],
    ["poll status 5 after our call", { type: "result_polled", status: 5, at: later(25) }, "failed"],
    ["add_external_contact by the successor", { type: "successor_added", byUserId: "t_head", at: later(24) }, "done"],
    ["add_external_contact by someone else", { type: "successor_added", byUserId: "t_other", at: later(24) }, "waiting"],
    ["transfer_fail customer_refused", { type: "transfer_failed", reason: "customer_refused", at: later(2) }, "refused"],
    ["transfer_fail customer_limit_exceed", { type: "transfer_failed", reason: "customer_limit_exceed", at: later(2) }, "successor_over_limit"],
  ])("waiting + %s → %s", (_name, input, status) => {
    expect(applyTransferInput(waiting(), input).status).toBe(status);
  });

  test("a poll carries the real takeover time", () => {
    const t = applyTransferInput(waiting(), { type: "result_polled", status: 1, takeoverTime: later(23.5), at: later(25) });
    expect(t).toMatchObject({ status: "done", takeoverAt: later(23.5), updatedAt: later(25) });
    expect(isFinal(t)).toBe(true);
  });

  test("'no record' before our call is answered changes nothing", () => {
    expect(applyTransferInput(fresh(), { type: "result_polled", status: 5, at: t0 }).status).toBe("requested");
  });

  test("unknown poll status is rejected", () => {
    expect(() => applyTransferInput(waiting(), { type: "result_polled", status: 9, at: later(1) })).toThrow(/status 9/);
  });

  test.each<[string, TransferInput]>([
    ["a late 'waiting' poll", { type: "result_polled", status: 2, at: later(30) }],
    ["a late 'refused' poll", { type: "result_polled", status: 3, at: later(30) }],
    ["a late transfer_fail", { type: "transfer_failed", reason: "customer_refused", at: later(30) }],
    ["a duplicate add_external_contact", { type: "successor_added", byUserId: "t_head", at: later(30) }],
  ])("done is final: %s is ignored", (_name, input) => {
    const done = applyTransferInput(waiting(), { type: "successor_added", byUserId: "t_head", at: later(24) });
    expect(applyTransferInput(done, input)).toBe(done);
  });

  test("refused stays refused even if a stale poll says done", () => {
    const refused = applyTransferInput(waiting(), { type: "transfer_failed", reason: "customer_refused", at: later(2) });
    expect(applyTransferInput(refused, { type: "result_polled", status: 1, at: later(30) })).toBe(refused);
  });

  test("a retryable failure can still learn the transfer went through", () => {
    const failed = applyTransferInput(waiting(), { type: "result_polled", status: 5, at: later(25) });
    expect(failed).toMatchObject({ status: "failed", retryable: true });
    expect(applyTransferInput(failed, { type: "result_polled", status: 1, at: later(26) }).status).toBe("done");
  });
});

describe("commands in the wrong state throw", () => {
  test("retry after a retryable failure goes back to requested and counts the attempt", () => {
    const failed = applyTransferInput(fresh(), { type: "call_result", errcode: 45009, at: t0 });
    const retried = applyTransferInput(failed, { type: "retry", at: later(1) });
    expect(retried).toMatchObject({ status: "requested", attempts: 2, retryable: false });
    expect(retried).not.toHaveProperty("failureReason");
  });

  test.each<[string, () => Transfer, TransferInput]>([
    ["call result while waiting", waiting, { type: "call_result", errcode: 0, at: later(1) }],
    ["quota check while waiting", waiting, { type: "quota_exhausted", availableAt: later(1), at: later(1) }],
    ["retry while waiting", waiting, { type: "retry", at: later(1) }],
    ["retry a permanent failure", () => applyTransferInput(fresh(), { type: "call_result", errcode: 40096, at: t0 }), { type: "retry", at: later(1) }],
    ["retry after done", () => applyTransferInput(waiting(), { type: "result_polled", status: 1, at: later(25) }), { type: "retry", at: later(26) }],
    ["call result after done", () => applyTransferInput(waiting(), { type: "result_polled", status: 1, at: later(25) }), { type: "call_result", errcode: 0, at: later(26) }],
  ])("%s", (_name, make, input) => {
    expect(() => applyTransferInput(make(), input)).toThrow(IllegalTransferTransition);
  });
});
