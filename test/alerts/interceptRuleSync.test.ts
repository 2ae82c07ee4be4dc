import { syncInterceptRules } from "../../src/alerts/intercept/syncInterceptRules";
import { syncBinding } from "../../src/alerts/intercept/interceptRuleSync";
import { saveBranchSettings, type BranchSettings } from "../../src/alerts/store/branchSettings";
import { PARENTS, ROBOT, RULES, startAlertsHarness, type AlertsHarness } from "./alertsHarness";

/**
 * Issue 13, intercept rules: WeCom's rule_id is kept; a settings change updates or
 * deletes the existing rule (path/95130 update_intercept_rule / del_intercept_rule)
 * instead of adding another; a crash between WeCom's reply and our commit is
 * reconciled through get_intercept_rule_list (add_intercept_rule is not idempotent, path/92135).
 */
describe("intercept rules keep one WeCom rule per local rule", () => {
  let h: AlertsHarness;
  beforeEach(async () => {
    h = await startAlertsHarness({ startConsumer: false });
  });
  afterEach(() => h.close());

  async function save(sensitive: unknown[]): Promise<BranchSettings> {
    return h.dataSource.transaction((m) => saveBranchSettings(m, 2, { rules: { ...RULES, sensitive }, notifier: { webhookKey: ROBOT } }, "hr_bj", h.clock.now()));
  }
  const addCalls = () => h.sandbox.calls.callsTo("/cgi-bin/externalcontact/add_intercept_rule").length;

  it("three settings changes leave exactly one WeCom rule, updated in place", async () => {
    const first = await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"], acts: ["phone"] }]));
    expect(first.map((p) => p.action)).toEqual(["added"]);
    const wecomRuleId = first[0]!.wecomRuleId!;

    const second = await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局", "黑心机构"], acts: ["phone", "email"] }]));
    const third = await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构2", words: ["黑心机构"], acts: [], scope: { staffUserIds: ["teacher_a"], departmentIds: [] } }]));
    expect([second[0]!.action, third[0]!.action]).toEqual(["updated", "updated"]);
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
    expect(h.sandbox.state.interceptRules[0]).toMatchObject({
      ruleId: wecomRuleId, ruleName: "诋毁机构2", wordList: ["黑心机构"], semanticsList: [], interceptType: 1, userList: ["teacher_a"], departmentList: [],
    });
    expect(addCalls()).toBe(1);
    expect(h.sandbox.calls.callsTo("/cgi-bin/externalcontact/update_intercept_rule")).toHaveLength(2);
    // The update carried only the difference, with semantics under extra_rule and ranges as add/remove.
    const lastUpdate = h.sandbox.calls.callsTo("/cgi-bin/externalcontact/update_intercept_rule").at(-1)!.body as Record<string, unknown>;
    expect(lastUpdate).toEqual({
      rule_id: wecomRuleId, rule_name: "诋毁机构2", word_list: ["黑心机构"], extra_rule: { semantics_list: [] },
      add_applicable_range: { user_list: ["teacher_a"] }, remove_applicable_range: { department_list: [2] },
    });
  });

  it("running the sync twice adds nothing the second time", async () => {
    const settings = await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"], acts: ["phone"] }]);
    await syncInterceptRules(h, settings);
    const again = await syncInterceptRules(h, settings);
    expect(again.map((p) => [p.action, p.pushed])).toEqual([["unchanged", false]]);
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
    expect(addCalls()).toBe(1);
  });

  it("a rule disabled or removed in settings is deleted in WeCom", async () => {
    await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"] }, { ruleId: "kw2", auditorUserId: "hr_bj", name: "私下收费", words: ["转账给我"] }]));
    expect(h.sandbox.state.interceptRules).toHaveLength(2);
    const pushes = await syncInterceptRules(h, await save([{ ruleId: "kw2", auditorUserId: "hr_bj", name: "私下收费", words: ["转账给我"], enabled: false }]));
    expect(pushes.map((p) => [p.ruleId, p.action])).toEqual([["kw", "deleted"], ["kw2", "deleted"]]);
    expect(h.sandbox.state.interceptRules).toHaveLength(0);
    expect(await h.dataSource.query(`SELECT * FROM alert_intercept_rule`)).toEqual([]);
  });

  it("a crash between WeCom's reply and our commit is reconciled, not added twice", async () => {
    const settings = await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"], acts: ["phone"] }]);
    // WeCom creates the rule, then the process dies before the rule_id is committed.
    const api = h.client.interceptRule;
    const realAdd = api.addInterceptRule.bind(api);
    const spy = jest.spyOn(api, "addInterceptRule").mockImplementationOnce(async (req) => {
      await realAdd(req);
      throw new Error("process died before commit");
    });
    await expect(syncInterceptRules(h, settings)).rejects.toThrow("process died");
    spy.mockRestore();
    const [pending] = await h.dataSource.query(`SELECT state, wecom_rule_id, attempt_name FROM alert_intercept_rule`);
    expect(pending).toEqual({ state: "adding", wecom_rule_id: null, attempt_name: "诋毁机构" });

    const recovered = await syncInterceptRules(h, settings);
    expect(recovered.map((p) => p.action)).toEqual(["adopted"]);
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
    expect(recovered[0]!.wecomRuleId).toBe(h.sandbox.state.interceptRules[0]!.ruleId);
    expect(addCalls()).toBe(1);
    expect(h.sandbox.calls.callsTo("/cgi-bin/externalcontact/get_intercept_rule_list")).toHaveLength(1);
  });

  it("an attempt that never reached WeCom is simply made again", async () => {
    const settings = await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"] }]);
    const spy = jest.spyOn(h.client.interceptRule, "addInterceptRule").mockRejectedValueOnce(new Error("timeout before sending"));
    await expect(syncInterceptRules(h, settings)).rejects.toThrow("timeout");
    spy.mockRestore();
    expect((await syncInterceptRules(h, settings)).map((p) => p.action)).toEqual(["added"]);
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
  });

  it("a lost reply after WeCom added the rule leaves one rule: a blind second add is refused for its name (41077), the next sync adopts the first", async () => {
    const payload = { rule_name: "诋毁机构", word_list: ["退费骗局"], intercept_type: 1 as const, applicable_range: { department_list: [2] } };
    const api = h.client.interceptRule;
    const realAdd = api.addInterceptRule.bind(api);
    const spy = jest.spyOn(api, "addInterceptRule").mockImplementationOnce(async (req) => {
      await realAdd(req);
      throw new Error("timeout");
    });
    await expect(syncBinding(h, { branchId: 2, ruleId: "kw", part: 0 }, payload)).rejects.toThrow("timeout");
    spy.mockRestore();
    // WeCom keeps rule names unique (41077 聊天敏感词规则名称不唯一, path/90313 via go-workwx errcodes/mod.go): no twin.
    await expect(realAdd(payload)).rejects.toMatchObject({ errcode: 41077 });
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
    expect((await syncBinding(h, { branchId: 2, ruleId: "kw", part: 0 }, payload)).action).toBe("adopted");
    expect(h.sandbox.state.interceptRules).toHaveLength(1);
  });

  it("a rule deleted in the admin console is added again at the next change", async () => {
    await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"] }]));
    h.sandbox.state.interceptRules.splice(0);
    const pushes = await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["黑心机构"] }]));
    expect(pushes.map((p) => p.action)).toEqual(["added"]);
    expect(h.sandbox.state.interceptRules.map((r) => r.wordList)).toEqual([["黑心机构"]]);
  });

  it("the phone blocks a matching message to a parent once the rule exists", async () => {
    await syncInterceptRules(h, await save([{ ruleId: "kw", auditorUserId: "hr_bj", name: "诋毁机构", words: ["退费骗局"], acts: ["phone"] }]));
    const blocked = h.sandbox.actors.send({ from: "teacher_b", to: PARENTS[0]!, content: "加我电话 138 1234 5678" });
    expect(blocked.verdict).toEqual({ outcome: "blocked", rules: [{ ruleId: h.sandbox.state.interceptRules[0]!.ruleId, ruleName: "诋毁机构", hit: "手机号" }] });
    expect(blocked.message).toBeUndefined();
    expect(h.sandbox.actors.send({ from: "teacher_b", to: PARENTS[0]!, content: "明天上课" }).verdict.outcome).toBe("sent");
    // Colleagues' chats are not customer chats: no interception.
    expect(h.sandbox.actors.send({ from: "teacher_b", to: "teacher_a", content: "13812345678" }).verdict.outcome).toBe("sent");
  });
});
