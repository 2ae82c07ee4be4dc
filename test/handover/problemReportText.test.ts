import { problemReportText, type TransferProblem } from "../../src/handover/notices/problemNotifier";

describe("HR problem report text", () => {
  const problem = (i: number): TransferProblem => ({
    kind: "parent",
    id: `wm_${i}`,
    name: `家长${i}`,
    successorUserid: "t_b",
    successorName: "王老师",
    reason: "家长拒绝转接",
    errcode: null,
  });

  it("lists every problem with its reason when it fits", () => {
    const text = problemReportText({ userid: "teacher_a", name: "张老师" }, [problem(1), { ...problem(2), kind: "group", reason: "群聊转移失败", errcode: 90500 }]);
    expect(text).toContain("2 项转接未完成");
    expect(text).toContain("- 家长 家长1 → 王老师：家长拒绝转接");
    expect(text).toContain("- 群聊 家长2 → 王老师：群聊转移失败（90500）");
  });

  it("stays within WeCom's 2,048-byte markdown limit and says how many more there are", () => {
    const text = problemReportText({ userid: "teacher_a", name: "张老师" }, Array.from({ length: 200 }, (_, i) => problem(i)));
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(2048);
    expect(text).toMatch(/另有 \d+ 项/);
    expect(text).toContain("200 项转接未完成");
  });
});
