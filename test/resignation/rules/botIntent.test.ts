import { recogniseIntent } from "../../../src/resignation/rules/botIntent";

// Every row has three cells: jest passes `done` in place of a missing one.
const CASES: [string, string, string][] = [
  // explicit first-person intent
  ["离职", "start_resignation", "explicit"],
  ["辞职", "start_resignation", "explicit"],
  ["我想离职", "start_resignation", "explicit"],
  ["我要辞职", "start_resignation", "explicit"],
  ["申请离职", "start_resignation", "explicit"],
  ["离职申请", "start_resignation", "explicit"],
  ["办理离职", "start_resignation", "explicit"],
  ["我想辞职。", "start_resignation", "explicit"],
  ["  我 要 离 职！ ", "start_resignation", "explicit"],
  ["我决定离职了", "start_resignation", "explicit"],
  ["我准备提离职", "start_resignation", "explicit"],
  ["我想申请离职，怎么操作？", "start_resignation", "explicit"],
  ["我要辞职在哪里申请", "start_resignation", "explicit"],
  ["老师，我想离职", "start_resignation", "explicit"],
  ["您好，申请离职", "start_resignation", "explicit"],
  ["HR 我要离职", "start_resignation", "explicit"],
  // implicit: ask before starting
  ["怎么离职", "start_resignation", "implicit"],
  ["如何办理离职？", "start_resignation", "implicit"],
  ["离职流程是什么", "start_resignation", "implicit"],
  ["离职手续", "start_resignation", "implicit"],
  ["离职要怎么申请", "start_resignation", "implicit"],
  ["不想干了", "start_resignation", "implicit"],
  ["我真的不想干了！", "start_resignation", "implicit"],
  ["干不下去了", "start_resignation", "implicit"],
  // status queries
  ["进度", "resignation_status", ""],
  ["离职进度", "resignation_status", ""],
  ["我的离职进度", "resignation_status", ""],
  ["离职申请进度", "resignation_status", ""],
  ["查询进度", "resignation_status", ""],
  ["查一下我的离职进度", "resignation_status", ""],
  ["审批进度怎么样了？", "resignation_status", ""],
  ["我的离职申请到哪了", "resignation_status", ""],
  ["我的离职批了吗", "resignation_status", ""],
  // withdrawal
  ["撤回离职", "withdraw_resignation", ""],
  ["我想撤回离职申请", "withdraw_resignation", ""],
  ["取消离职", "withdraw_resignation", ""],
  ["我不想离职了", "withdraw_resignation", ""],
  ["我还是不辞职了", "withdraw_resignation", ""],
  // certificate questions, not resignation
  ["离职证明怎么开", "certificate_question", ""],
  ["离职证明", "certificate_question", ""],
  ["我要离职证明", "certificate_question", ""],
  ["请问离职证明什么时候能拿到？", "certificate_question", ""],
  // about someone else, or unrelated: none
  ["他离职了吗", "none", ""],
  ["她要辞职了", "none", ""],
  ["张老师离职了吗？", "none", ""],
  ["谁离职了", "none", ""],
  ["王老师要离职，班级谁接？", "none", ""],
  ["他不想干了", "none", ""],
  ["项目进度", "none", ""],
  ["课程进度怎么样了", "none", ""],
  ["离职率高吗", "none", ""],
  ["我朋友想离职", "none", ""],
  ["离职后社保怎么办", "none", ""],
  ["今天下午开会", "none", ""],
  ["", "none", ""],
  ["   ", "none", ""],
  ["！！！", "none", ""],
];

describe("bot intent", () => {
  it.each(CASES)("%p → %s %s", (text, intent, confidence) => {
    const result = recogniseIntent(text);
    expect(result.intent).toBe(intent);
    if (confidence) expect(result).toMatchObject({ confidence });
  });

  it("tolerates a missing text", () => {
    expect(recogniseIntent(undefined as unknown as string)).toEqual({ intent: "none" });
  });

  it("normalises full-width characters", () => {
    expect(recogniseIntent("ＨＲ，我要离职")).toMatchObject({ intent: "start_resignation", confidence: "explicit" });
  });
});
