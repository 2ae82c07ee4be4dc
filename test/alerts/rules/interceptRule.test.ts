import { buildInterceptRules, InterceptRuleInput } from "../../../src/alerts/rules/interceptRule";
import { ValidationError } from "../../../src/platform/errors";

const base: InterceptRuleInput = {
  name: "离职交微信",
  words: ["加我微信", "私人微信"],
  semantics: ["phone", "email", "red_packet"],
  interceptType: "block",
  userIds: ["t_wang"],
  departmentIds: [],
};

describe("buildInterceptRules (WeCom add_intercept_rule)", () => {
  test("a small rule is one payload in WeCom's shape", () => {
    expect(buildInterceptRules(base)).toEqual([
      {
        rule_name: "离职交微信",
        word_list: ["加我微信", "私人微信"],
        semantics_list: [1, 2, 3],
        intercept_type: 1,
        applicable_range: { user_list: ["t_wang"] },
      },
    ]);
  });

  test.each([
    [300, 1],
    [301, 2],
    [900, 3],
    [901, 4],
  ])("%i words → %i rules of ≤ 300 words", (n, rules) => {
    const words = Array.from({ length: n }, (_, i) => `敏感词${i}`);
    const payloads = buildInterceptRules({ ...base, words });
    expect(payloads).toHaveLength(rules);
    expect(payloads.every((p) => p.word_list.length <= 300)).toBe(true);
    expect(payloads.flatMap((p) => p.word_list)).toEqual(words);
    expect(payloads.filter((p) => p.semantics_list)).toHaveLength(1);
    expect(new Set(payloads.map((p) => p.rule_name)).size).toBe(rules);
  });

  test("split rule names stay within 20 characters", () => {
    const name = "一二三四五六七八九十一二三四五六七八九十";
    const payloads = buildInterceptRules({ ...base, name, words: Array.from({ length: 301 }, (_, i) => `w${i}`) });
    expect(payloads.map((p) => p.rule_name)).toEqual(["一二三四五六七八九十一二三四五六七(1)", "一二三四五六七八九十一二三四五六七(2)"]);
    expect(payloads.every((p) => [...p.rule_name].length <= 20)).toBe(true);
  });

  test("words are trimmed, blanks dropped, duplicates (also full-width/spacing variants) removed", () => {
    const [p] = buildInterceptRules({ ...base, words: [" 加我微信 ", "", "加 我 微 信", "ＶＸ", "vx"] });
    expect(p!.word_list).toEqual(["加我微信", "ＶＸ"]);
  });

  test("warn-only, departments, no semantics", () => {
    const [p] = buildInterceptRules({ ...base, interceptType: "warn", semantics: [], userIds: [], departmentIds: [3, 3, 5] });
    expect(p).toEqual({ rule_name: "离职交微信", word_list: ["加我微信", "私人微信"], intercept_type: 2, applicable_range: { department_list: [3, 5] } });
  });

  test.each([
    ["empty name", { name: " " }, /规则名称/],
    ["21-char name", { name: "一二三四五六七八九十一二三四五六七八九十一" }, /规则名称/],
    ["33-char word", { words: ["a".repeat(33)] }, /超过32个字符/],
    ["nothing to intercept", { words: [], semantics: [] }, /不能都为空/],
    ["no range", { userIds: [], departmentIds: [] }, /适用范围不能为空/],
    ["1001 users", { userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) }, /1000/],
    ["more than 100 rules", { words: Array.from({ length: 30_001 }, (_, i) => `w${i}`) }, /最多100条/],
  ])("rejects %s", (_name, patch, message) => {
    const call = () => buildInterceptRules({ ...base, ...(patch as Partial<InterceptRuleInput>) });
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(message);
  });
});
