import type { DataSource } from "typeorm";
import type { Actor } from "../../org/policies/actor";
import { scopeOf } from "./dashboardStats";

export interface BranchChoice {
  id: number;
  name: string;
  path: number[];
}

/**
 * The branches whose settings a person's console offers: for HQ every branch of
 * the tree (a chain whose WeCom tree is flatter or deeper than HQ → region →
 * campus has no department of kind campus at all), else the roots of their HR /
 * campus-head subtrees and every branch below them.
 */
export async function branchChoices(dataSource: DataSource, actor: Actor): Promise<BranchChoice[]> {
  const { all, departmentIds } = scopeOf(actor);
  return dataSource.query(
    `SELECT id, name, path FROM department
      WHERE removed_at IS NULL AND ($1 OR path && $2::int[])
      ORDER BY path`,
    [all, departmentIds],
  );
}
