import type { EntityManager } from "typeorm";
import { StaffStatus } from "./staffStatus";

/**
 * Writes to the directory mirror that are safe in any order and any number of times.
 *
 * WeCom's change_contact events carry only the fields that changed (and, for callback URLs configured
 * since 2022-08-15, only UserID and Department: developer.work.weixin.qq.com/document/path/90970), they
 * may arrive late or twice, and a full sync reads a snapshot while events keep arriving. So every
 * mirrored field remembers the WeCom time of its value (`field_times`, epoch seconds: an event's
 * CreateTime, a full sync's read start) and a write replaces a field only with a value at least as new.
 */

/** Member fields as a write provides them; undefined = not carried by this write. */
export interface StaffFields {
  name?: string;
  departmentIds?: number[];
  mainDepartment?: number;
  leaderIn?: number[];
  position?: string;
  status?: number;
}

const staffColumns = [
  { key: "name", column: "name", cast: "text" },
  { key: "departmentIds", column: "department_ids", cast: "int[]" },
  { key: "mainDepartment", column: "main_department", cast: "int" },
  { key: "leaderIn", column: "leader_in_departments", cast: "int[]" },
  { key: "position", column: "position", cast: "text" },
  { key: "status", column: "status", cast: "smallint" },
] as const;

/** `field_times` entry is not newer than the write at $2. */
const notNewer = (table: string, column: string) => `coalesce((${table}.field_times->>'${column}')::bigint, 0) <= $2::bigint`;

/**
 * Upsert one member with the fields given, each applied only when this write is at least as new as the
 * stored value. Returns nothing: the mirror converges whatever the order.
 */
export async function writeStaff(manager: EntityManager, userid: string, fields: StaffFields, at: Date): Promise<void> {
  const seconds = Math.floor(at.getTime() / 1000);
  const params: unknown[] = [userid, seconds, at];
  const p = (value: unknown, cast: string) => {
    params.push(value === undefined ? null : value);
    return `$${params.length}::${cast}`;
  };
  const given = staffColumns.map((c) => ({ ...c, value: fields[c.key], param: p(fields[c.key], c.cast) }));
  const param = (key: string) => given.find((g) => g.key === key)!.param;
  const newerTimes = `jsonb_strip_nulls(jsonb_build_object(${given
    .map((g) => `'${g.column}', CASE WHEN ${g.param} IS NOT NULL AND ${notNewer("staff", g.column)} THEN $2::bigint END`)
    .join(", ")}))`;
  const insertTimes = `jsonb_strip_nulls(jsonb_build_object(${given
    .map((g) => `'${g.column}', CASE WHEN ${g.param} IS NOT NULL THEN $2::bigint END`)
    .join(", ")}))`;
  const sets = given
    .filter((g) => g.key !== "status")
    .map((g) => `${g.column} = CASE WHEN ${g.param} IS NOT NULL AND ${notNewer("staff", g.column)} THEN ${g.param} ELSE staff.${g.column} END`);
  const status = param("status");
  const statusApplies = `${status} IS NOT NULL AND ${notNewer("staff", "status")}`;
  await manager.query(
    `INSERT INTO staff (userid, name, department_ids, main_department, leader_in_departments, position, status, left_at, synced_at, field_times)
     VALUES ($1, coalesce(${param("name")}, $1), coalesce(${param("departmentIds")}, '{}'), coalesce(${param("mainDepartment")}, (${param("departmentIds")})[1]),
             coalesce(${param("leaderIn")}, '{}'), ${param("position")}, coalesce(${status}, ${StaffStatus.active}),
             CASE WHEN ${status} = ${StaffStatus.left} THEN $3::timestamptz END, $3, ${insertTimes})
     ON CONFLICT (userid) DO UPDATE SET ${sets.join(", ")},
       status = CASE WHEN ${statusApplies} THEN ${status} ELSE staff.status END,
       left_at = CASE WHEN NOT (${statusApplies}) THEN staff.left_at
                      WHEN ${status} = ${StaffStatus.left} THEN coalesce(staff.left_at, $3) ELSE NULL END,
       synced_at = greatest(staff.synced_at, $3),
       field_times = staff.field_times || ${newerTimes}`,
    params,
  );
}

