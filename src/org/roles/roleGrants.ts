import type { EntityManager } from "typeorm";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { GrantRoleInput } from "./schema";
import { returnedRows } from "../../platform/db/returnedRows";

export interface RoleGrantRow {
  id: string;
  userid: string;
  role: string;
  departmentId: number | null;
  grantedBy: string;
  grantedAt: Date;
}

export async function listGrants(manager: EntityManager): Promise<RoleGrantRow[]> {
  const rows = await manager.query(
    `SELECT id, userid, role, department_id, granted_by, granted_at FROM role_grant ORDER BY userid, role`,
  );
  return rows.map((r: Record<string, unknown>) => ({
    id: String(r.id),
    userid: r.userid as string,
    role: r.role as string,
    departmentId: r.department_id as number | null,
    grantedBy: r.granted_by as string,
    grantedAt: r.granted_at as Date,
  }));
}

export async function grantRole(manager: EntityManager, input: GrantRoleInput, grantedBy: string, at: Date): Promise<string> {
  if (input.departmentId !== null) {
    const dept = await manager.query(`SELECT 1 FROM department WHERE id = $1 AND removed_at IS NULL`, [input.departmentId]);
    if (dept.length === 0) throw new ValidationError("部门不存在", [{ path: "departmentId", message: "unknown department" }]);
  }
  const rows = await manager.query(
    `INSERT INTO role_grant (userid, role, department_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING id`,
    [input.userid, input.role, input.departmentId, grantedBy, at],
  );
  if (rows.length === 0) throw new ConflictError("该角色已授予");
  return String(rows[0].id);
}

export async function revokeRole(manager: EntityManager, id: number): Promise<void> {
  const rows = await manager.query(`DELETE FROM role_grant WHERE id = $1 RETURNING id`, [id]);
  if (returnedRows(rows).length === 0) throw new NotFoundError("角色授权不存在");
}
