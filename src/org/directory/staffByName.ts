import type { EntityManager } from "typeorm";

/** Staff whose name is exactly this (names repeat: callers decide what several matches mean). */
export async function staffByName(manager: EntityManager, name: string): Promise<string[]> {
  const rows: { userid: string }[] = await manager.query(`SELECT userid FROM staff WHERE name = $1 ORDER BY status, userid LIMIT 20`, [name.trim()]);
  return rows.map((r) => r.userid);
}
