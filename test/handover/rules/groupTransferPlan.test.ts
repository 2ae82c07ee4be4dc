import { planGroupTransfers } from "../../../src/handover/rules/groupTransferPlan";

const groups = (n: number, owner = "t_head") => Array.from({ length: n }, (_, i) => ({ chatId: `wr${i}`, newOwner: owner }));
const summary = (calls: ReturnType<typeof planGroupTransfers>) => calls.map((c) => `${c.newOwner}:${c.day}:${c.chatIds.length}`);

describe("planGroupTransfers", () => {
  const now = new Date("2026-03-02T15:00:00+08:00");

  test("350 groups → 300 today (3 calls), 50 tomorrow from local midnight", () => {
    const calls = planGroupTransfers(groups(350), now);
    expect(summary(calls)).toEqual(["t_head:2026-03-02:100", "t_head:2026-03-02:100", "t_head:2026-03-02:100", "t_head:2026-03-03:50"]);
    expect(calls[0]!.notBefore).toEqual(now);
    expect(calls[3]!.notBefore).toEqual(new Date("2026-03-03T00:00:00+08:00"));
    expect(calls.flatMap((c) => c.chatIds)).toEqual(groups(350).map((g) => g.chatId));
  });

  test("days are China days: 01:00 Beijing is still the UTC previous day", () => {
    const calls = planGroupTransfers(groups(301), new Date("2026-03-02T01:00:00+08:00"));
    expect(summary(calls)).toEqual(["t_head:2026-03-02:100", "t_head:2026-03-02:100", "t_head:2026-03-02:100", "t_head:2026-03-03:1"]);
  });

  test("the cap is per new owner, and counts what they already received today", () => {
    const calls = planGroupTransfers([...groups(250, "a"), ...groups(250, "b").map((g) => ({ ...g, chatId: `b${g.chatId}` }))], now, {
      alreadyToday: { a: 100 },
    });
    expect(summary(calls)).toEqual(["a:2026-03-02:100", "a:2026-03-02:100", "a:2026-03-03:50", "b:2026-03-02:100", "b:2026-03-02:100", "b:2026-03-02:50"]);
  });

  test("an owner at the cap starts tomorrow; 700 groups take three days", () => {
    expect(summary(planGroupTransfers(groups(700), now, { alreadyToday: { t_head: 300 } }))).toEqual([
      "t_head:2026-03-03:100", "t_head:2026-03-03:100", "t_head:2026-03-03:100",
      "t_head:2026-03-04:100", "t_head:2026-03-04:100", "t_head:2026-03-04:100",
      "t_head:2026-03-05:100",
    ]);
  });

  test("duplicate chat ids are transferred once; nothing to do → no calls", () => {
    expect(planGroupTransfers([...groups(2), ...groups(2)], now).flatMap((c) => c.chatIds)).toEqual(["wr0", "wr1"]);
    expect(planGroupTransfers([], now)).toEqual([]);
  });
});
