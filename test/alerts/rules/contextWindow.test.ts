import { contextWindow } from "../../../src/alerts/rules/contextWindow";
import { outbound } from "./fixtures";

describe("contextWindow", () => {
  const chat = Array.from({ length: 20 }, (_, i) =>
    outbound(i, "p1", `第${i}条`, { msgid: `c${i}`, direction: i % 2 ? "inbound" : "outbound" }),
  );
  const ids = (ms: { msgid: string }[]) => ms.map((m) => m.msgid);

  test("five before and five after by default", () => {
    const ctx = contextWindow(chat, "c10")!;
    expect(ids(ctx.before)).toEqual(["c5", "c6", "c7", "c8", "c9"]);
    expect(ctx.hit.msgid).toBe("c10");
    expect(ids(ctx.after)).toEqual(["c11", "c12", "c13", "c14", "c15"]);
  });

  test.each([
    ["at the start", "c0", 0, 5],
    ["at the end", "c19", 5, 0],
    ["near the start", "c2", 2, 5],
  ])("clipped %s", (_name, hit, before, after) => {
    const ctx = contextWindow(chat, hit)!;
    expect([ctx.before.length, ctx.after.length]).toEqual([before, after]);
  });

  test("custom sizes, unsorted input, other chats and duplicates ignored", () => {
    const otherParent = outbound(10.5, "p2", "别的家长", { msgid: "x1" });
    const group = outbound(10.6, "", "群消息", { msgid: "g1", roomId: "r1", externalUserIds: ["p1"] });
    const shuffled = [...chat].reverse().concat(otherParent, group, chat[11]!);
    const ctx = contextWindow(shuffled, "c10", 2, 3)!;
    expect(ids(ctx.before)).toEqual(["c8", "c9"]);
    expect(ids(ctx.after)).toEqual(["c11", "c12", "c13"]);
  });

  test("group chats are their own conversation", () => {
    const g = [0, 1, 2].map((i) => outbound(i, "", `g${i}`, { msgid: `g${i}`, roomId: "r1", externalUserIds: ["p1", "p2"] }));
    const ctx = contextWindow([...chat, ...g], "g1")!;
    expect(ids(ctx.before)).toEqual(["g0"]);
    expect(ids(ctx.after)).toEqual(["g2"]);
  });

  test("unknown hit → null", () => {
    expect(contextWindow(chat, "nope")).toBeNull();
  });
});
