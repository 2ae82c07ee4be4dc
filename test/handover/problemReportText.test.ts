import { problemReportText, type TransferProblem } from "../../src/handover/notices/problemReport";

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
    const text = problemReportText({ userid: "teacher_a", name: "张老师" }, [
      problem(1),
      { ...problem(2), kind: "group", name: "三年二班家长群", reason: "群内微信用户已满99人。请新群主在手机端确认", errcode: 90503 },
      { ...problem(3), kind: "group", name: null, reason: "x", errcode: 90501 },
      { ...problem(4), name: null, successorName: null, reason: "y" },
      { ...problem(5), name: "李雷", reason: "z" },
      { ...problem(6), name: "小明妈妈", reason: "w" },
    ]);
    expect(text).toContain("6 项转接未完成");
    expect(text).toContain("> 员工：张老师\n");
    // A parent reads once as a parent: never "家长 家长1", never an id when the name was not synced.
    expect(text).toContain("- 家长1 → 王老师：家长拒绝转接");
    expect(text).toContain("- 家长李雷 → 王老师：z");
    expect(text).toContain("- 小明妈妈 → 王老师：w");
    expect(text).toContain("- 群聊「三年二班家长群」 → 王老师：群内微信用户已满99人。请新群主在手机端确认");
    expect(text).toContain("- 群聊「未命名群聊」 → 王老师：x");
    expect(text).toContain("- 一位未同步姓名的家长 → （未同步姓名的老师）：y");
    expect(text).not.toContain("家长家长");
    // People never read internal ids or errcodes.
    expect(text).not.toMatch(/teacher_a|wm_|t_b|9050/);
  });

  it("stays within WeCom's 2,048-byte markdown limit and says how many more there are", () => {
    const text = problemReportText({ userid: "teacher_a", name: "张老师" }, Array.from({ length: 200 }, (_, i) => problem(i)));
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(2048);
    expect(text).toMatch(/另有 \d+ 项/);
    expect(text).toContain("200 项转接未完成");
  });
});
