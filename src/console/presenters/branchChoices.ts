import type { DataSource } from "typeorm";
import type { Actor } from "../../org";
import { scope } from "../../org";
import { scopeSql } from "../../org";

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
  // The branch policy's read scope: the same rule the settings APIs authorize by.
  const visible = scopeSql(scope(actor, "read", "branch"), 1);
  return dataSource.query(
    `SELECT b.id, b.name, b.path FROM department b
      WHERE b.removed_at IS NULL AND ${visible.department("b.id")}
      ORDER BY b.path`,
    visible.params,
  );
}
