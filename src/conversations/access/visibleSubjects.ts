import type { EntityManager } from "typeorm";
import type { Actor } from "../../org";
import { scopeSql } from "../../org";
import type { InheritedThreadsSource } from "./inheritedThreads";
import { readerScope } from "./readerScope";

/**
 * Of these staff members or parents (e.g. everyone named 张妈妈), the ones whose conversations the actor may
 * read: staff in the reader's policy subtree or handed to them, parents followed by such staff or inherited.
 * A name search offers only these, so typing a name never tells a reader who exists outside their scope.
 */
export async function visibleSubjects(
  manager: EntityManager,
  actor: Actor,
  inheritedBy: InheritedThreadsSource,
  who: "staff" | "parent",
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const reader = await readerScope(actor, () => inheritedBy(manager, actor.userid));
  const visible = scopeSql(reader.policy, 2);
  const inherited = who === "staff" ? reader.inherited.map((i) => i.staffUserid) : reader.inherited.flatMap((i) => i.externalUserids);
  const rows: { id: string }[] =
    who === "staff"
      ? await manager.query(`SELECT s.userid AS id FROM staff s WHERE s.userid = ANY($1) AND (${visible.staff("s.userid")} OR s.userid = ANY($4)) ORDER BY 1`, [
          [...ids],
          ...visible.params,
          inherited,
        ])
      : await manager.query(
          `SELECT DISTINCT f.external_userid AS id FROM follow_relation f
            WHERE f.external_userid = ANY($1) AND (f.external_userid = ANY($4) OR f.staff_userid IN (SELECT s.userid FROM staff s WHERE ${visible.staff("s.userid")}))
            ORDER BY 1`,
          [[...ids], ...visible.params, inherited],
        );
  return rows.map((r) => r.id);
}
