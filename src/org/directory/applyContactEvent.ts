import type { EntityManager } from "typeorm";
import type { ContactEvent } from "../../wecom/events/types";
import { StaffStatus } from "./staffStatus";

/**
 * Keep the directory current between full syncs. update_user carries only
 * the fields that changed, so absent fields keep their stored value; a
 * member's userid can change (NewUserID) and is renamed in place.
 */
export async function applyContactEvent(manager: EntityManager, event: ContactEvent): Promise<void> {
  const at = new Date(event.createTime * 1000);
  switch (event.changeType) {
    case "create_user":
    case "update_user": {
      const departments = event.department.length > 0 ? event.department.map(Number) : null;
      const status = event.status === undefined ? null : Number(event.status);
      await manager.query(
        `INSERT INTO staff (userid, name, department_ids, main_department, position, status, left_at, synced_at)
         VALUES ($1, coalesce($2, $1), coalesce($3::int[], '{}'), $4, $5, coalesce($6::smallint, 1),
                 CASE WHEN $6::smallint = ${StaffStatus.left} THEN $7::timestamptz END, $7)
         ON CONFLICT (userid) DO UPDATE SET
           name = coalesce($2, staff.name),
           department_ids = coalesce($3::int[], staff.department_ids),
           main_department = coalesce($4, staff.main_department),
           position = coalesce($5, staff.position),
           status = coalesce($6::smallint, staff.status),
           left_at = CASE WHEN coalesce($6::smallint, staff.status) = ${StaffStatus.left} THEN coalesce(staff.left_at, $7) ELSE NULL END,
           synced_at = $7`,
        [event.userId, event.name ?? null, departments, event.mainDepartment ? Number(event.mainDepartment) : null, event.position ?? null, status, at],
      );
      if (event.changeType === "update_user" && event.newUserId && event.newUserId !== event.userId) {
        await manager.query(`UPDATE staff SET userid = $2 WHERE userid = $1`, [event.userId, event.newUserId]);
      }
      return;
    }
    case "delete_user":
      await manager.query(`UPDATE staff SET status = $2, left_at = coalesce(left_at, $3) WHERE userid = $1`, [
        event.userId,
        StaffStatus.left,
        at,
      ]);
      return;
    case "create_party":
    case "update_party": {
      const id = Number(event.partyId);
      const parentId = event.parentId ? Number(event.parentId) : null;
      await manager.query(
        `INSERT INTO department (id, name, parent_id, path, synced_at)
         VALUES ($1, coalesce($2, $1::text), $3, coalesce((SELECT path FROM department WHERE id = $3), '{}') || $1, $4)
         ON CONFLICT (id) DO UPDATE SET name = coalesce($2, department.name),
           parent_id = coalesce($3, department.parent_id),
           path = CASE WHEN $3 IS NULL THEN department.path
                       ELSE coalesce((SELECT path FROM department WHERE id = $3), '{}') || $1 END,
           removed_at = NULL, synced_at = $4`,
        [id, event.name ?? null, parentId, at],
      );
      return;
    }
    case "delete_party":
      await manager.query(`UPDATE department SET removed_at = $2 WHERE id = $1`, [Number(event.partyId), at]);
      return;
  }
}
