import type { EntityManager } from "typeorm";

/**
 * Staff whose name is exactly this (names repeat: callers decide what several
 * matches mean); failing a name, the one member whose userid it is.
 */
export async function staffByName(manager: EntityManager, name: string): Promise<string[]> {
  const rows: { userid: string }[] = await manager.query(
    `SELECT userid FROM staff WHERE name = $1
     UNION ALL SELECT userid FROM staff WHERE userid = $1 AND NOT EXISTS (SELECT 1 FROM staff WHERE name = $1)
     ORDER BY userid LIMIT 20`,
    [name.trim()],
  );
  return rows.map((r) => r.userid);
}

/** "姓名（部门 · 职位）" for each member, so namesakes can be told apart in a choice. */
export async function staffLabels(manager: EntityManager, userids: readonly string[]): Promise<Map<string, string>> {
  const rows: { userid: string; name: string; department: string | null; position: string | null }[] = await manager.query(
    `SELECT s.userid, s.name, d.name AS department, s.position FROM staff s LEFT JOIN department d ON d.id = s.main_department WHERE s.userid = ANY($1)`,
    [[...userids]],
  );
  return new Map(rows.map((r) => [r.userid, `${r.name}（${[r.department, r.position].filter(Boolean).join(" · ") || "未设部门"}）`]));
}
