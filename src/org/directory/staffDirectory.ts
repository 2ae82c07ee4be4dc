import type { EntityManager } from "typeorm";
import type { Actor, RoleScope } from "../policies/actor";

export interface StaffRecord {
  userid: string;
  name: string;
  departmentIds: number[];
  mainDepartment: number | null;
  position: string | null;
  subject: string | null;
  status: number;
  hireDate: string | null;
  probationEnd: string | null;
  leftAt: Date | null;
}

/** Reads of the mirrored directory that policies and commands need. */
export class StaffDirectory {
  constructor(private readonly manager: EntityManager) {}

  async find(userid: string): Promise<StaffRecord | null> {
    const rows = await this.manager.query(
      `SELECT userid, name, department_ids, main_department, position, subject, status,
              to_char(hire_date, 'YYYY-MM-DD') AS hire_date, to_char(probation_end, 'YYYY-MM-DD') AS probation_end, left_at
       FROM staff WHERE userid = $1`,
      [userid],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      userid: r.userid,
      name: r.name,
      departmentIds: r.department_ids,
      mainDepartment: r.main_department,
      position: r.position,
      subject: r.subject,
      status: r.status,
      hireDate: r.hire_date,
      probationEnd: r.probation_end,
      leftAt: r.left_at,
    };
  }

  /** Root-to-department id paths for each department the person belongs to (what policies check). */
  async departmentPaths(userid: string): Promise<number[][]> {
    const rows: { path: number[] }[] = await this.manager.query(
      `SELECT d.path FROM staff s JOIN department d ON d.id = ANY(s.department_ids) WHERE s.userid = $1`,
      [userid],
    );
    return rows.map((r) => r.path);
  }

  /** departmentPaths for many people in one query (a search checking every hit). */
  async departmentPathsOf(userids: string[]): Promise<Map<string, number[][]>> {
    const rows: { userid: string; path: number[] }[] = await this.manager.query(
      `SELECT s.userid, d.path FROM staff s JOIN department d ON d.id = ANY(s.department_ids) WHERE s.userid = ANY($1)`,
      [userids],
    );
    const paths = new Map<string, number[][]>(userids.map((u) => [u, []]));
    for (const r of rows) paths.get(r.userid)!.push(r.path);
    return paths;
  }

  async departmentPath(departmentId: number): Promise<number[] | null> {
    const rows: { path: number[] }[] = await this.manager.query(`SELECT path FROM department WHERE id = $1`, [departmentId]);
    return rows[0]?.path ?? null;
  }

  /** Department names by id (an id not in the directory is absent). */
  async departmentNames(ids: number[]): Promise<Map<number, string>> {
    const rows: { id: number; name: string }[] = ids.length === 0 ? [] : await this.manager.query(`SELECT id, name FROM department WHERE id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The actor behind a WeCom userid: their role grants; everyone is at least an employee. */
  async actor(userid: string): Promise<Actor> {
    const rows: { role: RoleScope["role"]; department_id: number | null }[] = await this.manager.query(
      `SELECT role, department_id FROM role_grant WHERE userid = $1`,
      [userid],
    );
    const grants: RoleScope[] = rows.map((r) => ({ role: r.role, departmentId: r.department_id }));
    if (!grants.some((g) => g.role === "employee")) grants.push({ role: "employee", departmentId: null });
    const [staff] = await this.manager.query(`SELECT name FROM staff WHERE userid = $1`, [userid]);
    return { userid, grants, ...(staff ? { name: staff.name as string } : {}) };
  }
}
