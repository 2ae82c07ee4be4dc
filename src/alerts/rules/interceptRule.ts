import { ValidationError } from "../../platform/errors";
import { normalizeForMatching } from "./textNormalize";

/**
 * Mirrors a keyword rule into WeCom's native `add_intercept_rule`, so the
 * teacher's phone blocks the message as well as the bot alerting HR.
 * WeCom limits: rule_name 1–20 chars, word_list ≤ 300 words of 1–32 chars,
 * ≤ 1000 users / departments, ≤ 100 rules per company.
 */
export const WECOM_MAX_WORDS_PER_RULE = 300;
export const WECOM_MAX_WORD_CHARS = 32;
export const WECOM_MAX_RULE_NAME_CHARS = 20;
export const WECOM_MAX_RANGE_ENTRIES = 1000;
export const WECOM_MAX_RULES_PER_CORP = 100;

export const SEMANTICS = { phone: 1, email: 2, red_packet: 3 } as const;
export type InterceptSemantic = keyof typeof SEMANTICS;

export interface InterceptRuleInput {
  name: string;
  words: string[];
  semantics: InterceptSemantic[];
  /** "block": warn and block (1); "warn": warn only (2). */
  interceptType: "block" | "warn";
  userIds: string[];
  departmentIds: number[];
}

export interface AddInterceptRulePayload {
  rule_name: string;
  word_list: string[];
  semantics_list?: number[];
  intercept_type: 1 | 2;
  applicable_range: { user_list?: string[]; department_list?: number[] };
}

const length = (s: string) => [...s].length;

/** Deduplicated words (same matching form = same word), blanks dropped, order kept. */
function cleanWords(words: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of words) {
    const w = raw.trim();
    const key = normalizeForMatching(w);
    if (!w || !key || seen.has(key)) continue;
    if (length(w) > WECOM_MAX_WORD_CHARS) {
      throw new ValidationError(`敏感词「${w}」超过${WECOM_MAX_WORD_CHARS}个字符`);
    }
    seen.add(key);
    out.push(w);
  }
  return out;
}

/** "离职风险词" → "离职风险词(2)", trimming the base so the suffix still fits in 20 chars. */
function partName(name: string, part: number, parts: number): string {
  if (parts === 1) return name;
  const suffix = `(${part})`;
  return [...name].slice(0, WECOM_MAX_RULE_NAME_CHARS - length(suffix)).join("") + suffix;
}

export function buildInterceptRules(input: InterceptRuleInput): AddInterceptRulePayload[] {
  const name = input.name.trim();
  if (length(name) < 1 || length(name) > WECOM_MAX_RULE_NAME_CHARS) {
    throw new ValidationError(`规则名称须为1–${WECOM_MAX_RULE_NAME_CHARS}个字符`);
  }
  if (input.userIds.length > WECOM_MAX_RANGE_ENTRIES || input.departmentIds.length > WECOM_MAX_RANGE_ENTRIES) {
    throw new ValidationError(`适用范围的成员和部门各不能超过${WECOM_MAX_RANGE_ENTRIES}个`);
  }
  if (input.userIds.length === 0 && input.departmentIds.length === 0) {
    throw new ValidationError("适用范围不能为空");
  }
  const words = cleanWords(input.words);
  const semantics = [...new Set(input.semantics)].map((s) => SEMANTICS[s]).sort();
  if (words.length === 0 && semantics.length === 0) throw new ValidationError("敏感词和语义规则不能都为空");

  const chunks: string[][] = [];
  for (let i = 0; i < words.length; i += WECOM_MAX_WORDS_PER_RULE) chunks.push(words.slice(i, i + WECOM_MAX_WORDS_PER_RULE));
  if (chunks.length === 0) chunks.push([]);
  if (chunks.length > WECOM_MAX_RULES_PER_CORP) {
    throw new ValidationError(`敏感词过多：需要${chunks.length}条规则，企业微信最多${WECOM_MAX_RULES_PER_CORP}条`);
  }

  const range = {
    ...(input.userIds.length ? { user_list: [...new Set(input.userIds)] } : {}),
    ...(input.departmentIds.length ? { department_list: [...new Set(input.departmentIds)] } : {}),
  };
  // Semantic checks ride on the first part only: repeating them would double every warning.
  return chunks.map((chunk, i) => ({
    rule_name: partName(name, i + 1, chunks.length),
    word_list: chunk,
    ...(i === 0 && semantics.length ? { semantics_list: semantics } : {}),
    intercept_type: input.interceptType === "block" ? 1 : 2,
    applicable_range: range,
  }));
}
