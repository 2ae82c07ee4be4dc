import type { EntityManager } from "typeorm";
import { StaffDirectory, type StaffRecord } from "../../org";
import { NotFoundError, ValidationError } from "../../platform/errors";
import { chainForBranch, validateChain, type ApprovalStep, type OrgSnapshot } from "../rules/approvalChain";

/** Where a leaver sits: what notices, chains and certificates need from the directory. */
export interface EmployeeContext {
  staff: StaffRecord;
  mainDepartmentId: number;
  /** Root-to-main-department ids. */
  path: number[];
  /** The campus (or nearest region/HQ) the main department belongs to; its id keys branch settings. */
  branchId: number;
  branchName: string;
  /** The root department's name: the legal employer as the directory knows it. */
  employerName: string;
}

export async function employeeContext(manager: EntityManager, userid: string): Promise<EmployeeContext> {
  const staff = await new StaffDirectory(manager).find(userid);
  if (!staff) throw new NotFoundError("通讯录中找不到该员工");
  const mainDepartmentId = staff.mainDepartment ?? staff.departmentIds[0];
  if (mainDepartmentId === undefined) throw new ValidationError("该员工不属于任何部门，请先在企业微信通讯录中设置");
  const rows: { id: number; name: string; kind: string; path: number[] }[] = await manager.query(
    `SELECT d.id, d.name, d.kind, d.path FROM department main JOIN department d ON d.id = ANY(main.path)
     WHERE main.id = $1 ORDER BY array_length(d.path, 1)`,
    [mainDepartmentId],
  );
  if (rows.length === 0) throw new NotFoundError(`找不到员工所在部门：${mainDepartmentId}`);
  const main = rows[rows.length - 1];
  const branch = [...rows].reverse().find((d) => d.kind === "campus") ?? main;
  return {
    staff,
    mainDepartmentId,
    path: main.path,
    branchId: branch.id,
    branchName: branch.name,
    employerName: rows[0].name,
  };
}

/** The branch's chain from settings (`resignation.approval_chain`, scope `department:<id>`), else the global one, else the default. */
export async function approvalChainFor(manager: EntityManager, branchId: number): Promise<readonly ApprovalStep[]> {
  const rows: { scope: string; value: ApprovalStep[] }[] = await manager.query(
    `SELECT scope, value FROM app_setting WHERE key = 'resignation.approval_chain' AND scope IN ('global', $1)`,
    [`department:${branchId}`],
  );
  const branch = rows.find((r) => r.scope !== "global")?.value;
  const global = rows.find((r) => r.scope === "global")?.value;
  return chainForBranch(String(branchId), { default: global, perBranch: branch ? { [String(branchId)]: branch } : {} });
}

/** Sets the branch's chain, validated first (an empty or duplicated chain would stall every case of the branch). */
export async function saveApprovalChain(manager: EntityManager, branchId: number, chain: readonly ApprovalStep[], updatedBy: string, now: Date): Promise<void> {
  validateChain(chain);
  await manager.query(
    `INSERT INTO app_setting (key, scope, value, updated_at, updated_by) VALUES ('resignation.approval_chain', $1, $2, $3, $4)
     ON CONFLICT (key, scope) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [`department:${branchId}`, JSON.stringify(chain), now, updatedBy],
  );
}

/**
 * Department leaders along the leaver's path, and IT / HR holders for the
 * branch: HR granted on the nearest department of the path wins; IT may be
 * granted company-wide.
 */
export async function orgSnapshot(manager: EntityManager, ctx: EmployeeContext): Promise<OrgSnapshot> {
  const departments: { id: number; parent_id: number | null; leader_userids: string[] }[] = await manager.query(
    `SELECT id, parent_id, leader_userids FROM department WHERE id = ANY($1)`,
    [ctx.path],
  );
  const grants: { userid: string; role: "it" | "hr"; department_id: number | null }[] = await manager.query(
    `SELECT userid, role, department_id FROM role_grant WHERE role IN ('it','hr') AND (department_id IS NULL OR department_id = ANY($1))`,
    [ctx.path],
  );
  const depth = (id: number | null) => (id === null ? -1 : ctx.path.indexOf(id));
  const holders = (role: "it" | "hr") => {
    const mine = grants.filter((g) => g.role === role);
    const nearest = Math.max(-1, ...mine.map((g) => depth(g.department_id)));
    return mine.filter((g) => depth(g.department_id) === nearest).map((g) => g.userid).sort();
  };
  return {
    departments: departments.map((d) => ({ id: String(d.id), parentId: d.parent_id === null ? null : String(d.parent_id), leaderUserIds: d.leader_userids })),
    roleHolders: { [String(ctx.branchId)]: { it: holders("it"), hr: holders("hr") } },
  };
}

export async function staffName(manager: EntityManager, userid: string): Promise<string> {
  const rows: { name: string }[] = await manager.query(`SELECT name FROM staff WHERE userid = $1`, [userid]);
  return rows[0]?.name ?? userid;
}
