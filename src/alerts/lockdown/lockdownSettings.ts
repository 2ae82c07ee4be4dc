import { z } from "zod";
import { DIVERSION_PHRASES } from "../rules/diversionPhrases";
import { buildInterceptRules, WECOM_MAX_WORDS_PER_RULE, type AddInterceptRulePayload, type InterceptSemantic } from "../rules/interceptRule";

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

/** The branch's leaver rule for these leavers; undefined when nobody is locked (WeCom refuses an empty range). */
export function leaverRulePayload(settings: LockdownSettings, leavers: string[]): AddInterceptRulePayload | undefined {
  if (!settings.enabled || leavers.length === 0) return undefined;
  const [payload] = buildInterceptRules({
    name: settings.rule.name,
    words: settings.rule.words,
    semantics: settings.rule.semantics as InterceptSemantic[],
    interceptType: settings.rule.mode,
    userIds: [...leavers].sort(),
    departmentIds: [],
  });
  return payload;
}
