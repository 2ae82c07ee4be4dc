import type { EntityManager } from "typeorm";

/**
 * A WeCom member's userid changed (change_contact update_user with NewUserID): move one column of a
 * capability's own table from the old userid to the new one. `uniqueWith` names the other columns of a
 * unique key the column is part of ([] when the column alone is unique; absent when it is not unique): where
 * the new userid already has that row (the directory mirrored the rename first, or both ids were in use),
 * the old row is the same relationship twice and goes. Table and column names come from the calling
 * capability's code, never from input.
 */
export async function replaceUserid(
  manager: EntityManager,
  table: string,
  column: string,
  from: string,
  to: string,
  uniqueWith?: string[],
): Promise<void> {
  if (from === to) return;
  if (uniqueWith) {
    const same = uniqueWith.map((c) => `n.${c} IS NOT DISTINCT FROM o.${c}`).join(" AND ") || "TRUE";
    await manager.query(`DELETE FROM ${table} o WHERE o.${column} = $1 AND EXISTS (SELECT 1 FROM ${table} n WHERE n.${column} = $2 AND ${same})`, [from, to]);
  }
  await manager.query(`UPDATE ${table} SET ${column} = $2 WHERE ${column} = $1`, [from, to]);
}

/** The same for a text[] column of userids (approvers, department leaders). */
export async function replaceUseridInArray(manager: EntityManager, table: string, column: string, from: string, to: string): Promise<void> {
  if (from === to) return;
  await manager.query(`UPDATE ${table} SET ${column} = array_replace(${column}, $1, $2) WHERE $1 = ANY(${column})`, [from, to]);
}
