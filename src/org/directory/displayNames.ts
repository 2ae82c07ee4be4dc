import type { EntityManager } from "typeorm";

/** Staff, parent and group-chat names for what a person reads (exports, pages); ids without a name stay ids. */
export async function displayNames(manager: EntityManager, ids: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const rows: { id: string; name: string }[] = await manager.query(
    `SELECT userid AS id, name FROM staff WHERE userid = ANY($1)
     UNION ALL
     SELECT external_userid, name FROM external_contact WHERE external_userid = ANY($1)
     UNION ALL
     SELECT chat_id, name FROM group_chat WHERE chat_id = ANY($1)`,
    [list],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
