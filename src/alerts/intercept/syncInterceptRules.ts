import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { WeComClient } from "../../wecom/client";
import { buildInterceptRules, type InterceptSemantic } from "../rules/interceptRule";
import type { SensitiveAct } from "../rules/riskConfig";
import type { BranchSettings } from "../store/branchSettings";

const SEMANTIC_ACTS: Partial<Record<SensitiveAct, InterceptSemantic>> = { phone: "phone", email: "email", red_packet: "red_packet" };

export interface InterceptPush {
  ruleId: string;
  part: number;
  wecomRuleId: string;
  pushed: boolean;
}

/**
 * Mirrors the branch's keyword rules into WeCom's native interception so the
 * phone blocks the message too. A part already pushed with the same content
 * is skipped (the stored hash), so saving settings twice creates nothing new.
 * A rule scoped to nobody in particular applies to the whole branch.
 */
export async function syncInterceptRules(deps: { dataSource: DataSource; client: WeComClient; clock: Clock }, branch: BranchSettings): Promise<InterceptPush[]> {
  const pushes: InterceptPush[] = [];
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
    for (const [part, payload] of payloads.entries()) {
      const hash = createHash("sha256").update(JSON.stringify(payload)).digest("hex");
      const [existing] = await deps.dataSource.query(
        `SELECT wecom_rule_id FROM alert_intercept_rule WHERE branch_id = $1 AND rule_id = $2 AND part = $3 AND payload_hash = $4`,
        [branch.branchId, rule.ruleId, part, hash],
      );
      if (existing) {
        pushes.push({ ruleId: rule.ruleId, part, wecomRuleId: existing.wecom_rule_id, pushed: false });
        continue;
      }
      const wecomRuleId = await deps.client.interceptRule.addInterceptRule(payload as Parameters<WeComClient["interceptRule"]["addInterceptRule"]>[0]);
      await deps.dataSource.query(
        `INSERT INTO alert_intercept_rule (branch_id, rule_id, part, payload_hash, wecom_rule_id, pushed_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (branch_id, rule_id, part) DO UPDATE SET payload_hash = EXCLUDED.payload_hash, wecom_rule_id = EXCLUDED.wecom_rule_id, pushed_at = EXCLUDED.pushed_at`,
        [branch.branchId, rule.ruleId, part, hash, wecomRuleId, deps.clock.now()],
      );
      pushes.push({ ruleId: rule.ruleId, part, wecomRuleId, pushed: true });
    }
  }
  return pushes;
}
