import type { DepartmentInput } from "./departmentTree";

/** A member as WeCom's user/list and user/get return it (the fields we keep). */
export interface DirectoryMember {
  userid: string;
  name: string;
  department: number[];
  is_leader_in_dept?: number[];
  main_department?: number;
  position?: string;
  status: number;
}

/** Where the directory comes from: the WeCom client in production, the sandbox in tests. */
export interface DirectorySource {
  listDepartments(): Promise<DepartmentInput[]>;
  /**
   * The DIRECT members of one department. WeCom's user/list takes department_id only and no longer
   * honours fetch_child (developer.work.weixin.qq.com/document/path/96260), so a whole-company read
   * walks every department.
   */
  listMembers(departmentId: number): Promise<DirectoryMember[]>;
  /**
   * One member by userid (user/get), or null when WeCom no longer knows the userid: a member HR
   * deleted answers errcode 60111 "UserID不存在" (go-workwx errcodes/mod.go ErrCode60111) and
   * vanishes from every list — the normal way a leaver looks.
   */
  findMember(userid: string): Promise<DirectoryMember | null>;
}
