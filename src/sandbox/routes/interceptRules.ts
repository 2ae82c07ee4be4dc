import { SandboxApiError } from "../apiError";
import type { SandboxCore } from "../core";
import { ERR } from "../errcodes";
import { charsBetween, integer, object, requiredString, stringList } from "./params";
import { CUSTOMER_CONTACT, type SandboxRoute } from "./route";

export const MAX_INTERCEPT_RULES = 100;

/** add_intercept_rule: native sensitive-word blocking on members' phones. */
export function interceptRuleRoutes(core: SandboxCore): SandboxRoute[] {
  const { state, clock } = core;
  return [
    {
      method: "POST",
      path: "/cgi-bin/externalcontact/add_intercept_rule",
      grants: CUSTOMER_CONTACT,
      handle: ({ body }) => {
        const ruleName = charsBetween(requiredString(body.rule_name, "rule_name"), "rule_name", 1, 20);
        const wordList = stringList(body.word_list, "word_list", 300, { required: true });
        wordList.forEach((w) => charsBetween(w, "word_list[]", 1, 32));
        const semantics = body.semantics_list ?? [];
        if (!Array.isArray(semantics) || semantics.some((s) => ![1, 2, 3].includes(s as number))) {
          throw new SandboxApiError(ERR.invalidParameter, "semantics_list: 1 phone, 2 email, 3 red packet");
        }
        const interceptType = integer(body.intercept_type, "intercept_type", { min: 1, max: 2 }) as 1 | 2;
        const range = object(body.applicable_range, "applicable_range");
        const userList = stringList(range.user_list, "user_list", 1000);
        const departmentList = (range.department_list ?? []) as number[];
        if (!Array.isArray(departmentList) || departmentList.length > 1000) {
          throw new SandboxApiError(ERR.invalidParameter, "department_list: at most 1000");
        }
        if (userList.length === 0 && departmentList.length === 0) {
          throw new SandboxApiError(ERR.invalidParameter, "applicable_range is empty");
        }
        const unknownUser = userList.find((u) => !state.users.has(u));
        if (unknownUser) throw new SandboxApiError(ERR.userNotFound, `userid not found: ${unknownUser}`);
        if (departmentList.some((d) => !state.departments.has(d))) {
          throw new SandboxApiError(ERR.departmentNotFound, "invalid department id");
        }
        if (state.interceptRules.length >= MAX_INTERCEPT_RULES) {
          throw new SandboxApiError(ERR.interceptRuleLimit, "at most 100 intercept rules per company");
        }
        const ruleId = `rule${String(state.interceptRules.length + 1).padStart(6, "0")}`;
        state.interceptRules.push({
          ruleId,
          ruleName,
          wordList,
          semanticsList: semantics as number[],
          interceptType,
          userList,
          departmentList,
          createdAt: clock.now(),
        });
        return { rule_id: ruleId };
      },
    },
  ];
}
