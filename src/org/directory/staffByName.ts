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
