import { chineseNumber, statuteLabel } from "../../../src/resignation/rules/statutes";

describe("statutes written out for people", () => {
  it.each([
    [1, "一"], [10, "十"], [15, "十五"], [20, "二十"], [27, "二十七"], [46, "四十六"], [100, "一百"], [101, "一百零一"], [110, "一百一十"], [215, "二百一十五"],
  ])("%i → %s", (n, zh) => expect(chineseNumber(n)).toBe(zh));

  it.each([
    ["LCL 47", "《劳动合同法》第四十七条"],
    ["LCL 46(2)", "《劳动合同法》第四十六条第二项"],
    ["LCL 44(4)(5)", "《劳动合同法》第四十四条第四项、第五项"],
    ["实施条例 27", "《劳动合同法实施条例》第二十七条"],
    ["WPR 9", "《工资支付暂行规定》第九条"],
    ["LL 50", "《劳动法》第五十条"],
    ["企业职工带薪年休假实施办法 10", "《企业职工带薪年休假实施办法》第十条"],
    ["XYZ 3", "XYZ 3"],
  ])("%s → %s", (ref, zh) => expect(statuteLabel(ref)).toBe(zh));
});
