import { MAX_TRANSFER_MESSAGE_CHARS, transferSuccessMessage } from "../../../src/handover/rules/transferMessage";

describe("transferSuccessMessage", () => {
  test("introduces the new teacher, subject and child", () => {
    expect(transferSuccessMessage({ successorName: "李", schoolName: "启明教育", subject: "数学", studentName: "小明" })).toBe(
      "家长您好！因教学工作调整，今后由李老师（数学）负责小明的学习沟通。李老师会尽快与您联系，有任何问题都可以直接找我们。启明教育感谢您一直以来的信任与支持！",
    );
  });

  test("without optional parts", () => {
    const msg = transferSuccessMessage({ successorName: "李", schoolName: "启明教育" });
    expect(msg).toContain("负责孩子的学习沟通");
    expect(msg).not.toContain("（");
  });

  test.each([
    ["a long school name", { successorName: "李", schoolName: "某".repeat(150) }],
    ["an absurd teacher name", { successorName: "李".repeat(300), schoolName: "启明教育" }],
  ])("never exceeds 200 characters: %s", (_name, input) => {
    const msg = transferSuccessMessage(input);
    expect([...msg].length).toBeLessThanOrEqual(MAX_TRANSFER_MESSAGE_CHARS);
    expect(msg.startsWith("家长您好！")).toBe(true);
  });

  test.each([
    ["王芳", "王芳老师"],
    ["王老师", "王老师"],
    [" Amy老师 ", "Amy老师"],
    ["", "新老师"],
  ])("names the successor %j once as a teacher: %s", (name, titled) => {
    const msg = transferSuccessMessage({ successorName: name, schoolName: "启明教育" });
    expect(msg).toContain(`今后由${titled}负责`);
    expect(msg).not.toContain("老师老师");
  });
});
