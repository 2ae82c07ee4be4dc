import { teacherTitle } from "../../src/org/directory/teacherTitle";

describe("teacherTitle", () => {
  it.each([
    ["王芳", "王芳老师"],
    ["王老师", "王老师"],
    ["  李 ", "李老师"],
    ["Amy老师", "Amy老师"],
    ["", "新老师"],
    [null, "新老师"],
    [undefined, "新老师"],
  ])("%j → %s", (name, expected) => {
    expect(teacherTitle(name)).toBe(expected);
  });
});
