import type { SandboxState } from "../state/sandboxState";
import type { InterceptRule } from "../state/types";

/**
 * How WeCom's chat interception treats a member's message to customers
 * (path/95130: 1 警告并拦截发送 — the phone refuses to send; 2 仅发警告 — it is sent with a
 * warning). A rule applies to the members in user_list and to every member of a listed
 * department or one below it. Semantics: 1 phone number, 2 e-mail address, 3 red packet.
 */
export interface InterceptVerdict {
  outcome: "sent" | "warned" | "blocked";
  /** The rules that matched, blocking ones first. */
  rules: Array<{ ruleId: string; ruleName: string; hit: string }>;
}

// Mainland mobile numbers, tolerating the spaces and dashes people type to dodge filters.
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const RED_PACKET_TYPES = new Set(["redpacket", "external_redpacket"]);

export function ruleAppliesTo(state: SandboxState, rule: InterceptRule, userid: string): boolean {
  if (rule.userList.includes(userid)) return true;
  const user = state.users.get(userid);
  if (!user || rule.departmentList.length === 0) return false;
  const covered = new Set(rule.departmentList.flatMap((d) => state.departmentSubtree(d)));
  return user.departments.some((d) => covered.has(d));
}

function hitOf(rule: InterceptRule, msgtype: string, text: string): string | undefined {
  const lower = text.toLowerCase();
  const word = rule.wordList.find((w) => lower.includes(w.toLowerCase()));
  if (word) return word;
  const compact = text.replace(/[\s-]/g, "");
  if (rule.semanticsList.includes(1) && PHONE.test(compact)) return "手机号";
  if (rule.semanticsList.includes(2) && EMAIL.test(text)) return "邮箱地址";
  if (rule.semanticsList.includes(3) && RED_PACKET_TYPES.has(msgtype)) return "红包";
  return undefined;
}

export function checkIntercept(state: SandboxState, sender: string, msgtype: string, text: string): InterceptVerdict {
  const matched: Array<InterceptRule & { hit: string }> = [];
  for (const rule of state.interceptRules) {
    if (!ruleAppliesTo(state, rule, sender)) continue;
    const hit = hitOf(rule, msgtype, text);
    if (hit) matched.push({ ...rule, hit });
  }
  matched.sort((a, b) => a.interceptType - b.interceptType);
  const outcome = matched.length === 0 ? "sent" : matched[0]!.interceptType === 1 ? "blocked" : "warned";
  return { outcome, rules: matched.map((r) => ({ ruleId: r.ruleId, ruleName: r.ruleName, hit: r.hit })) };
}
