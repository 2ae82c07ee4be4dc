import type { EntityManager } from "typeorm";

/**
 * Who answers for a person's HR matters: HR whose subtree contains one of
 * their departments, or, where no HR is assigned, the HQ admins — never
 * nobody, so an escalation always has a recipient when anyone holds a role.
 */
export async function responsibleHr(manager: EntityManager, userid: string): Promise<string[]> {
  const rows: { userid: string }[] = await manager.query(
    `SELECT DISTINCT g.userid FROM role_grant g
     WHERE g.role = 'hr' AND g.department_id IN (
       SELECT unnest(d.path) FROM staff s JOIN department d ON d.id = ANY (s.department_ids) WHERE s.userid = $1)
     ORDER BY g.userid`,
    [userid],
  );
  return rows.length > 0 ? rows.map((r) => r.userid) : hqAdmins(manager);
}

/** HR whose grant covers the branch (a grant on the branch or above it); HQ admins when there are none. */
export async function branchHr(manager: EntityManager, branchId: number): Promise<string[]> {
  const rows: { userid: string }[] = await manager.query(
    `SELECT DISTINCT g.userid FROM role_grant g JOIN department d ON d.id = $1 WHERE g.role = 'hr' AND g.department_id = ANY (d.path) ORDER BY g.userid`,
    [branchId],
  );
  return rows.length > 0 ? rows.map((r) => r.userid) : hqAdmins(manager);
}

async function hqAdmins(manager: EntityManager): Promise<string[]> {
  const admins: { userid: string }[] = await manager.query(`SELECT DISTINCT userid FROM role_grant WHERE role = 'hq_admin' ORDER BY userid`);
  return admins.map((r) => r.userid);
}
