import { z } from "zod";
import { ValidationError } from "../../platform/errors";
import { DIVERSION_PHRASES } from "../rules/diversionPhrases";
import { buildInterceptRules, WECOM_MAX_RULE_NAME_CHARS, WECOM_MAX_WORDS_PER_RULE, type AddInterceptRulePayload, type InterceptSemantic } from "../rules/interceptRule";

/**
 * A branch's leaver lockdown (issue 21): what the leaver intercept rule
 * stops on the phone and whether it blocks or only warns, whether a leaver's
 * group-send task freezes the account on its own, the hour (China time) the
 * account is disabled on the last day, and how many days a successor has to
 * contact an inherited parent.
 */
export const lockdownSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  rule: z
    .object({
      name: z.string().trim().min(1).max(20).default("离职人员管控"),
      /** Diversion phrases we already detect, by default; at most one WeCom rule's worth (300). */
      words: z.array(z.string().trim().min(1).max(32)).max(WECOM_MAX_WORDS_PER_RULE).default([...DIVERSION_PHRASES]),
      semantics: z.array(z.enum(["phone", "email", "red_packet"])).default(["phone", "email", "red_packet"]),
      mode: z.enum(["block", "warn"]).default("block"),
    })
    .prefault({}),
  groupSend: z.object({ autoFreeze: z.boolean().default(false) }).prefault({}),
  lastDay: z.object({ disableAtHour: z.number().int().min(0).max(23).default(18) }).prefault({}),
  handover: z
    .object({
      /** A successor who has not written to an inherited parent within this many days is reminded. */
      contactWithinDays: z.number().int().min(1).max(60).default(3),
      /** …and the campus head is told this many days after that. */
      escalateAfterDays: z.number().int().min(1).max(30).default(2),
    })
    .prefault({}),
});

export type LockdownSettings = z.infer<typeof lockdownSettingsSchema>;
export type LockdownSettingsInput = z.input<typeof lockdownSettingsSchema>;

export function parseLockdownSettings(input: unknown): LockdownSettings {
  return lockdownSettingsSchema.parse(input ?? {});
}

/** Each setting's name as HR reads it on the settings page, for refusals. */
const FIELD_LABELS: Record<string, string> = {
  enabled: "启用离职管控",
  "rule.name": "拦截规则名称",
  "rule.words": "拦截词",
  "rule.semantics": "额外拦截内容",
  "rule.mode": "拦截方式",
  "groupSend.autoFreeze": "离职期群发自动冻结",
  "lastDay.disableAtHour": "最后工作日停用账号的时间",
  "handover.contactWithinDays": "接任老师联系家长的天数",
  "handover.escalateAfterDays": "通知校区负责人前再等的天数",
};

/**
 * Settings from HR, or a refusal that names the field and the limit in
 * Chinese (WeCom's own limits: rule name 1–20 characters, at most 300 words
 * of 1–32 characters — developer.work.weixin.qq.com/document/path/95130).
 */
export function parseLockdownSettingsForSave(input: unknown): LockdownSettings {
  const parsed = lockdownSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => {
    const path = i.path.filter((p) => typeof p === "string").join(".");
    const label = FIELD_LABELS[path] ?? "离职管控设置";
    const at = typeof i.path[i.path.length - 1] === "number" ? `第${Number(i.path[i.path.length - 1]) + 1}个` : "";
    return { path: i.path.join("."), message: `${label}${at}${lockdownIssueText(i)}` };
  });
  throw new ValidationError(`未保存：${issues.map((i) => i.message).join("；")}`, issues);
}

function lockdownIssueText(i: z.core.$ZodIssue): string {
  if (i.code === "too_big") return i.origin === "array" ? `最多${String(i.maximum)}个` : i.origin === "string" ? `不能超过${String(i.maximum)}个字` : `不能大于${String(i.maximum)}`;
  if (i.code === "too_small") return i.origin === "string" ? "不能为空" : i.origin === "array" ? `至少${String(i.minimum)}个` : `不能小于${String(i.minimum)}`;
  if (i.code === "invalid_type") return "格式不对";
  if (i.code === "invalid_value") return "不是可选的值";
  return "不合要求";
}

/**
 * The leaver rule's name in WeCom: HR's name, a dash and the branch's name
 * ("离职人员管控-北京校区"). WeCom refuses a rule name another rule of the
 * company holds (41077 "聊天敏感词规则名称不唯一", path/90313 as transcribed in
 * xen0n/go-workwx errcodes/mod.go), and every branch starts from the same
 * default name. Fitted to WeCom's 20 characters (path/95130) by shortening
 * the branch's name first, keeping at least two of its characters.
 */
export function leaverRuleName(name: string, branchName: string): string {
  const base = [...name.trim()];
  const branch = [...branchName.trim()];
  if (branch.length === 0) return base.slice(0, WECOM_MAX_RULE_NAME_CHARS).join("");
  const keepBranch = Math.max(2, WECOM_MAX_RULE_NAME_CHARS - base.length - 1);
  const shownBranch = branch.slice(0, keepBranch);
  return [...base.slice(0, WECOM_MAX_RULE_NAME_CHARS - shownBranch.length - 1), "-", ...shownBranch].join("");
}

/** The branch's leaver rule for these leavers; undefined when nobody is locked (WeCom refuses an empty range). */
export function leaverRulePayload(settings: LockdownSettings, leavers: string[], branchName: string): AddInterceptRulePayload | undefined {
  if (!settings.enabled || leavers.length === 0) return undefined;
  const [payload] = buildInterceptRules({
    name: leaverRuleName(settings.rule.name, branchName),
    words: settings.rule.words,
    semantics: settings.rule.semantics as InterceptSemantic[],
    interceptType: settings.rule.mode,
    userIds: [...leavers].sort(),
    departmentIds: [],
  });
  return payload;
}
