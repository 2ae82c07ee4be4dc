import { z } from "zod";

/**
 * Per-branch risk rule configuration. Every rule names the auditor who receives
 * its alerts: an alert nobody owns is an alert nobody reads.
 */
const severity = z.enum(["info", "warning", "critical"]);
const ruleBase = {
  ruleId: z.string().min(1),
  auditorUserId: z.string().min(1),
  enabled: z.boolean().default(true),
};

export const sensitiveActSchema = z.enum(["phone", "email", "red_packet", "card", "private_account", "diversion"]);
export type SensitiveAct = z.infer<typeof sensitiveActSchema>;

export const sensitiveRuleSchema = z.object({
  ...ruleBase,
  name: z.string().min(1).max(20),
  severity: severity.default("warning"),
  delivery: z.enum(["immediate", "digest"]).default("immediate"),
  words: z.array(z.string().min(1).max(32)).max(3000).default([]),
  acts: z.array(sensitiveActSchema).default([]),
  /** Parents' own messages are normally out of scope: a parent sharing a phone number is no risk. */
  directions: z.array(z.enum(["outbound", "inbound"])).min(1).default(["outbound"]),
  /** Empty scope = every staff member of the branch. */
  scope: z
    .object({ staffUserIds: z.array(z.string()).default([]), departmentIds: z.array(z.number().int()).default([]) })
    .default({ staffUserIds: [], departmentIds: [] }),
});
export type SensitiveRule = z.infer<typeof sensitiveRuleSchema>;

export const riskConfigSchema = z.object({
  branchId: z.string().min(1),
  timeZone: z.string().default("Asia/Shanghai"),
  /** An incident stays open (and absorbs new hits) until this long after its last hit. */
  cooldownMinutes: z.number().positive().default(60),
  /** Count thresholds are multiplied by this during the notice period and after the last day. */
  leaverFactor: z.number().gt(0).max(1).default(0.3),
  massMessaging: z.object({
    ...ruleBase,
    severity: severity.default("warning"),
    windowMinutes: z.number().positive().default(10),
    distinctParents: z.number().int().min(2).default(40),
    duplicateParents: z.number().int().min(2).default(15),
    similarity: z.number().gt(0).max(1).default(0.7),
    /** Shorter texts ("收到", "好的") are alike by nature and prove nothing. */
    minTextLength: z.number().int().min(1).default(8),
    /** One post in one class group is normal; mass messaging spans conversations. */
    minConversations: z.number().int().min(2).default(3),
  }),
  massDeletion: z.object({
    ...ruleBase,
    severity: severity.default("warning"),
    windowMinutes: z.number().positive().default(30),
    deletions: z.number().int().min(2).default(10),
  }),
  parentLeft: z.object({
    ...ruleBase,
    severity: severity.default("info"),
    delivery: z.enum(["immediate", "digest"]).default("digest"),
  }),
  afterLastDay: z.object({ ...ruleBase, severity: severity.default("critical") }),
  sensitive: z.array(sensitiveRuleSchema).default([]),
});

export type RiskConfig = z.infer<typeof riskConfigSchema>;
export type RiskConfigInput = z.input<typeof riskConfigSchema>;

export function parseRiskConfig(input: unknown): RiskConfig {
  return riskConfigSchema.parse(input);
}
