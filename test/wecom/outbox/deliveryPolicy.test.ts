import { decideDelivery, LOOKUP_WAIT_MS, type RowFacts } from "../../../src/wecom/outbox/deliveryPolicy";

const row = (over: Partial<RowFacts> = {}): RowFacts => ({ duplicateCheck: true, lookupBeforeResend: false, withinDuplicateWindow: true, attempts: 1, giveUpAfter: 6, ...over });

describe("the one retry rule of the WeCom outbox", () => {
  it("closes a sent message with its msgid", () => {
    expect(decideDelivery({ kind: "sent", msgid: "m1" }, row())).toEqual({ close: "sent", msgid: "m1" });
  });

  it("fails for good on an errcode WeCom would repeat (bad recipient, used response_code)", () => {
    expect(decideDelivery({ kind: "refused", errcode: 40003, error: "invalid userid" }, row())).toEqual({ close: "failed", errcode: 40003 });
    expect(decideDelivery({ kind: "refused", errcode: 40003, error: "x" }, row({ giveUpAfter: null }))).toEqual({ close: "failed", errcode: 40003 });
  });

  it("waits a minute on a rate limit (45009, 45033) and backs off on 系统繁忙 (-1)", () => {
    expect(decideDelivery({ kind: "refused", errcode: 45009, error: "x" }, row())).toEqual({ retryInMs: 60_000, errcode: 45009, rateLimited: true });
    expect(decideDelivery({ kind: "refused", errcode: 45033, error: "x" }, row())).toMatchObject({ retryInMs: 60_000, rateLimited: true });
    const busy = decideDelivery({ kind: "refused", errcode: -1, error: "x" }, row({ attempts: 3 }));
    expect(busy).toMatchObject({ errcode: -1, rateLimited: false });
    expect((busy as { retryInMs: number }).retryInMs).toBeGreaterThanOrEqual(2_000);
    expect((busy as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(4_000);
  });

  it("retries a message that never reached WeCom, until its owner's limit (alerts: never give up)", () => {
    expect(decideDelivery({ kind: "network", error: "ECONNREFUSED" }, row({ attempts: 5 }))).toMatchObject({ errcode: null, rateLimited: false });
    expect(decideDelivery({ kind: "network", error: "ECONNREFUSED" }, row({ attempts: 6 }))).toEqual({ close: "failed", errcode: null });
    const alert = decideDelivery({ kind: "network", error: "ECONNREFUSED" }, row({ attempts: 40, giveUpAfter: null }));
    expect(alert).toMatchObject({ errcode: null });
    expect((alert as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(30 * 60_000);
  });

  it("tries a 群发 task whose outcome is unknown again only after the look-up wait, and gives up as unknown", () => {
    const task = row({ duplicateCheck: false, lookupBeforeResend: true, withinDuplicateWindow: false });
    expect(decideDelivery({ kind: "unknown", error: "timeout" }, task)).toEqual({ retryInMs: LOOKUP_WAIT_MS, errcode: null, rateLimited: false });
    expect(decideDelivery({ kind: "unknown", error: "timeout" }, { ...task, attempts: 6 })).toEqual({ close: "unknown", errcode: null });
    // A refusal is a refusal: WeCom made no task.
    expect(decideDelivery({ kind: "refused", errcode: 41048, error: "no customer" }, task)).toEqual({ close: "failed", errcode: 41048 });
  });

  it("repeats a message whose outcome is unknown only while WeCom's duplicate check would drop the copy", () => {
    expect(decideDelivery({ kind: "unknown", error: "timeout" }, row())).toMatchObject({ errcode: null, rateLimited: false });
    expect(decideDelivery({ kind: "unknown", error: "timeout" }, row({ withinDuplicateWindow: false }))).toEqual({ close: "unknown", errcode: null });
    // A bot reply, a card update, a robot post: no duplicate check, never sent twice.
    expect(decideDelivery({ kind: "unknown", error: "timeout" }, row({ duplicateCheck: false }))).toEqual({ close: "unknown", errcode: null });
  });
});
