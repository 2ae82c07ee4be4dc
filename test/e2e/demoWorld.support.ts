import { CORP_SEED, LEAVER_GROUPS } from "../../src/demo/cast";
import { EVENTS, STATES } from "../../src/resignation/rules/caseStateMachine";
import { REASON_CATEGORIES } from "../../src/resignation/rules/noticeDocument";
import { SESSION_COOKIE } from "../../src/auth/authenticate";
import type { StoryEnv } from "../../src/demo/env";

/** A console page as a signed-in person's browser gets it (the session cookie; no redirects followed). */
export async function openAs(env: StoryEnv, userid: string, path: string): Promise<{ status: number; body: string; location: string | null }> {
  const res = await fetch(`${env.base}${path}`, { redirect: "manual", headers: { cookie: `${SESSION_COOKIE}=${env.consoleToken(userid)}` } });
  return { status: res.status, body: await res.text(), location: res.headers.get("location") };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

/** What a reader sees of a page: the text outside tags, styles and scripts, entities decoded (attribute values are not read). */
export function visibleText(page: string): string {
  return page
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<title>[\s\S]*?<\/title>/gi, (t) => t)
    .replace(/<[^>]+>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] as string)
    .replace(/\s+/g, " ");
}

/** The internal words of a text: ids and enum keys that appear as whole tokens. */
export function internalWordsIn(text: string, words: readonly string[]): string[] {
  return [...new Set(words.filter((w) => new RegExp(`(^|[^A-Za-z0-9_])${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_])`).test(text)))];
}

/** Ids and enum keys a person must never read on a console page. */
export const INTERNAL_WORDS = [
  ...CORP_SEED.users!.map((u) => u.userid),
  ...CORP_SEED.externalContacts!.map((c) => c.externalUserId),
  ...LEAVER_GROUPS,
  ...STATES,
  ...EVENTS.filter((e) => e.includes("_")),
  ...Object.keys(REASON_CATEGORIES),
  "info", "warning", "critical", "high", "medium", "low",
  "mass_messaging", "sensitive_content", "mass_deletion", "parent_left", "after_last_day_message",
  "requested", "waiting", "done", "refused", "successor_over_limit", "failed",
  "hr_choice", "class_co_teacher", "qualified_least_loaded", "same_subject_least_loaded", "campus_head", "hq_admin",
  "freeze", "false_positive", "frozen", "freeze_pending_it",
  "department_head", "leaver", "receiver", "supervisor",
  "all_parents_transferred", "all_groups_transferred", "class_handover", "account_disabled", "device_returned",
];
