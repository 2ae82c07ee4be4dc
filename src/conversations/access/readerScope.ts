import type { InheritedThreads } from "./inheritedThreads";
import type { Actor } from "../../org";
import { scope } from "../../org";
import type { Scope } from "../../org";
import { scopeSql as policyScopeSql } from "../../org";

/**
 * Which conversations an actor may read, as a set rather than one resource
 * at a time, so a search across the chain can put it in SQL. The subtrees come
 * from the conversation policy's scope() (the one access model: the same
 * role → subtree table that answers can()); the policy's person-level rule
 * that no list scope expresses, threads handed to the actor (记录继承), is
 * added from the handover module (the same lookup the per-hit checks use). Hits are still checked one by one with
 * can() (and a group needs every staff member in it covered) before anything
 * is counted.
 */
export interface ReaderScope {
  policy: Scope;
  inherited: Array<{ staffUserid: string; externalUserids: string[] }>;
}

export async function readerScope(actor: Actor, handedToActor: () => Promise<InheritedThreads[]>): Promise<ReaderScope> {
  const policy = scope(actor, "read", "conversation");
  if (policy.all) return { policy, inherited: [] };
  const inherited = (await handedToActor()).map((i) => ({ staffUserid: i.predecessor, externalUserids: i.externalUserIds }));
  return { policy, inherited };
}

export const scopeIsEmpty = (s: ReaderScope) => !s.policy.all && s.policy.departmentIds.length === 0 && s.inherited.length === 0;

/**
 * The scope as a WHERE fragment on archive_message `m`; `param` appends a
 * bind value and returns its placeholder. The subtree test is the policy's
 * own SQL (org/policies/scopeSql.ts), not a copy of its rules.
 */
export function scopeSql(scope: ReaderScope, param: (value: unknown) => string): string {
  if (scope.policy.all) return "true";
  const parts: string[] = [];
  const subtrees = scope.policy.departmentIds.length > 0;
  if (subtrees) {
    // The policy's fragment numbers its placeholders from `first`: bind its values here, in order, and hand it the first.
    const placeholders = policyScopeSql(scope.policy, 0).params.map((v) => param(v));
    // The staff in scope as one array, computed once per query (an InitPlan): correlated per message, the
    // planner re-derived the staff × department join in every month partition (EXPLAIN: 12 × 2,000 staff rows).
    const inScope = policyScopeSql(scope.policy, Number(placeholders[0]!.slice(1))).staff("scope_m.userid");
    parts.push(`m.staff_userid = ANY (ARRAY(SELECT scope_m.userid FROM staff scope_m WHERE ${inScope}))`);
  }
  const pairs = scope.inherited.flatMap((i) => i.externalUserids.map((e) => [i.staffUserid, e] as const));
  if (pairs.length > 0) {
    // A successor inherits 1:1 threads only, never groups.
    parts.push(`(m.room_id IS NULL AND (m.staff_userid, m.external_userid) IN (
      SELECT * FROM unnest(${param(pairs.map((p) => p[0]))}::text[], ${param(pairs.map((p) => p[1]))}::text[])))`);
  }
  // A parent's words in a group carry no staff member: let them through to the per-hit check, which
  // admits a group only when every staff member in it is covered.
  if (subtrees) parts.push(`(m.room_id IS NOT NULL AND m.staff_userid IS NULL)`);
  return parts.length > 0 ? `(${parts.join(" OR ")})` : "false";
}
