import { WECOM_ERRCODE } from "../../wecom";
import { WeComApiError } from "../../wecom";
import type { WeComUser } from "../../wecom";
import type { WeComClient } from "../../wecom";
import type { DepartmentInput } from "./departmentTree";
import type { DirectoryMember, DirectorySource } from "./directorySource";

function toMember(u: WeComUser): DirectoryMember {
  return {
    userid: u.userid,
    name: u.name,
    department: u.department,
    is_leader_in_dept: u.is_leader_in_dept,
    main_department: u.main_department,
    position: u.position,
    status: u.status,
  };
}

/** The directory port over the WeCom client: department/list, user/list per department, user/get. */
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
    return (await this.client.user.list(departmentId)).map(toMember);
  }

  async findMember(userid: string): Promise<DirectoryMember | null> {
    try {
      return toMember(await this.client.user.get(userid));
    } catch (err) {
      // user/get of a userid WeCom does not know: a deleted member (60111 UserID不存在).
      if (err instanceof WeComApiError && err.errcode === WECOM_ERRCODE.USER_NOT_FOUND) return null;
      throw err;
    }
  }
}
