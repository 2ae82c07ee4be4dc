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
 *
 * One walk with one path stack: a field's dotted path is joined only when
 * that field has a problem, so a clean request (almost every one) allocates
 * nothing per field but the key lists it walks.
 */
export function hygieneProblems(location: InputLocation, value: unknown, maxLength: number): FieldProblemAt[] {
  const walk: Walk = { location, maxLength, path: [], problems: NO_PROBLEMS };
  visit(walk, value, 0);
  return walk.problems;
}

/** Returned for a clean location; frozen, so a caller adding to it fails loudly instead of sharing the addition. */
const NO_PROBLEMS: FieldProblemAt[] = Object.freeze([]) as unknown as FieldProblemAt[];
/** Enough to show a client what to fix; a hostile body with thousands of bad fields costs no more. */
const MAX_PROBLEMS = 20;
const MAX_DEPTH = 32;
const MAX_KEY_LENGTH = 256;

interface Walk {
  location: InputLocation;
  maxLength: number;
  /** Keys from the location's root to the value being visited. */
  path: string[];
  problems: FieldProblemAt[];
}

function report(walk: Walk, message: string, key?: string): void {
  if (walk.problems === NO_PROBLEMS) walk.problems = [];
  const path = key === undefined ? walk.path.join(".") : [...walk.path, key].join(".");
  walk.problems.push({ in: walk.location, path, message });
}

function visit(walk: Walk, v: unknown, depth: number): void {
  if (walk.problems.length >= MAX_PROBLEMS) return;
  if (typeof v === "string") {
    if (CONTROL.test(v)) report(walk, "包含不允许的控制字符");
    else if (v.length > walk.maxLength) report(walk, `过长（最多 ${walk.maxLength} 个字符）`);
    return;
  }
  if (v === null || typeof v !== "object") return;
  if (depth > MAX_DEPTH) {
    report(walk, "嵌套层级过深");
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) within(walk, String(i), v[i], depth);
    return;
  }
  const record = v as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (CONTROL.test(key)) report(walk, "字段名包含不允许的控制字符", "(key)");
    else if (key.length > MAX_KEY_LENGTH) report(walk, "字段名过长", "(key)");
    else within(walk, key, record[key], depth);
  }
}

function within(walk: Walk, key: string, v: unknown, depth: number): void {
  walk.path.push(key);
  visit(walk, v, depth + 1);
  walk.path.pop();
}
