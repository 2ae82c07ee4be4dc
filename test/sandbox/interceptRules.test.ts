import { startTestSandbox, type TestSandbox } from "./support";

/**
 * The sandbox's 管理聊天敏感词 as Tencent documents it (developer.work.weixin.qq.com/document/path/95130):
 * list is GET, get/update/del are POST {rule_id}; update takes extra_rule.semantics_list and
 * add_/remove_applicable_range (WxJava issue #2993); get returns semantics_list in `rule`
 * (WxJava WxCpInterceptRuleInfo.java). And the phone enforces them (1 block, 2 warn only).
 */
describe("sandbox intercept rules: add, list, get, update, delete, enforced on messages", () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox();
  });
  afterEach(() => t.sandbox.stop());

  const rule = { rule_name: "禁止私下收费", word_list: ["转账"], semantics_list: [1], intercept_type: 1, applicable_range: { user_list: ["teacher_a"] } };

  it("lists and reads rules with the real field names", async () => {
    const { rule_id } = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", rule);
    const list = await t.api.get("customer", "/cgi-bin/externalcontact/get_intercept_rule_list", {});
    expect(list).toEqual({ errcode: 0, errmsg: "ok", rule_list: [{ rule_id, rule_name: "禁止私下收费", create_time: expect.any(Number) }] });
    const got = await t.api.post("customer", "/cgi-bin/externalcontact/get_intercept_rule", { rule_id });
    expect(got.rule).toEqual({
      rule_id, rule_name: "禁止私下收费", word_list: ["转账"], semantics_list: [1], intercept_type: 1,
      applicable_range: { user_list: ["teacher_a"], department_list: [] }, create_time: expect.any(Number),
    });
    // 41070 无效的聊天敏感词规则id (path/90313; go-workwx errcodes/mod.go).
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/get_intercept_rule", { rule_id: "nope" })).errcode).toBe(41070);
  });

  it("updates in place with extra_rule and add/remove ranges, refusing an update that empties the range", async () => {
    const { rule_id } = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", rule);
    const res = await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", {
      rule_id, extra_rule: { semantics_list: [1, 2] }, intercept_type: 2, add_applicable_range: { user_list: ["teacher_b"], department_list: [2] }, remove_applicable_range: { user_list: ["teacher_a"] },
    });
    expect(res.errcode).toBe(0);
    expect(t.sandbox.state.interceptRules).toHaveLength(1);
    expect(t.sandbox.state.interceptRules[0]).toMatchObject({ ruleId: rule_id, wordList: ["转账"], semanticsList: [1, 2], interceptType: 2, userList: ["teacher_b"], departmentList: [2] });
    const emptying = await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id, remove_applicable_range: { user_list: ["teacher_b"], department_list: [2] } });
    expect(emptying.errcode).toBe(40058);
    expect(t.sandbox.state.interceptRules[0]!.userList).toEqual(["teacher_b"]);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id, add_applicable_range: { user_list: ["ghost"] } })).errcode).toBe(60111);
  });

  it("refuses a second rule, or a rename, under a name another rule holds: 41077 聊天敏感词规则名称不唯一", async () => {
    // Tencent's global error codes (path/90313) as transcribed in xen0n/go-workwx errcodes/mod.go: ErrCode41077.
    const { rule_id } = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", rule);
    const twin = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", { ...rule, applicable_range: { user_list: ["teacher_b"] } });
    expect(twin.errcode).toBe(41077);
    expect(t.sandbox.state.interceptRules).toHaveLength(1);
    const other = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", { ...rule, rule_name: "禁止私下收费-上海" });
    expect(other.errcode).toBe(0);
    const rename = await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id: other.rule_id, rule_name: "禁止私下收费", intercept_type: 2 });
    expect(rename.errcode).toBe(41077);
    expect(t.sandbox.state.interceptRules.find((r) => r.ruleId === other.rule_id)).toMatchObject({ ruleName: "禁止私下收费-上海", interceptType: 1 });
    // Keeping its own name in an update is no clash; once the first rule is gone its name is free again.
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id, rule_name: "禁止私下收费", intercept_type: 2 })).errcode).toBe(0);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/del_intercept_rule", { rule_id })).errcode).toBe(0);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id: other.rule_id, rule_name: "禁止私下收费" })).errcode).toBe(0);
  });

  it("deletes a rule; deleting it again is refused", async () => {
    const { rule_id } = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", rule);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/del_intercept_rule", { rule_id })).errcode).toBe(0);
    expect(t.sandbox.state.interceptRules).toHaveLength(0);
    // 41071 聊天敏感词规则已经被删除.
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/del_intercept_rule", { rule_id })).errcode).toBe(41071);
    expect((await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id, intercept_type: 2 })).errcode).toBe(41071);
  });

  it("blocks (type 1) or only warns (type 2) the members in range when they write to customers", async () => {
    t.sandbox.archive.addKeyVersion(1);
    const { rule_id } = await t.api.post("customer", "/cgi-bin/externalcontact/add_intercept_rule", rule);
    const blocked = t.sandbox.actors.send({ from: "teacher_a", to: "wm_parent_1", content: "学费直接转账给我" });
    expect(blocked).toEqual({ verdict: { outcome: "blocked", rules: [{ ruleId: rule_id, ruleName: "禁止私下收费", hit: "转账" }] } });
    expect(() => t.sandbox.actors.chat({ from: "teacher_a", to: "wm_parent_1", content: "电话13912345678" })).toThrow(/blocked/);
    // Out of range: another member is not affected.
    expect(t.sandbox.actors.send({ from: "teacher_b", to: "wm_parent_1", content: "转账" }).verdict.outcome).toBe("sent");
    await t.api.post("customer", "/cgi-bin/externalcontact/update_intercept_rule", { rule_id, intercept_type: 2 });
    const warned = t.sandbox.actors.send({ from: "teacher_a", to: "wm_parent_1", content: "转账" });
    expect(warned.verdict.outcome).toBe("warned");
    expect(warned.message).toMatchObject({ from: "teacher_a", text: { content: "转账" } });
  });
});
