import { applyOverrides } from "../../src/handover/plan/planStore";
import { MAX_MEMBER_CUSTOMERS, resignedTransferClosed, successorRefusal } from "../../src/handover/rules/successorEligibility";
import { ValidationError } from "../../src/platform/errors";
import { leaverLeaves, startHarness } from "./harness";

describe("successor eligibility (WeCom's takeover conditions)", () => {
  const base = { name: "王老师", status: "active" as const, inCustomerContactRange: true, customers: 10 };

  it("refuses with the reason: left, leaving, outside 客户联系, at the highest customer limit", () => {
    expect(successorRefusal(base)).toBeNull();
    expect(successorRefusal({ ...base, inCustomerContactRange: null })).toBeNull();
    expect(successorRefusal({ ...base, status: "left" })).toBe("王老师已不在企业微信中（已离职或已删除），不能接替家长");
    expect(successorRefusal({ ...base, status: "leaving" })).toBe("王老师也在办理离职，接替后还需再转一次");
    expect(successorRefusal({ ...base, inCustomerContactRange: false })).toBe(
      "王老师不在企业微信「客户联系」使用范围或本应用的可见范围内，企业微信不允许其接替家长；请管理员先将其加入",
    );
    expect(successorRefusal({ ...base, customers: MAX_MEMBER_CUSTOMERS - 1 })).toBeNull();
    expect(successorRefusal({ ...base, customers: MAX_MEMBER_CUSTOMERS })).toBe("王老师的客户数已达企业微信上限（20000）");
  });

  it("closes 离职继承 a year after the member left", () => {
    const left = new Date("2025-03-02T00:00:00Z");
    expect(resignedTransferClosed(null, new Date())).toBe(false);
    expect(resignedTransferClosed(left, new Date("2026-03-01T23:59:59Z"))).toBe(false);
    expect(resignedTransferClosed(left, new Date("2026-03-02T00:00:00Z"))).toBe(true);
  });

  it("planning skips a teacher outside the 客户联系 range and refuses HR's pick of them with the reason", async () => {
    const h = await startHarness({ c1: ["wm_1"], c2: ["wm_2"] });
    try {
      // 王老师 (t_b, head teacher of C1) is not in the 客户联系 range.
      h.sandbox.state.users.get("t_b")!.customerContact = false;
      await h.reassignments.preparePlan("teacher_a");
      const items = await h.db.dataSource.query(`SELECT item_id, successor_userid FROM reassignment_item ORDER BY item_id`);
      expect(items.find((i: { item_id: string }) => i.item_id === "wm_1").successor_userid).not.toBe("t_b");
      const refused = await h.db.dataSource
        .transaction((m) => applyOverrides(m, "teacher_a", { parents: { wm_1: "t_b" } }, h.clock.now()))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as Error).message).toBe(
        "不能指定该接替老师：王老师不在企业微信「客户联系」使用范围或本应用的可见范围内，企业微信不允许其接替家长；请管理员先将其加入",
      );
      // An eligible pick is accepted.
      await h.db.dataSource.transaction((m) => applyOverrides(m, "teacher_a", { parents: { wm_1: "t_c" } }, h.clock.now()));
    } finally {
      await h.close();
    }
  }, 60_000);

  it("refuses 离职继承 more than a year after the member left", async () => {
    const h = await startHarness({ c1: ["wm_1"], c2: [] });
    try {
      await leaverLeaves(h);
      await h.db.dataSource.query(`UPDATE staff SET left_at = $1 WHERE userid = 'teacher_a'`, [new Date(h.clock.now().getTime() - 366 * 86_400_000)]);
      await expect(h.reassignments.startResignedReassignment("teacher_a")).rejects.toThrow("该员工离职已超过一年，企业微信不再允许离职继承；请由接替老师直接添加家长");
    } finally {
      await h.close();
    }
  }, 60_000);
});
