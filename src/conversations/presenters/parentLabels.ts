import type { EntityManager } from "typeorm";
import { displayNames } from "../../org";
import { childrenOfParents, parentPhrase } from "../../parents";

/**
 * Parents as HR tells them apart: "陈妈妈（陈小雨 · 一班）" — the name with each child and class (the console's
 * Names.parent reads the same), so two 妈妈 of one teacher are never confused and no account is shown.
 */
export async function parentLabels(manager: EntityManager, externalUserids: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(externalUserids)];
  // One after the other: inside a transaction the manager is one connection.
  const names = await displayNames(manager, ids);
  const children = await childrenOfParents(manager, ids);
  return new Map(
    ids.map((id) => {
      const kids = (children.get(id) ?? []).map((k) => (k.className ? `${k.name} · ${k.className}` : k.name));
      return [id, `${parentPhrase(names.get(id))}${kids.length > 0 ? `（${kids.join("；")}）` : ""}`];
    }),
  );
}
