import { randomBytes } from "node:crypto";
import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import type { SandboxState } from "../state/sandboxState";
import type { InterceptRule } from "../state/types";
import { charsBetween, integer, object, requiredString, stringList } from "./params";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

/** path/95130: "企业敏感词规则条数上限为100个". */
export const MAX_INTERCEPT_RULES = 100;

/*
 * 管理聊天敏感词 as Tencent documents it (developer.work.weixin.qq.com/document/path/95130):
 * add (POST, semantics_list top-level, applicable_range), get_intercept_rule_list (GET →
 * rule_list[]{rule_id, rule_name, create_time}), get_intercept_rule (POST {rule_id} → rule{…}
 * with semantics_list as WxJava's WxCpInterceptRuleInfo reads it), update (POST: rule_id plus any of
 * rule_name, word_list, extra_rule.semantics_list, intercept_type, add_applicable_range,
 * remove_applicable_range — WxJava issue #2993), del (POST {rule_id}). A rule_id WeCom does not know is
 * 41070 "无效的聊天敏感词规则id", one already deleted 41071 "聊天敏感词规则已经被删除" (Tencent's global error
 * codes, path/90313, as transcribed in xen0n/go-workwx errcodes/mod.go ErrCode41070/ErrCode41071). A rule
 * name is unique within the company: adding, or renaming to, a name another rule holds is 41077
 * "聊天敏感词规则名称不唯一" (same list, go-workwx errcodes/mod.go ErrCode41077, commit 3887053).
 */

function uniqueName(state: SandboxState, ruleName: string, except?: InterceptRule): string {
  if (state.interceptRules.some((r) => r !== except && r.ruleName === ruleName)) {
    throw new SandboxApiError(ERR.interceptRuleNameTaken, `intercept rule name not unique: ${ruleName}`);
  }
  return ruleName;
}

function semantics(value: unknown, field: string): number[] {
  const list = value ?? [];
  if (!Array.isArray(list) || list.some((s) => ![1, 2, 3].includes(s as number))) {
    throw new SandboxApiError(ERR.invalidParameter, `${field}: 1 phone, 2 email, 3 red packet`);
  }
  return [...new Set(list as number[])].sort();
}

function words(value: unknown): string[] {
  const list = stringList(value, "word_list", 300);
  list.forEach((w) => charsBetween(w, "word_list[]", 1, 32));
  return list;
}

function range(state: SandboxState, value: unknown, field: string): { userList: string[]; departmentList: number[] } {
  const r = value === undefined ? {} : object(value, field);
  const userList = stringList(r.user_list, `${field}.user_list`, 1000);
  const departmentList = (r.department_list ?? []) as number[];
  if (!Array.isArray(departmentList) || departmentList.length > 1000 || departmentList.some((d) => !Number.isInteger(d))) {
    throw new SandboxApiError(ERR.invalidParameter, `${field}.department_list: at most 1000 integers`);
  }
  // "必须为应用可见范围内的成员/部门": the sandbox app sees the whole company.
  const unknownUser = userList.find((u) => !state.users.has(u));
  if (unknownUser) throw new SandboxApiError(ERR.userNotFound, `userid not found: ${unknownUser}`);
  if (departmentList.some((d) => !state.departments.has(d))) throw new SandboxApiError(ERR.departmentNotFound, "invalid department id");
  return { userList, departmentList };
}

function findRule(state: SandboxState, body: Record<string, unknown>): InterceptRule {
  const ruleId = requiredString(body.rule_id, "rule_id");
  const rule = state.interceptRules.find((r) => r.ruleId === ruleId);
  if (!rule) {
    if (state.deletedInterceptRuleIds.has(ruleId)) throw new SandboxApiError(ERR.interceptRuleDeleted, `intercept rule deleted: ${ruleId}`);
    throw new SandboxApiError(ERR.invalidInterceptRuleId, `invalid rule_id: ${ruleId}`);
  }
  return rule;
}

