import type { Scope } from "./scope";

/**
 * A scope as SQL, for the queries behind lists and dashboard counts. The
 * caller appends `params` to its own parameters; `first` is the number of
 * the first placeholder they take ($first = everything, $first+1 = the
 * department ids whose subtrees are visible).
 */
export interface ScopeSql {
  params: [boolean, number[]];
  /** A staff member (by a userid column) sits in one of the scope's subtrees in any of their departments. */
  staff(userColumn: string): string;
  /** A department (by an id column) lies in one of the scope's subtrees. */
  department(departmentColumn: string): string;
}

export function scopeSql(scope: Scope, first: number): ScopeSql {
  const all = `$${first}::boolean`;
  const ids = `$${first + 1}::int[]`;
  return {
    params: [scope.all, scope.all ? [] : scope.departmentIds],
    staff: (userColumn) =>
      `(${all} OR EXISTS (SELECT 1 FROM staff scope_s JOIN department scope_d ON scope_d.id = ANY(scope_s.department_ids) WHERE scope_s.userid = ${userColumn} AND scope_d.path && ${ids}))`,
    department: (departmentColumn) => `(${all} OR EXISTS (SELECT 1 FROM department scope_d WHERE scope_d.id = ${departmentColumn} AND scope_d.path && ${ids}))`,
  };
}
