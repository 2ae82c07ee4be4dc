import { batchTransferIds, canTransferOnJob, onJobTransferAvailableAt } from "../../../src/handover/rules/transferBatches";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `wm${i}`);
const now = new Date("2026-06-01T10:00:00+08:00");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe("batchTransferIds", () => {
  test.each([
    [0, 0, 0],
    [1, 1, 1],
    [100, 1, 100],
    [101, 2, 1],
    [5000, 50, 100],
    [5001, 51, 1],
  ])("%i ids → %i calls, last of %i", (n, calls, last) => {
    const batches = batchTransferIds(ids(n));
    expect(batches).toHaveLength(calls);
    expect(batches.every((b) => b.length <= 100)).toBe(true);
    if (calls) expect(batches.at(-1)).toHaveLength(last);
    expect(batches.flat()).toEqual(ids(n));
  });

  test("duplicates are sent once", () => {
    expect(batchTransferIds(["a", "b", "a"])).toEqual([["a", "b"]]);
  });
});

describe("on-job quota: at most 2 transfers per parent in 90 days", () => {
  test.each<[string, Date[], boolean]>([
    ["never transferred", [], true],
    ["once", [daysAgo(10)], true],
    ["twice within 90 days", [daysAgo(10), daysAgo(80)], false],
    ["twice, one exactly 90 days ago", [daysAgo(10), daysAgo(90)], true],
    ["three times, two old", [daysAgo(100), daysAgo(200), daysAgo(5)], true],
  ])("%s → %s", (_name, history, allowed) => {
    expect(canTransferOnJob(history, now)).toBe(allowed);
  });

  test("when blocked, says when it frees up", () => {
    expect(onJobTransferAvailableAt([daysAgo(10), daysAgo(80)], now)).toEqual(new Date(daysAgo(80).getTime() + 90 * 86_400_000));
    expect(onJobTransferAvailableAt([daysAgo(1), daysAgo(2), daysAgo(3)], now)).toEqual(new Date(daysAgo(2).getTime() + 90 * 86_400_000));
    expect(onJobTransferAvailableAt([daysAgo(10)], now)).toEqual(now);
  });
});
