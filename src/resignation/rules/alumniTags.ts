import { EXIT_REASONS, type ExitReason } from "./exitInterview";
import { REASON_CATEGORIES, type ReasonCategory } from "./noticeDocument";

/**
 * The alumni pool's tags (seed 004), in Chinese, from what the case and the
 * exit interview recorded: why they left, the role they held, their
 * performance band and whether the school would hire them again — plus HR's
 * own free tags. Derived on read, so a later exit interview or grade shows.
 */
export interface AlumniFacts {
  reasonCategory: string | null;
  /** The exit interview's reasons (fixed list), if it was held. */
  exitReasons: readonly string[];
  position: string | null;
  performanceGrade: string | null;
  rehireEligible: boolean | null;
  hrTags: readonly string[];
}

/** HR grades leavers in their own words (A, 优秀, B+…); the pool compares bands. */
const BANDS: [RegExp, string][] = [
  [/^(s|a\+?|a-|优秀|卓越)$/i, "优秀"],
  [/^(b\+?|b-|良好|良)$/i, "良好"],
  [/^(c\+?|c-|合格|中|称职)$/i, "合格"],
  [/^(d|e|待改进|不合格|差)$/i, "待改进"],
];

export function performanceBand(grade: string | null): string | null {
  const g = grade?.trim();
  if (!g) return null;
  return BANDS.find(([re]) => re.test(g))?.[1] ?? g;
}

export function alumniTags(f: AlumniFacts): string[] {
  const tags: string[] = [];
  const reasons = new Set<string>();
  if (f.reasonCategory && f.reasonCategory !== "other" && f.reasonCategory in REASON_CATEGORIES) reasons.add(REASON_CATEGORIES[f.reasonCategory as ReasonCategory]);
  for (const r of f.exitReasons) if (r in EXIT_REASONS && r !== "other") reasons.add(EXIT_REASONS[r as ExitReason]);
  for (const r of reasons) tags.push(`离职原因:${r}`);
  if (f.position?.trim()) tags.push(`岗位:${f.position.trim()}`);
  const band = performanceBand(f.performanceGrade);
  if (band) tags.push(`绩效:${band}`);
  tags.push(f.rehireEligible === true ? "可返聘" : f.rehireEligible === false ? "不建议返聘" : "返聘待评估");
  for (const t of f.hrTags) if (t.trim() && !tags.includes(t.trim())) tags.push(t.trim());
  return tags;
}

/** Search: every word of `q` must appear in the name or a tag; `tag` must be one of the tags exactly. */
export function alumniMatches(a: { name: string; tags: readonly string[] }, q: string | undefined, tag: string | undefined): boolean {
  if (tag && !a.tags.includes(tag)) return false;
  const words = (q ?? "").trim().split(/\s+/).filter(Boolean);
  const haystack = [a.name, ...a.tags].join(" ");
  return words.every((w) => haystack.includes(w));
}
