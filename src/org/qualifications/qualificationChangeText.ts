import type { QualificationInput } from "./qualificationCsv";
import { KIND_LABELS } from "./qualificationRules";

/** The fields of a record in the order and words HR enters them. */
const FIELDS: [keyof QualificationInput, string][] = [
  ["kind", "证书类型"],
  ["name", "证书名称"],
  ["certificateNo", "证书编号"],
  ["subject", "学科"],
  ["level", "学段"],
  ["registeredOn", "注册日期"],
  ["expiresOn", "有效期至"],
];

function shown(field: keyof QualificationInput, value: string | null): string {
  if (value === null || value === "") return "（空）";
  return field === "kind" ? KIND_LABELS[value as QualificationInput["kind"]] : value;
}

/**
 * What an edit changed, field by field ("有效期至：2027-02-28 → 2028-02-28"), so the reply and the change log
 * say what happened rather than "updated".
 */
export function changedFields(before: QualificationInput, after: QualificationInput): string[] {
  return FIELDS.filter(([f]) => (before[f] ?? null) !== (after[f] ?? null)).map(([f, label]) => `${label}：${shown(f, before[f])} → ${shown(f, after[f])}`);
}

/** A record in one line, for the log of a created or deleted record. */
export function recordSummary(q: QualificationInput): string {
  // A 教师资格证's name is its kind: said once.
  return FIELDS.filter(([f]) => q[f] !== null && q[f] !== "" && !(f === "name" && q.kind === "teacher_certificate")).map(([f, label]) => `${label} ${shown(f, q[f])}`).join("，");
}
