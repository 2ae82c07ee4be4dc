import type { WeComClient } from "../../wecom/client/WeComClient";
import type { DepartmentInput } from "./departmentTree";
import type { DirectoryMember, DirectorySource } from "./directorySource";

/** The directory port over the WeCom client (department/list and user/list with fetch_child). */
export class WeComDirectorySource implements DirectorySource {
  constructor(private readonly client: WeComClient) {}

  async listDepartments(): Promise<DepartmentInput[]> {
    const departments = await this.client.department.list();
    return departments.map((d) => ({
      id: d.id,
      name: d.name ?? String(d.id),
      parentid: d.parentid,
      order: d.order,
      department_leader: d.department_leader,
    }));
  }

  async listMembers(departmentId: number): Promise<DirectoryMember[]> {
    const users = await this.client.user.list(departmentId, true);
    return users.map((u) => ({
      userid: u.userid,
      name: u.name,
      department: u.department,
      is_leader_in_dept: u.is_leader_in_dept,
      main_department: u.main_department,
      position: u.position,
      status: u.status,
    }));
  }
}
