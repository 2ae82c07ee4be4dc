import type { Actor, Role } from "./actor";

/**
 * What a list may show an actor: everything, or the subtrees under some
 * departments (an empty list means nothing). Every list, dashboard count and
 * search filters by one of these, from the same policy that answers can().
 */
export type Scope = { all: true } | { all: false; departmentIds: number[] };

export const everything: Scope = { all: true };
export const nothing: Scope = { all: false, departmentIds: [] };

/** The subtrees an actor's grants of these roles cover. */
export function subtreesOf(actor: Actor, roles: Role[]): Scope {
  return { all: false, departmentIds: actor.grants.filter((g) => roles.includes(g.role) && g.departmentId !== null).map((g) => g.departmentId as number) };
}

export function union(...scopes: Scope[]): Scope {
  if (scopes.some((s) => s.all)) return everything;
  return { all: false, departmentIds: [...new Set(scopes.flatMap((s) => (s.all ? [] : s.departmentIds)))] };
}

/** True when a department, given by its path from the root, lies within the scope. */
export function scopeCoversPath(scope: Scope, departmentPath: number[]): boolean {
  return scope.all || departmentPath.some((id) => scope.departmentIds.includes(id));
}
