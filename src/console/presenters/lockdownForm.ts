import { ValidationError } from "../../platform/errors";

/** What GET /api/hr/lockdown-settings/:branchId answers (src/alerts/routes/lockdownRoutes.ts). */
export interface LockdownSettingsView {
  branchId: number;
  version: number;
  /** false: the branch has no settings of its own; `inheritedFrom` names the branch above whose settings apply, null = none apply. */
  configured: boolean;
  inheritedFrom: { branchId: number; name: string } | null;
  /** The leaver rule's name as WeCom shows it (HR's name and the branch's: WeCom wants it unique). */
  wecomRuleName: string;
  /** Why WeCom refused the branch's leaver rule at the last attempt (Chinese), until a pass succeeds. */
  ruleProblem: { message: string; since: string } | null;
  settings: {
    enabled: boolean;
    rule: { name: string; words: string[]; semantics: Array<"phone" | "email" | "red_packet">; mode: "block" | "warn" };
    groupSend: { autoFreeze: boolean };
    lastDay: { disableAtHour: number };
    handover: { contactWithinDays: number; escalateAfterDays: number };
  };
}

/** Chinese labels of the lockdown settings' enums; the wording of the modes is Tencent's (path/95130, intercept_type). */
export const SEMANTIC_LABELS = { phone: "手机号", email: "邮箱地址", red_packet: "红包" } as const;
export const MODE_LABELS = { block: "警告并拦截发送（消息发不出去）", warn: "仅发警告（消息仍会发出）" } as const;

const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * The lockdown form's fields onto the settings the API takes. Whole numbers
 * are checked here so the refusal names the field as the page labels it;
 * ranges and WeCom's limits are the API's to check (and to explain).
 */
export function lockdownFromForm(form: Record<string, unknown>): LockdownSettingsView["settings"] {
  const whole = (field: string, label: string) => {
    const raw = str(form[field]);
    if (!/^\d+$/.test(raw)) throw new ValidationError(`未保存：“${label}”应为整数`);
    return Number(raw);
  };
  const words = str(form.words)
    .split(/[\r\n,，、]+/)
    .map((w) => w.trim())
    .filter(Boolean);
  const semantics = list(form.semantics).filter((s): s is keyof typeof SEMANTIC_LABELS => s in SEMANTIC_LABELS);
  return {
    enabled: form.enabled !== undefined,
    rule: { name: str(form.ruleName), words: [...new Set(words)], semantics, mode: str(form.mode) === "warn" ? "warn" : "block" },
    groupSend: { autoFreeze: form.autoFreeze !== undefined },
    lastDay: { disableAtHour: whole("disableAtHour", "最后工作日停用账号的时间") },
    handover: {
      contactWithinDays: whole("contactWithinDays", "接任老师须在几天内联系家长"),
      escalateAfterDays: whole("escalateAfterDays", "仍未联系，再过几天通知校区负责人"),
    },
  };
}