function detail(rule: InterceptRule): Record<string, unknown> {
  return {
    rule_id: rule.ruleId,
    rule_name: rule.ruleName,
    word_list: rule.wordList,
    semantics_list: rule.semanticsList,
    intercept_type: rule.interceptType,
    applicable_range: { user_list: rule.userList, department_list: rule.departmentList },
    create_time: Math.floor(rule.createdAt.getTime() / 1000),
  };
}

export function interceptRuleRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock } = core;
  return [
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/add_intercept_rule",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const ruleName = charsBetween(requiredString(body.rule_name, "rule_name"), "rule_name", 1, 20);
        const wordList = words(body.word_list);
        const semanticsList = semantics(body.semantics_list, "semantics_list");
        if (wordList.length === 0 && semanticsList.length === 0) throw new SandboxApiError(ERR.invalidParameter, "word_list and semantics_list are both empty");
        const interceptType = integer(body.intercept_type, "intercept_type", { min: 1, max: 2 }) as 1 | 2;
        const { userList, departmentList } = range(state, object(body.applicable_range, "applicable_range"), "applicable_range");
        // "userid与department不能同时为不填".
        if (userList.length === 0 && departmentList.length === 0) throw new SandboxApiError(ERR.invalidParameter, "applicable_range is empty");
        uniqueName(state, ruleName);
        if (state.interceptRules.length >= MAX_INTERCEPT_RULES) {
          throw new SandboxApiError(ERR.interceptRuleLimit, "at most 100 intercept rules per company");
        }
        const ruleId = randomBytes(12).toString("hex");
        state.interceptRules.push({ ruleId, ruleName, wordList, semanticsList, interceptType, userList, departmentList, createdAt: clock.now() });
        return { rule_id: ruleId };
      },
    },
    {
      method: "GET",
      path: "/cgi-bin/externalcontact/get_intercept_rule_list",
      grants: CUSTOMER_CONTACT,
      handle: () => ({
        rule_list: state.interceptRules.map((r) => ({ rule_id: r.ruleId, rule_name: r.ruleName, create_time: Math.floor(r.createdAt.getTime() / 1000) })),
      }),
    },
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/get_intercept_rule",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => ({ rule: detail(findRule(state, body)) }),
    },
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/update_intercept_rule",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const rule = findRule(state, body);
        // Validate everything before changing anything: a refused update leaves the rule as it was.
        const ruleName = body.rule_name === undefined ? rule.ruleName : uniqueName(state, charsBetween(requiredString(body.rule_name, "rule_name"), "rule_name", 1, 20), rule);
        const wordList = body.word_list === undefined ? rule.wordList : words(body.word_list);
        const semanticsList =
          body.extra_rule === undefined ? rule.semanticsList : semantics(object(body.extra_rule, "extra_rule").semantics_list, "extra_rule.semantics_list");
        const interceptType = body.intercept_type === undefined ? rule.interceptType : (integer(body.intercept_type, "intercept_type", { min: 1, max: 2 }) as 1 | 2);
        const add = range(state, body.add_applicable_range, "add_applicable_range");
        const remove = body.remove_applicable_range === undefined ? { userList: [], departmentList: [] } : range(state, body.remove_applicable_range, "remove_applicable_range");
        const userList = [...new Set([...rule.userList, ...add.userList])].filter((u) => !remove.userList.includes(u));
        const departmentList = [...new Set([...rule.departmentList, ...add.departmentList])].filter((d) => !remove.departmentList.includes(d));
        if (userList.length === 0 && departmentList.length === 0) throw new SandboxApiError(ERR.invalidParameter, "applicable_range would be empty");
        if (wordList.length === 0 && semanticsList.length === 0) throw new SandboxApiError(ERR.invalidParameter, "word_list and semantics_list are both empty");
        Object.assign(rule, { ruleName, wordList, semanticsList, interceptType, userList, departmentList });
        return {};
      },
    },
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/del_intercept_rule",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const rule = findRule(state, body);
        state.interceptRules.splice(state.interceptRules.indexOf(rule), 1);
        state.deletedInterceptRuleIds.add(rule.ruleId);
        return {};
      },
    },
  ];
}
