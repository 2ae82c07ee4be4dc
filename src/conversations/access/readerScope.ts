import type { EntityManager } from "typeorm";
import { inheritedThreads } from "../../handover/successorAccess";
import type { Actor } from "../../org/policies/actor";

/**
 * Which conversations an actor may read, as a set rather than one resource
 * at a time, so a search across the chain can put it in SQL: everything (HQ),
 * the staff of branch subtrees (HR and campus heads read their subtree, the
 * same rule as can() in org/policies/authorize.ts), plus threads handed to
 * the actor (记录继承). Hits are still checked one by one with can() (and a
 * group needs every staff member in it covered) before anything is counted.
 */
export type ReaderScope =
  | { kind: "all" }
  | { kind: "some"; departmentIds: number[]; inherited: Array<{ staffUserid: string; externalUserids: string[] }> };

export async function readerScope(manager: EntityManager, actor: Actor): Promise<ReaderScope> {
  if (actor.grants.some((g) => g.role === "hq_admin")) return { kind: "all" };
  const departmentIds = actor.grants
    .filter((g) => (g.role === "hr" || g.role === "campus_head") && g.departmentId !== null)
    .map((g) => g.departmentId as number);
  const inherited = (await inheritedThreads(manager, actor.userid)).map((i) => ({ staffUserid: i.predecessor, externalUserids: i.externalUserIds }));
  return { kind: "some", departmentIds: [...new Set(departmentIds)], inherited };
}

export const scopeIsEmpty = (s: ReaderScope) => s.kind === "some" && s.departmentIds.length === 0 && s.inherited.length === 0;

/**
 * The scope as a WHERE fragment on archive_message `m`; `param` appends a
 * bind value and returns its placeholder.
 */
export function scopeSql(scope: ReaderScope, param: (value: unknown) => string): string {
  if (scope.kind === "all") return "true";
  const parts: string[] = [];
  if (scope.departmentIds.length > 0) {
    parts.push(`m.staff_userid IN (
      SELECT s.userid FROM staff s
       WHERE s.department_ids && ARRAY(SELECT d.id FROM department d WHERE d.path && ${param(scope.departmentIds)}::int[]))`);
  }
  const pairs = scope.inherited.flatMap((i) => i.externalUserids.map((e) => [i.staffUserid, e] as const));
  if (pairs.length > 0) {
    // A successor inherits 1:1 threads only, never groups.
    parts.push(`(m.room_id IS NULL AND (m.staff_userid, m.external_userid) IN (
      SELECT * FROM unnest(${param(pairs.map((p) => p[0]))}::text[], ${param(pairs.map((p) => p[1]))}::text[])))`);
  }
  // A parent's words in a group carry no staff member: let them through to the per-hit check, which
  // admits a group only when every staff member in it is covered.
  if (scope.departmentIds.length > 0) parts.push(`(m.room_id IS NOT NULL AND m.staff_userid IS NULL)`);
  return parts.length > 0 ? `(${parts.join(" OR ")})` : "false";
}
