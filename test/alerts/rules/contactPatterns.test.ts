import { findEmails, findMobileNumbers, findPrivateAccountIds } from "../../../src/alerts/rules/contactPatterns";

describe("findMobileNumbers", () => {
  test.each([
    ["plain", "我的电话13812345678", ["13812345678"]],
    ["spaces", "电话 138 1234 5678 随时打", ["13812345678"]],
    ["dashes", "138-1234-5678", ["13812345678"]],
    ["full-width digits", "１３８１２３４５６７８", ["13812345678"]],
    ["+86 prefix", "+86 139 0000 1111", ["13900001111"]],
    ["Chinese numerals", "幺三八一二三四五六七八", ["13812345678"]],
    ["two numbers", "13812345678 或者 19987654321", ["13812345678", "19987654321"]],
    ["dots", "电话:159.1234.5678", ["15912345678"]],
  ])("%s", (_name, text, expected) => {
    expect(findMobileNumbers(text)).toEqual(expected);
  });

  test.each([
    ["landline", "学校电话 021-12345678"],
    ["starts 12", "12812345678"],
    ["12 digits (order number)", "订单号 138123456789"],
    ["10 digits", "1381234567"],
    ["ordinary numbers", "三年二班，明天8点到校，带2支笔"],
    ["digits far apart", "1 3 8 aaa 1234 5678"],
  ])("not a mobile: %s", (_name, text) => {
    expect(findMobileNumbers(text)).toEqual([]);
  });
});

describe("findEmails", () => {
  test.each([
    ["plain", "发到 wang.teacher@qq.com 吧", ["wang.teacher@qq.com"]],
    ["full-width @", "wang＠163.com", ["wang@163.com"]],
    ["upper case", "WANG@Example.COM", ["wang@example.com"]],
    ["none", "@所有人 明天见", []],
  ])("%s", (_name, text, expected) => {
    expect(findEmails(text)).toEqual(expected);
  });
});

describe("findPrivateAccountIds", () => {
  test.each([
    ["微信号 colon", "我的微信号：wang_teacher88", ["微信:wang_teacher88"]],
    ["vx shorthand", "加vx wang123456", ["微信:wang123456"]],
    ["homophone 薇信", "薇信 Teacher-Wang", ["微信:teacher-wang"]],
    ["full-width letters", "ＶＸ：ａｂｃｄｅｆ", ["微信:abcdef"]],
    ["QQ", "QQ 12345678", ["QQ:12345678"]],
    ["扣扣号", "扣扣号是87654321", ["QQ:87654321"]],
    ["no cue word", "wang_teacher88", []],
    ["too short id", "微信 abc", []],
    ["微信群 is not an id", "已经发到微信群里了", []],
  ])("%s", (_name, text, expected) => {
    expect(findPrivateAccountIds(text)).toEqual(expected);
  });
});
