import type { Actor, Role } from "./actor";
import type { Action } from "./resources";
import { everything, subtreesOf, union, type Scope } from "./scope";

/**
 * The access rules of one resource kind, answering the two questions every
 * route asks: may this actor act on this one resource (can), and which of
 * them may a list show it (scope). Both come from the same role → subtree
 * table, so a list never shows what a direct read would refuse.
 */
export interface Policy<R> {
  can(actor: Actor, action: Action, resource: R): boolean;
  scope(actor: Actor, action: Action): Scope;
}

export function holds(actor: Actor, role: Role): boolean {
  return actor.grants.some((g) => g.role === role);
}

/** True when one of the actor's grants of these roles covers a department on one of the paths. */
export function coversAny(actor: Actor, roleSet: Role[], departmentPaths: number[][]): boolean {
  return actor.grants.some(
    (g) => roleSet.includes(g.role) && g.departmentId !== null && departmentPaths.some((path) => path.includes(g.departmentId as number)),
  );
}

/**
 * A policy whose subtree rules are one table: for each action, the roles
 * whose subtree grants cover it, and the roles that hold it company-wide.
 * HQ admins hold everything. `extra` adds person-level rules (own record,
 * assigned approver, successor) that no list scope expresses.
 */
export function subtreePolicy<R extends { departmentPaths: number[][] }>(
  table: Partial<Record<Action, { subtree: Role[]; anywhere?: Role[] }>>,
  extra?: (actor: Actor, action: Action, resource: R) => boolean,
): Policy<R> {
  return {
    can(actor, action, resource) {
      if (holds(actor, "hq_admin")) return true;
      if (extra?.(actor, action, resource)) return true;
      const rule = table[action];
      if (!rule) return false;
      return (rule.anywhere ?? []).some((role) => holds(actor, role)) || coversAny(actor, rule.subtree, resource.departmentPaths);
    },
    scope(actor, action) {
      if (holds(actor, "hq_admin")) return everything;
      const rule = table[action];
      if (!rule) return { all: false, departmentIds: [] };
      if ((rule.anywhere ?? []).some((role) => holds(actor, role))) return everything;
      return union(subtreesOf(actor, rule.subtree));
    },
  };
}