/**
 * update_user with NewUserID: the member's userid changed from `from` to `to` at `at`. Applies whatever
 * the mirror holds: only the old row (rename it), only the new one (a full sync or an earlier delivery
 * already mirrored the rename: nothing to move), both (merge: the new row keeps its WeCom fields where
 * newer, the old row's HR-maintained fields fill the gaps, the old row goes) or neither. The rename is
 * remembered so a late event for the old userid reaches the member.
 */
export async function renameStaff(manager: EntityManager, from: string, to: string, at: Date): Promise<void> {
  if (from === to) return;
  await manager.query(
    `INSERT INTO staff_userid_rename (old_userid, new_userid, renamed_at) VALUES ($1, $2, $3)
     ON CONFLICT (old_userid) DO UPDATE SET new_userid = excluded.new_userid, renamed_at = excluded.renamed_at
     WHERE staff_userid_rename.renamed_at <= excluded.renamed_at`,
    [from, to, at],
  );
  // The new userid is no longer an alias of anything (a rename back and forth).
  await manager.query(`DELETE FROM staff_userid_rename WHERE old_userid = $1 AND renamed_at <= $2`, [to, at]);
  const rows: { userid: string }[] = await manager.query(`SELECT userid FROM staff WHERE userid = ANY($1::text[]) FOR UPDATE`, [[from, to]]);
  const hasOld = rows.some((r) => r.userid === from);
  const hasNew = rows.some((r) => r.userid === to);
  if (hasOld && !hasNew) {
    await manager.query(`UPDATE staff SET userid = $2 WHERE userid = $1`, [from, to]);
  } else if (hasOld && hasNew) {
    await manager.query(
      `UPDATE staff n SET
         subject = coalesce(n.subject, o.subject), hire_date = coalesce(n.hire_date, o.hire_date),
         probation_end = coalesce(n.probation_end, o.probation_end), contract_start = coalesce(n.contract_start, o.contract_start),
         contract_end = coalesce(n.contract_end, o.contract_end), terms_updated_by = coalesce(n.terms_updated_by, o.terms_updated_by),
         terms_updated_at = coalesce(n.terms_updated_at, o.terms_updated_at)
       FROM staff o WHERE n.userid = $2 AND o.userid = $1`,
      [from, to],
    );
    // Fields the old row holds with newer times than the new row win (the old row saw later events).
    await manager.query(
      `UPDATE staff n SET
         name = CASE WHEN ${olderIn("name")} THEN o.name ELSE n.name END,
         department_ids = CASE WHEN ${olderIn("department_ids")} THEN o.department_ids ELSE n.department_ids END,
         main_department = CASE WHEN ${olderIn("main_department")} THEN o.main_department ELSE n.main_department END,
         leader_in_departments = CASE WHEN ${olderIn("leader_in_departments")} THEN o.leader_in_departments ELSE n.leader_in_departments END,
         position = CASE WHEN ${olderIn("position")} THEN o.position ELSE n.position END,
         status = CASE WHEN ${olderIn("status")} THEN o.status ELSE n.status END,
         left_at = CASE WHEN ${olderIn("status")} THEN o.left_at ELSE n.left_at END,
         field_times = (SELECT coalesce(jsonb_object_agg(k, greatest(coalesce((n.field_times->>k)::bigint, 0), coalesce((o.field_times->>k)::bigint, 0))), '{}')
                        FROM (SELECT jsonb_object_keys(n.field_times) UNION SELECT jsonb_object_keys(o.field_times)) AS keys(k))
       FROM staff o WHERE n.userid = $2 AND o.userid = $1`,
      [from, to],
    );
    await manager.query(`DELETE FROM staff WHERE userid = $1`, [from]);
  }
}

/** The new row's value for `column` is older than the old row's. */
const olderIn = (column: string) =>
  `coalesce((n.field_times->>'${column}')::bigint, 0) < coalesce((o.field_times->>'${column}')::bigint, 0)`;

/**
 * The userid an event about `userid` at `at` is really about: a late event for a userid that was renamed
 * after the event happened belongs to the renamed member (followed through chained renames). An event
 * newer than the rename is about whoever holds that userid now.
 */
