import type { EntityManager } from "typeorm";

export interface ChildOf {
  name: string;
  className: string | null;
}

/** Each parent's children with their class names, so a person reads "张妈妈（学生01 · 三年级一班）", never an id. */
export async function childrenOfParents(manager: EntityManager, externalUserids: Iterable<string>): Promise<Map<string, ChildOf[]>> {
  const ids = [...new Set(externalUserids)];
  if (ids.length === 0) return new Map();
  const rows: { external_userid: string; name: string; class_name: string | null }[] = await manager.query(
    `SELECT ps.external_userid, st.name, c.name AS class_name
       FROM parent_student ps JOIN student st ON st.code = ps.student_code LEFT JOIN school_class c ON c.code = st.class_code
      WHERE ps.external_userid = ANY($1) ORDER BY ps.external_userid, st.name`,
    [ids],
  );
  const out = new Map<string, ChildOf[]>();
  for (const r of rows) out.set(r.external_userid, [...(out.get(r.external_userid) ?? []), { name: r.name, className: r.class_name }]);
  return out;
}

/** Class names by code (a code without a row keeps no entry). */
export async function classNames(manager: EntityManager, codes: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(codes)];
  if (list.length === 0) return new Map();
  const rows: { code: string; name: string }[] = await manager.query(`SELECT code, name FROM school_class WHERE code = ANY($1)`, [list]);
  return new Map(rows.map((r) => [r.code, r.name]));
}
