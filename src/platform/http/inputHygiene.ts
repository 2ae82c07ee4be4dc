import type { FieldProblem } from "../errors";

/** Where a value came from, for the field error a client reads. */
export type InputLocation = "params" | "query" | "body";

export interface HygieneLimits {
  /** Longest string in one location; path ids and query values are short, bodies may carry prose. */
  params: number;
  query: number;
  body: number;
}

export const DEFAULT_LIMITS: HygieneLimits = { params: 128, query: 512, body: 2000 };

/**
 * NUL and the other C0 controls (tab, line feed and carriage return are text),
 * DEL, and the C1 block. PostgreSQL refuses NUL in text (a 500 before this
 * check); the rest have no business in ids, names or notes and make logs and
 * exports lie.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export interface FieldProblemAt extends FieldProblem {
  in: InputLocation;
}

/**
 * Every string anywhere in a request's params, query or body (keys
 * included), checked before any schema sees it: a control character or an
 * over-long string is a 400 naming the field, for every route alike.
 */
export function hygieneProblems(location: InputLocation, value: unknown, maxLength: number): FieldProblemAt[] {
  // Almost every request is clean: prove that without building a path or a closure per field.
  if (isClean(value, maxLength, 0)) return NO_PROBLEMS;
  const problems: FieldProblemAt[] = [];
  const visit = (v: unknown, path: string[], depth: number): void => {
    if (problems.length >= 20) return;
    if (typeof v === "string") {
      if (CONTROL.test(v)) problems.push({ in: location, path: path.join("."), message: "包含不允许的控制字符" });
      else if (v.length > maxLength) problems.push({ in: location, path: path.join("."), message: `过长（最多 ${maxLength} 个字符）` });
      return;
    }
    if (v === null || typeof v !== "object") return;
    if (depth > 32) {
      problems.push({ in: location, path: path.join("."), message: "嵌套层级过深" });
      return;
    }
    const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
    for (const [key, item] of entries) {
      if (CONTROL.test(key)) {
        problems.push({ in: location, path: [...path, "(key)"].join("."), message: "字段名包含不允许的控制字符" });
        continue;
      }
      if (key.length > 256) {
        problems.push({ in: location, path: [...path, "(key)"].join("."), message: "字段名过长" });
        continue;
      }
      visit(item, [...path, key], depth + 1);
    }
  };
  visit(value, [], 0);
  return problems;
}

const NO_PROBLEMS: FieldProblemAt[] = Object.freeze([]) as unknown as FieldProblemAt[];

/** True when hygieneProblems would find nothing: the same checks, allocating nothing but key lists. */
function isClean(v: unknown, maxLength: number, depth: number): boolean {
  if (typeof v === "string") return v.length <= maxLength && !CONTROL.test(v);
  if (v === null || typeof v !== "object") return true;
  if (depth > 32) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isClean(v[i], maxLength, depth + 1)) return false;
    return true;
  }
  const record = v as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key.length > 256 || CONTROL.test(key) || !isClean(record[key], maxLength, depth + 1)) return false;
  }
  return true;
}
