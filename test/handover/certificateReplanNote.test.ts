import { certificateReplanNote } from "../../src/handover/rules/certificateReplanNote";

/** What a later certificate changed in a handover plan, as HR reads it in the plan. */
describe("certificate replan note", () => {
  const names = new Map([
    ["wang", "王老师"],
    ["zhao", "赵老师"],
  ]);
  const base = { names, subjectsBefore: ["数学"], subjectsAfter: [] as string[] };
  const before = new Map<string, string | null>([
    ["parent:wm_1", "zhao"],
    ["parent:wm_2", "zhao"],
    ["parent:wm_3", "zhao"],
    ["group:wr_1", "zhao"],
  ]);
  const after = new Map<string, string | null>([
    ["parent:wm_1", "wang"],
    ["parent:wm_2", "wang"],
    ["parent:wm_3", "zhao"], // HR's own pick: kept
    ["group:wr_1", "wang"],
  ]);

  it("an unconfirmed plan: says who now inherits what and that the note is gone", () => {
    expect(certificateReplanNote({ ...base, before, after, confirmed: false })).toBe(
      "教师资质有变化，接替建议已重新计算：2 位家长、1 个群聊改由王老师接替；数学学科已有持有效教师资格证的老师，「无同学科持证教师」提示已消除。人事指定的接替老师未改动。",
    );
  });

  it("a confirmed plan: says what the certificates would change and that nothing was changed", () => {
    expect(certificateReplanNote({ ...base, before, after, confirmed: true })).toBe(
      "教师资质有变化：按新的资质，2 位家长、1 个群聊将改由王老师接替；数学学科已有持有效教师资格证的老师，「无同学科持证教师」提示已不成立。本方案已由人事确认，未自动修改；如需调整，请修改方案（修改后需重新确认）。",
    );
  });

  it("a certificate deleted or lapsed: says nobody is certified any more; nothing changed: no note", () => {
    expect(certificateReplanNote({ ...base, subjectsBefore: [], subjectsAfter: ["数学"], before, after: before, confirmed: false })).toBe(
      "教师资质有变化，接替建议已重新计算：已没有可接替的老师持有数学学科的有效教师资格证。人事指定的接替老师未改动。",
    );
    expect(certificateReplanNote({ ...base, subjectsAfter: ["数学"], before, after: before, confirmed: false })).toBeNull();
  });

  it("parents left without anyone are named last", () => {
    const lost = new Map<string, string | null>([...before, ["parent:wm_1", null], ["parent:wm_2", "wang"]]);
    expect(certificateReplanNote({ ...base, subjectsAfter: ["数学"], before, after: lost, confirmed: false })).toBe(
      "教师资质有变化，接替建议已重新计算：1 位家长改由王老师接替；1 位家长暂无可接替的老师。人事指定的接替老师未改动。",
    );
  });
});
