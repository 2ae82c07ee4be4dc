import type { AddInterceptRuleRequest } from "../../wecom";
import { buildInterceptRules, type InterceptSemantic } from "../rules/interceptRule";
import type { SensitiveAct } from "../rules/riskConfig";
import type { BranchSettings } from "../store/branchSettings";
import { branchBindings, LEAVER_RULE_KEY, syncBinding, type SyncAction, type SyncDeps } from "./interceptRuleSync";

const SEMANTIC_ACTS: Partial<Record<SensitiveAct, InterceptSemantic>> = { phone: "phone", email: "email", red_packet: "red_packet" };

export interface InterceptPush {
  ruleId: string;
  part: number;
  wecomRuleId?: string;
  /** Whether WeCom was changed (added, adopted after a crash, updated or deleted). */
  pushed: boolean;
  action: SyncAction;
}

/**
 * Mirrors the branch's keyword rules into WeCom's native interception so the
 * phone blocks the message too. Each rule part keeps its WeCom rule: a changed
 * rule is updated in place, a removed or disabled one deleted, an unchanged
 * one left alone — saving settings any number of times leaves exactly one
 * WeCom rule per local rule part. A rule scoped to nobody in particular
 * applies to the whole branch. The branch's leaver rule is synced elsewhere.
 */
export async function syncInterceptRules(deps: SyncDeps, branch: BranchSettings): Promise<InterceptPush[]> {
  const desired = new Map<string, { ruleId: string; part: number; payload: AddInterceptRuleRequest }>();
  for (const rule of branch.risk.config.sensitive) {
    const semantics = rule.acts.map((a) => SEMANTIC_ACTS[a]).filter((s): s is InterceptSemantic => s !== undefined);
    if (!rule.enabled || (rule.words.length === 0 && semantics.length === 0)) continue;
    const { staffUserIds, departmentIds } = rule.scope;
    const scoped = staffUserIds.length > 0 || departmentIds.length > 0;
    const payloads = buildInterceptRules({
      name: rule.name,
      words: rule.words,
      semantics,
      interceptType: "block",
      userIds: staffUserIds,
      departmentIds: scoped ? departmentIds : [branch.branchId],
    });
    payloads.forEach((payload, part) => desired.set(`${rule.ruleId}#${part}`, { ruleId: rule.ruleId, part, payload: payload as AddInterceptRuleRequest }));
  }
  const pushes: InterceptPush[] = [];
  for (const { ruleId, part, payload } of desired.values()) {
    const result = await syncBinding(deps, { branchId: branch.branchId, ruleId, part }, payload);
    pushes.push({ ruleId, part, wecomRuleId: result.wecomRuleId, pushed: result.action !== "unchanged", action: result.action });
  }
  for (const key of await branchBindings(deps, branch.branchId)) {
    if (key.ruleId === LEAVER_RULE_KEY || desired.has(`${key.ruleId}#${key.part}`)) continue;
    const result = await syncBinding(deps, key, undefined);
    pushes.push({ ruleId: key.ruleId, part: key.part, wecomRuleId: result.wecomRuleId, pushed: result.action !== "absent", action: result.action });
  }
  return pushes;
}
