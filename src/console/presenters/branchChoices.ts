import type { DataSource } from "typeorm";
import type { Actor } from "../../org/policies/actor";
import { scopeOf } from "./dashboardStats";

export interface BranchChoice {
  id: number;
  name: string;
  path: number[];
}

/** The branches whose settings a person's console offers: every campus for HQ, else the campuses in (and the roots of) their HR / campus-head subtrees. */
export async function branchChoices(dataSource: DataSource, actor: Actor): Promise<BranchChoice[]> {
  const { all, departmentIds } = scopeOf(actor);
  return dataSource.query(
    `SELECT id, name, path FROM department
      WHERE removed_at IS NULL AND (kind = 'campus' OR id = ANY($2::int[])) AND ($1 OR path && $2::int[])
      ORDER BY path`,
    [all, departmentIds],
  );
}