export async function currentUserid(manager: EntityManager, userid: string, at: Date): Promise<string> {
  let current = userid;
  for (let hop = 0; hop < 10; hop++) {
    const [rename]: { new_userid: string }[] = await manager.query(
      `SELECT new_userid FROM staff_userid_rename WHERE old_userid = $1 AND renamed_at >= $2`,
      [current, at],
    );
    if (!rename || rename.new_userid === userid) return current;
    current = rename.new_userid;
  }
  return current;
}

/** Department fields as a write provides them. */
export interface DepartmentFields {
  name?: string;
  parentId?: number | null;
  order?: number;
}

/**
 * Upsert one department (create_party / update_party, fields applied when at least as new), then
 * recompute every path from the parent links, so a move, a child created before its parent, or moves
 * applied out of order all end in the same tree.
 */
export async function writeDepartment(manager: EntityManager, id: number, fields: DepartmentFields, at: Date): Promise<void> {
  const seconds = Math.floor(at.getTime() / 1000);
  const parentGiven = fields.parentId !== undefined;
  await manager.query(
    `INSERT INTO department (id, name, parent_id, path, sort_order, synced_at, field_times)
     VALUES ($1::int, coalesce($3::text, $1::text), $4::int, ARRAY[$1::int], coalesce($5::bigint, 0), $6,
             jsonb_strip_nulls(jsonb_build_object('name', CASE WHEN $3::text IS NOT NULL THEN $2::bigint END,
               'parent_id', CASE WHEN $7::boolean THEN $2::bigint END, 'sort_order', CASE WHEN $5::bigint IS NOT NULL THEN $2::bigint END)))
     ON CONFLICT (id) DO UPDATE SET
       name = CASE WHEN $3::text IS NOT NULL AND ${notNewer("department", "name")} THEN $3::text ELSE department.name END,
       parent_id = CASE WHEN $7::boolean AND ${notNewer("department", "parent_id")} THEN $4::int ELSE department.parent_id END,
       sort_order = CASE WHEN $5::bigint IS NOT NULL AND ${notNewer("department", "sort_order")} THEN $5::bigint ELSE department.sort_order END,
       removed_at = CASE WHEN ${notNewer("department", "removed")} THEN NULL ELSE department.removed_at END,
       synced_at = greatest(department.synced_at, $6),
       field_times = department.field_times || jsonb_strip_nulls(jsonb_build_object(
         'name', CASE WHEN $3::text IS NOT NULL AND ${notNewer("department", "name")} THEN $2::bigint END,
         'parent_id', CASE WHEN $7::boolean AND ${notNewer("department", "parent_id")} THEN $2::bigint END,
         'sort_order', CASE WHEN $5::bigint IS NOT NULL AND ${notNewer("department", "sort_order")} THEN $2::bigint END))`,
    [id, seconds, fields.name ?? null, fields.parentId ?? null, fields.order ?? null, at, parentGiven],
  );
  await recomputePaths(manager);
}

/** delete_party: the department is marked removed unless a newer write brought it back. */
export async function removeDepartment(manager: EntityManager, id: number, at: Date): Promise<void> {
  const seconds = Math.floor(at.getTime() / 1000);
  await manager.query(
    `UPDATE department SET removed_at = coalesce(removed_at, $3),
       field_times = field_times || jsonb_build_object('removed', $2::bigint)
     WHERE id = $1 AND coalesce((SELECT max(value::bigint) FROM jsonb_each_text(field_times) WHERE key IN ('name', 'parent_id')), 0) <= $2`,
    [id, seconds, at],
  );
}

/**
 * Every department's path (root first) from the parent links. A department whose parent is unknown is
 * a root of its own until its parent arrives; a cycle (moves applied half-way) is left as it was.
 */
export async function recomputePaths(manager: EntityManager): Promise<void> {
  await manager.query(
    `WITH RECURSIVE tree(id, path) AS (
       SELECT d.id, ARRAY[d.id] FROM department d
        WHERE d.parent_id IS NULL OR d.parent_id = 0 OR NOT EXISTS (SELECT 1 FROM department p WHERE p.id = d.parent_id)
       UNION ALL
       SELECT c.id, t.path || c.id FROM department c JOIN tree t ON c.parent_id = t.id WHERE NOT c.id = ANY(t.path)
     )
     UPDATE department d SET path = tree.path FROM tree WHERE d.id = tree.id AND d.path IS DISTINCT FROM tree.path`,
  );
}
