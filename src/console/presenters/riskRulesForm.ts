import { randomUUID } from "node:crypto";
import { ValidationError } from "../../platform/errors";

/** Chinese labels for the risk rules' enums (src/alerts/rules/riskConfig.ts). */
export const SEVERITY_LABELS = { info: "提示", warning: "警告", critical: "严重" } as const;
export const ACT_LABELS = { phone: "手机号", email: "邮箱", red_packet: "红包", card: "名片", private_account: "私人账号", diversion: "引流话术" } as const;
export const DELIVERY_LABELS = { immediate: "立即通知", digest: "只进每日汇总" } as const;
export type Severity = keyof typeof SEVERITY_LABELS;
export type Act = keyof typeof ACT_LABELS;

/** The fixed rules a branch has, with the thresholds the form edits (others keep their stored values). */
export const FIXED_RULES = [
  { key: "massMessaging", prefix: "mm", label: "群发可疑消息", numbers: [["windowMinutes", "统计时间窗（分钟）"], ["distinctParents", "发给不同家长数达到"], ["duplicateParents", "相同内容发给家长数达到"]] },
  { key: "massDeletion", prefix: "md", label: "批量删除家长", numbers: [["windowMinutes", "统计时间窗（分钟）"], ["deletions", "删除家长数达到"]] },
  { key: "parentLeft", prefix: "pl", label: "家长删除老师", numbers: [] },
  { key: "afterLastDay", prefix: "al", label: "离职后仍在发消息", numbers: [] },
] as const;

type Rules = Record<string, unknown> & { sensitive?: Record<string, unknown>[] };
type Form = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * The form's fields onto the stored rules: what the form shows replaces, what
 * it does not show (similarity, scope, directions…) is kept. Auditors are
 * typed by name and resolved by `userOf`; numbers must be whole and positive.
 * The result is validated again by the alerts API.
 */
export function rulesFromForm(current: Rules, form: Form, branchId: number, userOf: (name: string, field: string) => string): Rules {
  const out: Rules = { ...current, branchId: String(branchId) };
  const num = (field: string, label: string) => {
    const raw = str(form[field]);
    const n = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || n <= 0) throw new ValidationError(`“${label}”应为正数`);
    return n;
  };
  out.cooldownMinutes = num("cooldownMinutes", "同一事件合并时长");
  out.leaverFactor = num("leaverFactor", "离职期阈值系数");
  if ((out.leaverFactor as number) > 1) throw new ValidationError("“离职期阈值系数”应在 0 到 1 之间");
  for (const rule of FIXED_RULES) {
    const before = (current[rule.key] as Record<string, unknown> | undefined) ?? {};
    const next: Record<string, unknown> = { ...before, ruleId: (before.ruleId as string | undefined) ?? rule.prefix };
    next.enabled = form[`${rule.prefix}.enabled`] !== undefined;
    next.auditorUserId = userOf(str(form[`${rule.prefix}.auditor`]), `${rule.label}的审核人`);
    next.severity = severityOf(form[`${rule.prefix}.severity`]);
    if (rule.key === "parentLeft") next.delivery = str(form["pl.delivery"]) === "immediate" ? "immediate" : "digest";
    for (const [field, label] of rule.numbers) {
      const n = num(`${rule.prefix}.${field}`, `${rule.label}：${label}`);
      if (!Number.isInteger(n)) throw new ValidationError(`“${rule.label}：${label}”应为整数`);
      next[field] = n;
    }
    out[rule.key] = next;
  }
  const ids = list(form["s.ruleId"]);
  const names = list(form["s.name"]);
  const severities = list(form["s.severity"]);
  const words = list(form["s.words"]);
  const auditors = list(form["s.auditor"]);
  const enabled = new Set(list(form["s.enabled"]));
  const acts = list(form["s.acts"]);
  const byId = new Map((current.sensitive ?? []).map((r) => [String(r.ruleId), r]));
  const sensitive: Record<string, unknown>[] = [];
  ids.forEach((ruleId, i) => {
    const name = str(names[i]);
    const wordList = (words[i] ?? "").split(/[\r\n,，、]+/).map((w) => w.trim()).filter(Boolean);
    const actList = acts.filter((a) => a.startsWith(`${i}:`)).map((a) => a.slice(`${i}:`.length)).filter((a): a is Act => a in ACT_LABELS);
    // The empty "new rule" row (or a row whose name was cleared) is no rule.
    if (!name) return;
    const before = byId.get(ruleId) ?? {};
    sensitive.push({
      ...before,
      ruleId: ruleId || `s-${randomUUID().slice(0, 8)}`,
      name,
      severity: severityOf(severities[i]),
      words: wordList,
      acts: actList,
      auditorUserId: userOf(str(auditors[i]), `敏感词规则“${name}”的审核人`),
      enabled: enabled.has(String(i)),
    });
  });
  out.sensitive = sensitive;
  return out;
}

function severityOf(v: unknown): Severity {
  const s = str(v);
  return s === "info" || s === "critical" ? s : "warning";
}
