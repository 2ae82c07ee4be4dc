import type { EntityManager } from "typeorm";

/**
 * Parents whose WeCom name is exactly this (张妈妈 is common: callers decide
 * what several matches mean); failing a name, the one whose external_userid
 * it is (a link or a pasted id still works).
 */
export async function parentsByName(manager: EntityManager, name: string): Promise<string[]> {
  const rows: { external_userid: string }[] = await manager.query(
    `SELECT external_userid FROM external_contact WHERE name = $1
     UNION ALL SELECT external_userid FROM external_contact WHERE external_userid = $1 AND NOT EXISTS (SELECT 1 FROM external_contact WHERE name = $1)
     ORDER BY external_userid LIMIT 20`,
    [name.trim()],
  );
  return rows.map((r) => r.external_userid);
}
