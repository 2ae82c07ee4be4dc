import { applyOverrides } from "../../src/handover/plan/planStore";
import { successorPreview } from "../../src/handover/plan/successorPreview";
import { startHarness } from "./harness";

/**
 * The resignation checklist names successors through successorPreview; the plan HR confirms is made by
 * rules/successor.ts. These must agree (issue 17: the rule once existed twice, as a SQL subquery in the
 * checklist that ignored who may take over, so the checklist could name a different successor).
 */
describe("successor preview: the checklist and the plan use one rule", () => {
  it("before a plan, names whom the plan will name — a head teacher who has left is not suggested", async () => {
    const h = await startHarness({ c1: ["wm_1"], c2: ["wm_2"] });
    try {
      // 王老师 (t_b), head teacher of C1 and campus head, has left: the class roster still lists her.
      await h.db.dataSource.query(`UPDATE staff SET status = 5 WHERE userid = 't_b'`);
      const preview = await successorPreview(h.db.dataSource.manager, "teacher_a", h.clock.now());
      expect(preview.get("wm_1")).not.toBe("t_b");
      expect(preview.get("wm_2")).toBe("t_c");

      await h.reassignments.preparePlan("teacher_a");
      const planned: { item_id: string; successor_userid: string | null }[] = await h.db.dataSource.query(
        `SELECT item_id, successor_userid FROM reassignment_item WHERE leaver_userid = 'teacher_a' AND kind = 'parent' ORDER BY item_id`,
      );
      expect(Object.fromEntries(planned.map((p) => [p.item_id, p.successor_userid]))).toEqual(Object.fromEntries(preview));
    } finally {
      await h.close();
    }
  }, 60_000);

  it("once a plan exists, follows it, HR's changes included", async () => {
    const h = await startHarness({ c1: ["wm_1"], c2: ["wm_2"] });
    try {
      await h.reassignments.preparePlan("teacher_a");
      await h.db.dataSource.transaction((m) => applyOverrides(m, "teacher_a", { parents: { wm_1: "t_c" } }, h.clock.now()));
      const preview = await successorPreview(h.db.dataSource.manager, "teacher_a", h.clock.now());
      expect(Object.fromEntries(preview)).toEqual({ wm_1: "t_c", wm_2: "t_c" });
    } finally {
      await h.close();
    }
  }, 60_000);
});
