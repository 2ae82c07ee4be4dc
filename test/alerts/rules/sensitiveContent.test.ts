import { SensitiveRule } from "../../../src/alerts/rules/riskConfig";
import { activeTeacher, config, finalParents, leaver, outbound, run } from "./fixtures";
import { RiskConfigInput } from "../../../src/alerts/rules/riskConfig";
import { StaffContext } from "../../../src/alerts/rules/observation";

type RuleInput = NonNullable<RiskConfigInput["sensitive"]>[number];
const leaverRule: RuleInput = {
  ruleId: "s_leaver",
  name: "离职交微信",
  auditorUserId: "hr_zhao",
  acts: ["phone", "email", "private_account", "diversion", "red_packet", "card"],
  words: ["退费", "克扣工资", "转机构"],
};
const withRules = (...rules: RuleInput[]) => config({ sensitive: rules });

describe("sensitive words and acts", () => {
  test.each([
    ["diversion to a personal WeChat", "王妈妈，以后加我微信联系吧", "引导家长添加私人联系方式「加我微信」"],
    ["diversion with spaces and emoji", "加 我 私 人 微 信 😊", "引导家长添加私人联系方式「加我私人微信」"],
    ["a WeChat id", "我的微信号：wang_teacher88", "私人账号 微信:wang_teacher88"],
    ["a mobile number with spaces", "有事打我电话 138 1234 5678", "手机号 138****5678"],
    ["full-width mobile", "电话１３９００００１１１１", "手机号 139****1111"],
    ["an email", "资料发我邮箱 wang@qq.com", "邮箱 wang@qq.com"],
    ["a keyword", "学校一直克扣工资", "关键词「克扣工资」"],
    ["a keyword split by punctuation", "想退.费的找我", "关键词「退费」"],
    ["the account is going away", "这个号不用了，以后联系我", "引导家长添加私人联系方式「这个号不用了」"],
  ])("%s", (_name, text, reason) => {
    const r = run([outbound(0, "p1", text)], withRules(leaverRule), activeTeacher);
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]!.kind).toBe("sensitive_content");
    expect(r.emitted[0]!.reasons).toContain(reason);
  });

  test.each([
    ["red packet", "redpacket"],
    ["external red packet", "external_redpacket"],
    ["contact card", "card"],
  ])("%s is a sensitive act", (_name, msgtype) => {
    const r = run([outbound(0, "p1", "", { msgtype, text: undefined })], withRules(leaverRule), activeTeacher);
    expect(r.emitted).toHaveLength(1);
  });

  test.each([
    ["homework notice", "今天作业：练习册第12页，明早8点前交"],
    ["a class WeChat group mention", "已经发到微信群里了，请查收"],
    ["a landline", "学校前台电话 021-12345678"],
  ])("no hit: %s", (_name, text) => {
    expect(run([outbound(0, "p1", text)], withRules(leaverRule), activeTeacher).emitted).toEqual([]);
  });

  test("a leaver giving 3 parents a private WeChat → one alert, raised severity, 3 parents", () => {
    const obs = ["p1", "p2", "p3"].map((p, i) => outbound(i, p, `${p}家长您好，我要离职了，加我微信 wang_teacher88`));
    const r = run(obs, withRules(leaverRule), leaver);
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ severity: "critical", auditorUserId: "hr_zhao", delivery: "immediate" });
    expect(r.emitted[0]!.title).toBe("【敏感内容】王老师（离职交接中）的消息命中「离职交微信」");
    expect(finalParents(r, r.emitted[0]!.incidentKey)).toEqual(["p1", "p2", "p3"]);
  });

  test("acts not enabled on a rule are not reported", () => {
    const wordsOnly: RuleInput = { ...leaverRule, acts: [] };
    expect(run([outbound(0, "p1", "电话13812345678")], withRules(wordsOnly), activeTeacher).emitted).toEqual([]);
  });

  test("parents' own messages are out of scope unless the rule says so", () => {
    const inbound = outbound(0, "p1", "我电话13812345678", { direction: "inbound" });
    expect(run([inbound], withRules(leaverRule), activeTeacher).emitted).toEqual([]);
    const both: RuleInput = { ...leaverRule, directions: ["inbound", "outbound"] };
    expect(run([inbound], withRules(both), activeTeacher).emitted).toHaveLength(1);
  });

  test.each([
    ["no scope = everyone", {}, activeTeacher, 1],
    ["scoped to the staff member", { staffUserIds: ["t_wang"] }, activeTeacher, 1],
    ["scoped to someone else", { staffUserIds: ["t_li"] }, activeTeacher, 0],
    ["scoped to the department", { departmentIds: [7] }, { ...activeTeacher, departmentIds: [3, 7] }, 1],
    ["scoped to another department", { departmentIds: [9] }, { ...activeTeacher, departmentIds: [3, 7] }, 0],
  ])("scope: %s", (_name, scope, staff, expected) => {
    const rule: RuleInput = { ...leaverRule, scope: scope as SensitiveRule["scope"] };
    expect(run([outbound(0, "p1", "加我微信")], withRules(rule), staff as StaffContext).emitted).toHaveLength(expected);
  });

  test("two rules hit by one message are two incidents with their own auditors", () => {
    const refunds: RuleInput = { ruleId: "s_refund", name: "退费", auditorUserId: "finance", words: ["退费"], delivery: "digest" };
    const r = run([outbound(0, "p1", "退费的话加我微信")], withRules(leaverRule, refunds), activeTeacher);
    expect(r.emitted.map((a) => [a.ruleId, a.auditorUserId, a.delivery])).toEqual([
      ["s_leaver", "hr_zhao", "immediate"],
      ["s_refund", "finance", "digest"],
    ]);
  });

  test("invalid config is rejected with the field named", () => {
    expect(() => withRules({ ...leaverRule, auditorUserId: "" })).toThrow(/auditorUserId/);
  });
});
